/** Default entity ordering changed; an absent `orderBy` removes it. */
import type { Modification } from '../../modifications/types.js'
import type { Differ } from '../types.js'
import { commonEntities, modification, same } from '../helpers.js'

export const diffUpdateEntityOrderBy: Differ = {
	name: 'updateEntityOrderBy',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [before, after] of commonEntities(current, updated)) {
			if (!same(before.orderBy, after.orderBy)) out.push(modification('updateEntityOrderBy', { entityName: after.name, orderBy: after.orderBy }))
		}
		return out
	},
}
