/** The ON DELETE action of a joining column changed (the foreign key is recreated). */
import type { Modification } from '../../modifications/types.js'
import { hasJoiningColumn } from '../../schema/model.js'
import type { Differ } from '../types.js'
import { commonFields, modification } from '../helpers.js'

export const diffUpdateRelationOnDelete: Differ = {
	name: 'updateRelationOnDelete',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [entity, before, after] of commonFields(current, updated)) {
			if (!hasJoiningColumn(before) || !hasJoiningColumn(after) || before.target !== after.target) continue
			if (before.joiningColumn.onDelete !== after.joiningColumn.onDelete) {
				out.push(modification('updateRelationOnDelete', { entityName: entity.name, fieldName: after.name, onDelete: after.joiningColumn.onDelete }))
			}
		}
		return out
	},
}
