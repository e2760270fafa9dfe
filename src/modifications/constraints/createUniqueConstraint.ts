/**
 * createUniqueConstraint `{ entityName, unique }`: a unique constraint
 * (`ALTER TABLE … ADD UNIQUE (…)[ DEFERRABLE | INITIALLY DEFERRED]`, tables only) or a unique
 * index (`CREATE UNIQUE INDEX ON … [USING m] (…)[ NULLS NOT DISTINCT]`, tables and materialized views).
 * PostgreSQL names the object; strata never chooses constraint names.
 */
import { type Entity, isUniqueIndex, type UniqueConstraint } from '../../schema/model.js'
import type { SqlBuilder } from '../../sql/builder.js'
import { appendOrReplace, refuseExisting, sameUnique } from '../conflicts.js'
import { describeStep, findEntity } from '../describeShared.js'
import { entityNameData, uniqueSchema } from '../fields/fieldSchemas.js'
import { indexMethodSql } from '../indexes/indexShared.js'
import { fieldsToColumns, isMaterializedView, isView, quoteColumnList, quoteTable } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { getEntity, updateEntity } from '../updaters.js'
import { warning, WarningCode } from '../warnings.js'

export interface CreateUniqueConstraintData {
	readonly entityName: string
	readonly unique: UniqueConstraint
}

export const createUniqueSql = (builder: SqlBuilder, entity: Entity, unique: UniqueConstraint): void => {
	if (isUniqueIndex(unique)) {
		if (isView(entity) && !isMaterializedView(entity)) return
		const columns = quoteColumnList(fieldsToColumns(entity, unique.fields))
		builder.statement(
			`CREATE UNIQUE INDEX ON ${quoteTable(entity)}${indexMethodSql(unique.method)} (${columns})${unique.nulls === 'not distinct' ? ' NULLS NOT DISTINCT' : ''}`,
		)
		return
	}
	if (isView(entity)) return
	const timing = unique.timing === 'deferrable' ? ' DEFERRABLE' : unique.timing === 'deferred' ? ' INITIALLY DEFERRED' : ''
	builder.statement(`ALTER TABLE ${quoteTable(entity)} ADD UNIQUE (${quoteColumnList(fieldsToColumns(entity, unique.fields))})${timing}`)
}

export const createUniqueConstraintModification = defineModification<CreateUniqueConstraintData>({
	id: 'createUniqueConstraint',
	docs: {
		category: 'constraints',
		summary: 'Adds a unique constraint (`{ fields, timing?: \'deferrable\'|\'deferred\', name? }`) or a unique index (`{ fields, index: true, nulls?, method? }`). Fields name columns or many-has-one / one-has-one owning relations, which map to their joining column.',
		origin: 'contember',
		writtenByDiff: true,
		sql: '`ALTER TABLE "t" ADD UNIQUE ("a", "b")[ DEFERRABLE | INITIALLY DEFERRED];` (tables), or `CREATE UNIQUE INDEX ON "t"[ USING m] ("a")[ NULLS NOT DISTINCT];` (tables and materialized views).',
		destructive: false,
		warnings: ['S002'],
		example: { entityName: 'Tag', unique: { fields: ['name'] } },
	},
	dataSchema: entityNameData({ unique: uniqueSchema }, ['unique']),
	// the same definition twice (whatever the legacy `name`) is refused; a tolerated duplicate replaces the first
	apply: (schema, { entityName, unique }) => {
		const exists = refuseExisting(schema, { kind: 'unique', entityName, unique })
		return updateEntity(entityName, entity => ({ ...entity, unique: appendOrReplace(entity.unique, unique, sameUnique, exists) }))(schema)
	},
	sql: (builder, schema, { entityName, unique }) => createUniqueSql(builder, getEntity(schema, entityName), unique),
	describe: ({ entityName, unique }, { schema, createdEntities }) => {
		const entity = findEntity(schema, entityName)
		const kind = isUniqueIndex(unique) ? 'unique index' : 'unique constraint'
		const existing = !createdEntities.has(entityName) && !(entity?.view && !entity.view.materialized)
		return describeStep(`Create ${kind} on ${entityName} (${unique.fields.join(', ')})`, {
			warnings: [
				existing &&
					warning(WarningCode.uniqueMayFail, `Creating the ${kind} on ${entityName} (${unique.fields.join(', ')}) fails if existing rows hold duplicate values.`),
			],
		})
	},
})
