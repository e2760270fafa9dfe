/** one-has-one owning → many-has-one, keeping the joining column (drops its unique key). */
import type { Modification } from '../../modifications/types.js'
import { hasJoiningColumn } from '../../schema/model.js'
import type { Differ } from '../types.js'
import { commonFields, modification } from '../helpers.js'

export const diffConvertOneToManyRelation: Differ = {
	name: 'convertOneToManyRelation',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [entity, before, after] of commonFields(current, updated)) {
			if (!hasJoiningColumn(before) || !hasJoiningColumn(after)) continue
			if (before.type !== 'OneHasOne' || after.type !== 'ManyHasOne' || before.target !== after.target) continue
			const renamed = before.inversedBy && after.inversedBy && before.inversedBy !== after.inversedBy
			out.push(modification('convertOneToManyRelation', {
				entityName: entity.name,
				fieldName: after.name,
				newInverseSideFieldName: renamed ? after.inversedBy : undefined,
			}))
		}
		return out
	},
}
