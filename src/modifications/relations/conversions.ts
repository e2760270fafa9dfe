/**
 * Schema helpers shared by the relation conversions: a field replaced in place (same position
 * among the fields), optionally under a new name; from format 2 on a new name carries the
 * field's ACL permissions and predicate parts along, as updateFieldName does.
 */
import type { Field, InverseRelation, OwningRelation, Schema } from '../../schema/model.js'
import { renameFieldInAcl } from '../acl/aclRewrite.js'
import type { Updater } from '../updaters.js'
import { existingField, missingField, renameKey, updateEntity } from '../updaters.js'
import { FORMAT_ACL_FOLLOWS_RENAMES } from '../versions.js'
import { own } from '../../schema/model.js'

/**
 * Replaces `entityName.fieldName` by `replacement` (named `replacement.name`, at the same
 * position). A new name must be free; (v≥2) the ACL follows it. The ACL is rewritten first,
 * while predicate paths still resolve through the old field.
 */
export const replaceField = (entityName: string, fieldName: string, replacement: Field, formatVersion: number): Updater<Schema> => schema => {
	const entity = own(schema.model.entities, entityName)
	if (entity && !own(entity.fields, fieldName)) throw missingField(entityName, fieldName)
	const renamed = replacement.name !== fieldName
	if (renamed && own(entity?.fields, replacement.name)) throw existingField(entityName, replacement.name)
	const withAcl = renamed && formatVersion >= FORMAT_ACL_FOLLOWS_RENAMES ? renameFieldInAcl(schema, entityName, fieldName, replacement.name) : schema
	return updateEntity(entityName, current => ({ ...current, fields: renameKey(current.fields, fieldName, replacement.name, replacement) }))(withAcl)
}

/**
 * Rewrites the inverse side of `owning` (found through `inversedBy` on `owning.target`) with
 * `convert`, storing it as `newName`. Nothing happens for a unidirectional relation.
 */
export const replaceInverseSide = <From extends InverseRelation>(
	owning: OwningRelation,
	newName: string | undefined,
	formatVersion: number,
	convert: (inverse: From) => InverseRelation,
): Updater<Schema> => schema => {
	if (owning.inversedBy === undefined || newName === undefined) return schema
	const inverse = own(own(schema.model.entities, owning.target)?.fields, owning.inversedBy)
	if (!inverse) throw missingField(owning.target, owning.inversedBy)
	return replaceField(owning.target, owning.inversedBy, { ...convert(inverse as From), name: newName } as Field, formatVersion)(schema)
}
