/**
 * Whatever still differs after the specific differs ran (column ↔ relation, another target or
 * relation type, a renamed joining column or junction table) is removed here and recreated by
 * the create differs. Owning sides go first (ignoring `inversedBy`, which the inverse-side
 * differs settle); inverse sides in a second pass, since removing an owning side may already
 * have taken its inverse along.
 */
import type { Modification } from '../../modifications/types.js'
import { isInverseRelation } from '../../schema/model.js'
import type { Differ } from '../types.js'
import { commonFields, modification, same } from '../helpers.js'

const removeChanged = (name: string, inverse: boolean): Differ => ({
	name,
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [entity, before, after] of commonFields(current, updated)) {
			if (isInverseRelation(before) !== inverse) continue
			// orderBy was settled by updateRelationOrderBy (an empty list and none mean the same)
			const changed = inverse ? !same(before, after, ['orderBy']) : !same(before, after, ['inversedBy', 'orderBy'])
			if (changed) out.push(modification('removeField', { entityName: entity.name, fieldName: before.name }))
		}
		return out
	},
})

export const diffRemoveChangedField = removeChanged('removeChangedField', false)
export const diffRemoveChangedInverseField = removeChanged('removeChangedInverseField', true)
