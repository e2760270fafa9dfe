/**
 * updateFieldName `{ entityName, fieldName, newFieldName, columnName? }` (hand-written only).
 * Renames the field (keeping its position), the partner relation's `inversedBy`/`ownedBy`,
 * (v≥2) unique fields and ACL, (v≥5) index fields and `columnOptions` keys. With `columnName`
 * the column (or joining column) is renamed as well.
 */
import { ModificationApplyError } from '../../errors.js'
import { type Entity, type Field, hasJoiningColumn, isColumn, isInverseRelation, isRelation, type Schema, own } from '../../schema/model.js'
import { quoteIdentifier } from '../../sql/quote.js'
import { renameFieldInAcl } from '../acl/aclRewrite.js'
import { describeStep } from '../describeShared.js'
import { fieldColumnName, isView, quoteTable } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { existingField, getEntity, getField, missingField, pipe, renameKey, updateEntity, type Updater } from '../updaters.js'
import { FORMAT_ACL_FOLLOWS_RENAMES, FORMAT_RENAME_UPDATES_INDEX_FIELDS, FORMAT_RENAME_UPDATES_UNIQUE_FIELDS } from '../versions.js'
import { warning, WarningCode } from '../warnings.js'
import { entityNameData } from './fieldSchemas.js'

export interface UpdateFieldNameData {
	readonly entityName: string
	readonly fieldName: string
	readonly newFieldName: string
	readonly columnName?: string
}

const renameIn = (names: readonly string[], from: string, to: string) => names.map(it => (it === from ? to : it))

const withColumnName = (field: Field, columnName: string | undefined): Field => {
	if (columnName === undefined) return field
	if (isColumn(field)) return { ...field, columnName }
	if (hasJoiningColumn(field)) return { ...field, joiningColumn: { ...field.joiningColumn, columnName } }
	throw new ModificationApplyError(`Field ${field.name} has no column to rename`)
}

const renameInEntity = (data: UpdateFieldNameData, formatVersion: number): Updater<Entity> => entity => {
	const { fieldName, newFieldName, columnName } = data
	const field = own(entity.fields, fieldName)
	if (!field) throw missingField(entity.name, fieldName)
	if (fieldName !== newFieldName && own(entity.fields, newFieldName)) throw existingField(entity.name, newFieldName)
	const renamed = withColumnName({ ...field, name: newFieldName }, columnName)
	return {
		...entity,
		fields: renameKey(entity.fields, fieldName, newFieldName, renamed),
		unique: formatVersion >= FORMAT_RENAME_UPDATES_UNIQUE_FIELDS
			? entity.unique.map(it => ({ ...it, fields: renameIn(it.fields, fieldName, newFieldName) }))
			: entity.unique,
		indexes: formatVersion >= FORMAT_RENAME_UPDATES_INDEX_FIELDS
			? entity.indexes.map(it => ({
				...it,
				fields: renameIn(it.fields, fieldName, newFieldName),
				...(it.include ? { include: renameIn(it.include, fieldName, newFieldName) } : {}),
				...(own(it.columnOptions, fieldName)
					? { columnOptions: renameKey(it.columnOptions!, fieldName, newFieldName, own(it.columnOptions, fieldName)) }
					: {}),
			}))
			: entity.indexes,
	}
}

/** the partner side of a relation points at the new name */
const renamePartner = (field: Field, newFieldName: string): Updater<Schema> => schema => {
	if (!isRelation(field)) return schema
	const inverse = isInverseRelation(field)
	const partnerName = inverse ? field.ownedBy : 'inversedBy' in field ? field.inversedBy : undefined
	const partner = partnerName === undefined ? undefined : own(own(schema.model.entities, field.target)?.fields, partnerName)
	if (!partnerName || !partner || !isRelation(partner)) return schema
	const key = inverse ? 'inversedBy' : 'ownedBy'
	if (!(key in partner)) return schema
	return updateEntity(field.target, entity => ({
		...entity,
		fields: { ...entity.fields, [partnerName]: { ...partner, [key]: newFieldName } as Field },
	}))(schema)
}

export const updateFieldNameModification = defineModification<UpdateFieldNameData>({
	id: 'updateFieldName',
	docs: {
		category: 'fields',
		summary: 'Renames a field, and with `columnName` its column.',
		origin: 'contember',
		writtenByDiff: true,
		apply: 'Renames the field key (keeping its position) and `name`, and updates the partner relation\'s `inversedBy` / `ownedBy`. At v≥2 it also renames uniques, ACL permissions and predicate paths. At v≥5 it also renames indexes (`fields`, `include`, `columnOptions` keys).',
		sql: 'Only with `columnName`: `ALTER TABLE "t" RENAME "old" TO "new";`',
		destructive: false,
		warnings: ['S010'],
		example: { entityName: 'Post', fieldName: 'title', newFieldName: 'headline', columnName: 'headline' },
	},
	dataSchema: entityNameData(
		{ fieldName: { type: 'string', minLength: 1 }, newFieldName: { type: 'string', minLength: 1 }, columnName: { type: 'string', minLength: 1 } },
		['fieldName', 'newFieldName'],
	),
	apply: (schema, data, formatVersion) => {
		const field = getField(schema, data.entityName, data.fieldName)
		return pipe<Schema>(
			next => (formatVersion >= FORMAT_ACL_FOLLOWS_RENAMES ? renameFieldInAcl(next, data.entityName, data.fieldName, data.newFieldName) : next),
			updateEntity(data.entityName, renameInEntity(data, formatVersion)),
			renamePartner(field, data.newFieldName),
		)(schema)
	},
	sql: (builder, schema, { entityName, fieldName, columnName }) => {
		if (columnName === undefined) return
		const entity = getEntity(schema, entityName)
		if (isView(entity)) return
		const current = fieldColumnName(getField(schema, entityName, fieldName))
		if (current === undefined) throw new ModificationApplyError(`Field ${entityName}::${fieldName} has no column to rename`)
		if (current === columnName) return
		builder.statement(`ALTER TABLE ${quoteTable(entity)} RENAME ${quoteIdentifier(current)} TO ${quoteIdentifier(columnName)}`)
	},
	describe: ({ entityName, fieldName, newFieldName, columnName }) =>
		describeStep(`Rename field ${entityName}.${fieldName} to ${newFieldName}${columnName ? ` (column renamed to "${columnName}")` : ''}`, {
			warnings: [
				warning(WarningCode.renameBreaksClients, `API clients using ${entityName}.${fieldName} must switch to ${newFieldName}${columnName ? '' : '; the database column keeps its name'}.`),
			],
		}),
})
