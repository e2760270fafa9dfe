/**
 * removeUniqueConstraint `{ entityName, unique | fields | constraintName (legacy) }`. The
 * physical object was named by PostgreSQL, so its name comes from the live catalog: the one
 * unique index (index form) or unique constraint (constraint form) with the schema unique's
 * whole definition (columns in order, method, NULLS NOT DISTINCT, timing) is dropped; of
 * identical duplicates (a one-has-one column's own unique key and a schema unique on it) the
 * newest goes, and a comment says which. Offline, a comment names the object and says the
 * name is resolved at execution.
 */
import { type Entity, isUniqueIndex, own, type UniqueConstraint } from '../../schema/model.js'
import type { SqlBuilder } from '../../sql/builder.js'
import { SchemaObjectMissingError } from '../conflicts.js'
import { describeStep } from '../describeShared.js'
import { uniqueSchema } from '../fields/fieldSchemas.js'
import { dropIndexSql, dropUniqueConstraintSql, expectedUniqueConstraintOf, expectedUniqueIndexOf } from '../indexes/dropIndexSql.js'
import { fieldsToColumns, isMaterializedView, isView } from '../sqlShared.js'
import { defineModification, type SqlContext } from '../types.js'
import { deepEqual, getEntity, updateEntity } from '../updaters.js'

export interface RemoveUniqueConstraintData {
	readonly entityName: string
	readonly unique?: UniqueConstraint
	readonly fields?: readonly string[]
	/** legacy: the stored name of the constraint */
	readonly constraintName?: string
}

const withoutName = ({ name: _name, ...rest }: UniqueConstraint) => rest
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every(it => b.includes(it))

/** the stored unique the data designates: exact match first, then looser ones */
export const resolveUnique = (entity: Entity, data: RemoveUniqueConstraintData): UniqueConstraint => {
	const candidates: ((it: UniqueConstraint) => boolean)[] = data.unique
		? [it => deepEqual(it, data.unique), it => deepEqual(withoutName(it), withoutName(data.unique!)), it => deepEqual(it.fields, data.unique!.fields)]
		: data.fields
			? [it => deepEqual(it.fields, data.fields), it => sameSet(it.fields, data.fields!)]
			: [it => it.name === data.constraintName]
	for (const matches of candidates) {
		const found = entity.unique.find(matches)
		if (found) return found
	}
	const what = data.unique ? `(${data.unique.fields.join(', ')})` : data.fields ? `(${data.fields.join(', ')})` : `named ${data.constraintName}`
	// typed, so replay can name the migration that removed a unique matched by definition
	const definition = data.unique ?? { fields: data.fields ?? [], ...(data.constraintName !== undefined ? { name: data.constraintName } : {}) }
	throw new SchemaObjectMissingError({ kind: 'unique', entityName: entity.name, unique: definition }, `Unique constraint ${what} not found on entity ${entity.name}`)
}

export const dropUniqueSql = (builder: SqlBuilder, entity: Entity, unique: UniqueConstraint, { databaseMetadata }: SqlContext): void => {
	const index = isUniqueIndex(unique)
	if (isView(entity) && !(index && isMaterializedView(entity))) return
	const columns = fieldsToColumns(entity, unique.fields)
	const label = `${index ? 'unique index' : 'unique constraint'} on "${entity.tableName}" (${columns.join(', ')})`
	if (!databaseMetadata.live) {
		builder.comment(`drops the ${label}; its name is resolved from the database at execution`)
		return
	}
	if (index) dropIndexSql(builder, databaseMetadata, expectedUniqueIndexOf(entity, unique), label)
	else dropUniqueConstraintSql(builder, databaseMetadata, expectedUniqueConstraintOf(entity, unique), label)
}

export const removeUniqueConstraintModification = defineModification<RemoveUniqueConstraintData>({
	id: 'removeUniqueConstraint',
	docs: {
		category: 'constraints',
		summary: 'Removes a unique constraint or unique index, named by `unique`, by `fields` or by the legacy `constraintName`.',
		origin: 'contember',
		writtenByDiff: true,
		apply: 'Removes the stored unique. It matches exactly first, then ignoring legacy names, then by field set. It is an error when nothing matches.',
		sql: 'Live: the one unique constraint (`ALTER TABLE "t" DROP CONSTRAINT "<name>";`) or unique index (`DROP INDEX "<name>";`) with the unique\'s definition: columns in order, and the timing (constraint) or method and `NULLS NOT DISTINCT` (index). Of identical ones, the newest (see [Which index is dropped](#which-index-is-dropped)); a one-has-one column\'s own unique key, identical to a schema unique on that column, stays. None gives a comment. Offline: a comment.',
		destructive: false,
		warnings: [],
		example: { entityName: 'Tag', fields: ['name'] },
	},
	dataSchema: {
		type: 'object',
		required: ['entityName'],
		properties: {
			entityName: { type: 'string', minLength: 1 },
			unique: uniqueSchema,
			fields: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
			constraintName: { type: 'string', minLength: 1 },
		},
		anyOf: [{ required: ['unique'] }, { required: ['fields'] }, { required: ['constraintName'] }],
		additionalProperties: false,
	},
	apply: (schema, data) =>
		updateEntity(data.entityName, entity => {
			const unique = resolveUnique(entity, data)
			return { ...entity, unique: entity.unique.filter(it => it !== unique) }
		})(schema),
	sql: (builder, schema, data, context) => {
		const entity = getEntity(schema, data.entityName)
		dropUniqueSql(builder, entity, resolveUnique(entity, data), context)
	},
	describe: (data, { schema }) => {
		const entity = own(schema.model.entities, data.entityName)
		let fields = data.unique?.fields ?? data.fields
		if (!fields && entity) fields = entity.unique.find(it => it.name === data.constraintName)?.fields
		return describeStep(`Remove unique constraint on ${data.entityName}${fields ? ` (${fields.join(', ')})` : data.constraintName ? ` named ${data.constraintName}` : ''}`)
	},
})
