/**
 * many-has-one → many-has-many, copying the pairs into the new junction table. Detected, as
 * Contember does, from the inverse side turning from one-has-many into many-has-many, so only
 * bidirectional relations convert; a unidirectional change stays drop + create.
 */
import type { Modification } from '../../modifications/types.js'
import type { Differ } from '../types.js'
import { commonFields, modification } from '../helpers.js'
import { own } from '../../schema/model.js'

export const diffConvertOneHasManyToManyHasManyRelation: Differ = {
	name: 'convertOneHasManyToManyHasManyRelation',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [, before, after] of commonFields(current, updated)) {
			if (before.type !== 'OneHasMany' || after.type !== 'ManyHasMany' || !('ownedBy' in after)) continue
			if (before.target !== after.target) continue
			const oldOwning = own(own(current.model.entities, before.target)?.fields, before.ownedBy)
			const newOwning = own(own(updated.model.entities, after.target)?.fields, after.ownedBy)
			if (!oldOwning || oldOwning.type !== 'ManyHasOne' || !newOwning || newOwning.type !== 'ManyHasMany' || !('joiningTable' in newOwning)) continue
			out.push(modification('convertOneHasManyToManyHasManyRelation', {
				entityName: before.target,
				fieldName: before.ownedBy,
				owningSide: newOwning,
				inverseSide: after,
			}))
		}
		return out
	},
}
