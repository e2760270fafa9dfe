/**
 * removeEntity `{ entityName }` — destructive. (v≥3) first removes every relation that targets
 * the entity (in other entities, and its own owning self-references) exactly as removeField
 * would, SQL included; then drops the junction tables it owns, then the table (or view).
 * Never CASCADE: an object still depending on the table must stop the migration.
 */
import { isOwningRelation, isRelation, type Schema, own } from '../../schema/model.js'
import type { SqlBuilder } from '../../sql/builder.js'
import { removeEntityFromAcl } from '../acl/aclRewrite.js'
import { describeStep, findEntity, listText, storageLabel } from '../describeShared.js'
import { applyRemoveField, sqlRemoveField, viewsDependingOn } from '../fields/removeField.js'
import { entityNameData } from '../fields/fieldSchemas.js'
import { dropTableSql, isView, quoteTable } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { getEntity, removeEntityFromModel } from '../updaters.js'
import { FORMAT_ACL_FOLLOWS_RENAMES, FORMAT_REMOVE_ENTITY_REMOVES_REFERENCES } from '../versions.js'
import { warning, WarningCode } from '../warnings.js'

export interface RemoveEntityData {
	readonly entityName: string
}

/** relations targeting `entityName`: all of them in other entities, owning ones in the entity itself */
const referencingRelations = (schema: Schema, entityName: string): { entityName: string; fieldName: string }[] =>
	Object.values(schema.model.entities).flatMap(entity =>
		Object.values(entity.fields)
			.filter(field => isRelation(field) && field.target === entityName && (entity.name !== entityName || isOwningRelation(field)))
			.map(field => ({ entityName: entity.name, fieldName: field.name })))

/**
 * Removes the referencing relations one by one on the evolving schema (a relation may already
 * be gone with its partner), calling `each` with the schema before each removal.
 */
const removeReferences = (
	schema: Schema,
	entityName: string,
	formatVersion: number,
	each?: (schema: Schema, ref: { entityName: string; fieldName: string }) => void,
): Schema =>
	referencingRelations(schema, entityName).reduce((current, ref) => {
		if (!own(own(current.model.entities, ref.entityName)?.fields, ref.fieldName)) return current
		each?.(current, ref)
		return applyRemoveField(current, ref.entityName, ref.fieldName, formatVersion)
	}, schema)

export const removeEntityModification = defineModification<RemoveEntityData>({
	id: 'removeEntity',
	docs: {
		category: 'entities',
		summary: 'Removes an entity with its table (or view) and the junction tables it owns.',
		origin: 'contember',
		writtenByDiff: true,
		apply: 'At v≥2, removes the entity\'s ACL permissions, entity-typed variables and predicate parts that go through relations to it. At v≥3, removes every relation targeting it (the owning self-references of the entity too; see `removeField`). Then removes the entity.',
		sql: 'At v≥3, the `removeField` SQL of each referencing relation (`ALTER TABLE "post" DROP "author_id";`, `DROP TABLE "<junction>";`). Then `DROP TABLE` for each junction table it owns, then `DROP TABLE "t";`. A view gets `DROP VIEW "v";` or `DROP MATERIALIZED VIEW "v";`.',
		destructive: 'always: the table and its rows, or the view',
		warnings: ['S009'],
		example: { entityName: 'Tag' },
	},
	dataSchema: entityNameData(),
	apply: (schema, { entityName }, formatVersion) => {
		getEntity(schema, entityName)
		let next = schema
		if (formatVersion >= FORMAT_ACL_FOLLOWS_RENAMES) next = removeEntityFromAcl(next, entityName)
		if (formatVersion >= FORMAT_REMOVE_ENTITY_REMOVES_REFERENCES) next = removeReferences(next, entityName, formatVersion)
		return removeEntityFromModel(entityName)(next)
	},
	sql: (builder: SqlBuilder, schema, { entityName }, { formatVersion }) => {
		let current = schema
		if (formatVersion >= FORMAT_REMOVE_ENTITY_REMOVES_REFERENCES) {
			current = removeReferences(schema, entityName, formatVersion, (before, ref) => sqlRemoveField(builder, before, ref.entityName, ref.fieldName))
		}
		const entity = getEntity(current, entityName)
		if (isView(entity)) {
			builder.statement(`DROP ${entity.view?.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${quoteTable(entity)}`)
			return
		}
		for (const field of Object.values(entity.fields)) {
			if ('joiningTable' in field) dropTableSql(builder, field.joiningTable.tableName)
		}
		dropTableSql(builder, entity.tableName)
	},
	describe: ({ entityName }, { schema }) => {
		const entity = findEntity(schema, entityName)
		const junctions = entity ? Object.values(entity.fields).flatMap(it => ('joiningTable' in it ? [`"${it.joiningTable.tableName}"`] : [])) : []
		const references = entity ? referencingRelations(schema, entityName).filter(it => it.entityName !== entityName) : []
		const views = viewsDependingOn(schema, entityName)
		const what = storageLabel(entity, entityName)
		return describeStep(`Remove entity ${entityName} (drops ${what}${junctions.length ? ` and junction tables ${listText(junctions)}` : ''})`, {
			destructiveReason: entity?.view
				? `drops ${what}; anything selecting from it breaks`
				: `drops ${what} and all its rows${references.length ? `, and the relations ${listText(references.map(it => `${it.entityName}.${it.fieldName}`))} pointing to it` : ''}`,
			warnings: [
				views.length > 0 &&
					warning(WarningCode.dependentObjects, `Views ${listText(views)} depend on ${entityName}; remove them first, PostgreSQL refuses to drop ${what} while they exist.`),
			],
		})
	},
})
