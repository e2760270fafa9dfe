/** many-has-one → one-has-one owning, keeping the joining column (adds a unique key). */
import type { Modification } from '../../modifications/types.js'
import { hasJoiningColumn } from '../../schema/model.js'
import type { Differ } from '../types.js'
import { commonFields, modification } from '../helpers.js'

export const diffConvertOneHasManyToOneHasOneRelation: Differ = {
	name: 'convertOneHasManyToOneHasOneRelation',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [entity, before, after] of commonFields(current, updated)) {
			if (!hasJoiningColumn(before) || !hasJoiningColumn(after)) continue
			if (before.type !== 'ManyHasOne' || after.type !== 'OneHasOne' || before.target !== after.target) continue
			const renamed = before.inversedBy && after.inversedBy && before.inversedBy !== after.inversedBy
			out.push(modification('convertOneHasManyToOneHasOneRelation', {
				entityName: entity.name,
				fieldName: after.name,
				newInverseSideFieldName: renamed ? after.inversedBy : undefined,
			}))
		}
		return out
	},
}
