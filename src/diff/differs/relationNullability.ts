/**
 * makeRelationNotNull / makeRelationNullable: the `nullable` flag of a many-has-one or
 * one-has-one side (owning: SET/DROP NOT NULL on the joining column; inverse: schema only).
 */
import type { ModificationId } from '../../modifications/registry.js'
import type { Modification } from '../../modifications/types.js'
import { isRelation } from '../../schema/model.js'
import type { Differ } from '../types.js'
import { commonFields, modification } from '../helpers.js'

const nullability = (id: ModificationId & ('makeRelationNotNull' | 'makeRelationNullable'), nullable: boolean): Differ => ({
	name: id,
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [entity, before, after] of commonFields(current, updated)) {
			if (!isRelation(before) || !isRelation(after) || before.type !== after.type || before.target !== after.target) continue
			if (!('nullable' in before) || !('nullable' in after)) continue
			if (before.nullable !== nullable && after.nullable === nullable) {
				out.push(modification(id, { entityName: entity.name, fieldName: after.name }))
			}
		}
		return out
	},
})

export const diffMakeRelationNotNull = nullability('makeRelationNotNull', false)
export const diffMakeRelationNullable = nullability('makeRelationNullable', true)
