/** Default ordering of a has-many side changed (schema only). */
import type { Modification } from '../../modifications/types.js'
import { isRelation } from '../../schema/model.js'
import type { Differ } from '../types.js'
import { commonFields, modification, same } from '../helpers.js'

export const diffUpdateRelationOrderBy: Differ = {
	name: 'updateRelationOrderBy',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [entity, before, after] of commonFields(current, updated)) {
			if (!isRelation(before) || !isRelation(after) || before.type !== after.type) continue
			if (after.type !== 'OneHasMany' && after.type !== 'ManyHasMany') continue
			const was = 'orderBy' in before ? before.orderBy : undefined
			const is = 'orderBy' in after ? after.orderBy : undefined
			if (!same(was ?? [], is ?? [])) {
				out.push(modification('updateRelationOrderBy', { entityName: entity.name, fieldName: after.name, orderBy: is ?? [] }))
			}
		}
		return out
	},
}
