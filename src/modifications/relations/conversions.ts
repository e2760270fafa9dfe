/**
 * Schema helpers shared by the relation conversions: the inverse side on the target entity is
 * replaced in place (same position among the fields), optionally under a new name.
 */
import { ModificationApplyError } from '../../errors.js'
import type { Field, InverseRelation, OwningRelation, Schema } from '../../schema/model.js'
import type { Updater } from '../updaters.js'
import { renameKey, updateEntity } from '../updaters.js'

/**
 * Rewrites the inverse side of `owning` (found through `inversedBy` on `owning.target`) with
 * `convert`, storing it as `newName`. Nothing happens for a unidirectional relation.
 */
export const replaceInverseSide = <From extends InverseRelation>(
	owning: OwningRelation,
	newName: string | undefined,
	convert: (inverse: From) => InverseRelation,
): Updater<Schema> => schema => {
	if (owning.inversedBy === undefined || newName === undefined) return schema
	const inverseName = owning.inversedBy
	return updateEntity(owning.target, entity => {
		const inverse = entity.fields[inverseName]
		if (!inverse) throw new ModificationApplyError(`Field ${owning.target}::${inverseName} not found`)
		const converted = { ...convert(inverse as From), name: newName } as Field
		return { ...entity, fields: renameKey(entity.fields, inverseName, newName, converted) }
	})(schema)
}
