/**
 * removeField `{ entityName, fieldName }` — destructive. Drops the column, the joining column
 * or the junction table; inverse sides have no storage. The schema loses the field, every
 * unique/index of the entity that mentions it, (v≥2) its ACL permissions and predicate parts,
 * (v≥3) the inverse side of an owning relation, with its ACL permissions and predicate parts;
 * removing an inverse side clears `inversedBy`.
 */
import { type Field, hasJoiningColumn, isColumn, isInverseRelation, isOwningRelation, isRelation, type Schema, own } from '../../schema/model.js'
import type { SqlBuilder } from '../../sql/builder.js'
import { removeFieldFromAcl } from '../acl/aclRewrite.js'
import { describeStep, findEntity, storageLabel } from '../describeShared.js'
import { removeFieldSql } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { getEntity, getField, pipe, removeFieldFromEntity, updateEntity, updateFields, type Updater } from '../updaters.js'
import { FORMAT_ACL_FOLLOWS_RENAMES, FORMAT_REMOVE_RELATION_REMOVES_INVERSE } from '../versions.js'
import { warning, WarningCode } from '../warnings.js'
import { entityNameData } from './fieldSchemas.js'

export interface RemoveFieldData {
	readonly entityName: string
	readonly fieldName: string
}

/** removes the field and every unique / index of its entity that mentions it */
const dropFieldAndConstraints = (entityName: string, fieldName: string): Updater<Schema> =>
	updateEntity(entityName, entity => ({
		...removeFieldFromEntity(fieldName)(entity),
		unique: entity.unique.filter(it => !it.fields.includes(fieldName)),
		indexes: entity.indexes.filter(it => !it.fields.includes(fieldName) && !(it.include ?? []).includes(fieldName)),
	}))

export const applyRemoveField = (schema: Schema, entityName: string, fieldName: string, formatVersion: number): Schema => {
	const field = getField(schema, entityName, fieldName)
	const steps: Updater<Schema>[] = []
	if (formatVersion >= FORMAT_ACL_FOLLOWS_RENAMES) steps.push(next => removeFieldFromAcl(next, entityName, fieldName))
	if (isInverseRelation(field)) {
		steps.push(next => {
			const owning = own(own(next.model.entities, field.target)?.fields, field.ownedBy)
			if (!owning || !('inversedBy' in owning) || owning.inversedBy !== fieldName) return next
			return updateEntity(field.target, updateFields(fields => {
				const { inversedBy: _dropped, ...rest } = owning
				return { ...fields, [field.ownedBy]: rest as Field }
			}))(next)
		})
	}
	if (formatVersion >= FORMAT_REMOVE_RELATION_REMOVES_INVERSE && isOwningRelation(field) && field.inversedBy) {
		const inversedBy = field.inversedBy
		steps.push(next => {
			if (!own(own(next.model.entities, field.target)?.fields, inversedBy)) return next
			// the inverse side goes with the owning one, so its permissions go in every role as well
			return dropFieldAndConstraints(field.target, inversedBy)(removeFieldFromAcl(next, field.target, inversedBy))
		})
	}
	steps.push(dropFieldAndConstraints(entityName, fieldName))
	return pipe(...steps)(schema)
}

export const sqlRemoveField = (builder: SqlBuilder, schema: Schema, entityName: string, fieldName: string): void =>
	removeFieldSql(builder, getEntity(schema, entityName), getField(schema, entityName, fieldName))

/** what a field removal drops, for messages; undefined when nothing physical goes */
export const removedStorage = (schema: Schema, entityName: string, fieldName: string): string | undefined => {
	const entity = findEntity(schema, entityName)
	const field = own(entity?.fields, fieldName)
	if (!entity || !field || entity.view) return undefined
	if (isColumn(field)) return `column "${field.columnName}" of table "${entity.tableName}"`
	if (hasJoiningColumn(field)) return `column "${field.joiningColumn.columnName}" of table "${entity.tableName}"`
	if ('joiningTable' in field) return `junction table "${field.joiningTable.tableName}"`
	return undefined
}

export const removeFieldModification = defineModification<RemoveFieldData>({
	id: 'removeField',
	docs: {
		category: 'fields',
		summary: 'Removes a field: a column, either side of a relation, or a field of a view.',
		origin: 'contember',
		writtenByDiff: true,
		apply: 'Removes the field and every unique and index of the entity that mentions it (in `fields` or `include`). Removing an inverse side deletes `inversedBy` on the owning side. At v≥2 it also removes ACL field permissions and predicate parts. At v≥3, removing an owning relation also removes its inverse side, with the inverse side\'s ACL permissions and predicate parts in every role.',
		sql: 'A column or joining column: `ALTER TABLE "t" DROP "c";`. A many-has-many owning relation: `DROP TABLE "<junction>";`. An inverse side, or a field of a view: nothing.',
		destructive: 'when storage is dropped (a column, a joining column, a junction table); inverse sides and view fields are not',
		warnings: ['S009'],
		example: { entityName: 'Post', fieldName: 'subtitle' },
	},
	dataSchema: entityNameData({ fieldName: { type: 'string', minLength: 1 } }, ['fieldName']),
	apply: (schema, { entityName, fieldName }, formatVersion) => applyRemoveField(schema, entityName, fieldName, formatVersion),
	sql: (builder, schema, { entityName, fieldName }) => sqlRemoveField(builder, schema, entityName, fieldName),
	describe: ({ entityName, fieldName }, { schema }) => {
		const storage = removedStorage(schema, entityName, fieldName)
		const entity = findEntity(schema, entityName)
		const field = own(entity?.fields, fieldName)
		const dependentViews = entity ? viewsDependingOn(schema, entityName) : []
		return describeStep(`Remove field ${entityName}.${fieldName}${storage ? ` (drops ${storage})` : field && isRelation(field) ? ' (inverse side, no storage)' : entity?.view ? ` of ${storageLabel(entity, entityName)}` : ''}`, {
			// a field without storage (inverse side, view column) loses no data
			destructiveReason: storage ? `drops ${storage} and the data in it` : undefined,
			warnings: [
				storage && dependentViews.length > 0 &&
					warning(WarningCode.dependentObjects, `Views ${dependentViews.join(', ')} declare ${entityName} as a dependency; PostgreSQL refuses to drop a column a view still selects.`),
			],
		})
	},
})

/** names of view entities whose `dependencies` list `entityName` */
export const viewsDependingOn = (schema: Schema, entityName: string): string[] =>
	Object.values(schema.model.entities).filter(it => it.view?.dependencies?.includes(entityName)).map(it => it.name)
