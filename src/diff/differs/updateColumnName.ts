/**
 * A column renamed in place. strata also renames a joining column in place when nothing else
 * about the relation changed (Contember drops and recreates the relation, losing its values).
 */
import type { Modification } from '../../modifications/types.js'
import { hasJoiningColumn, isColumn } from '../../schema/model.js'
import type { Differ } from '../types.js'
import { commonFields, modification, same } from '../helpers.js'

export const diffUpdateColumnName: Differ = {
	name: 'updateColumnName',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [entity, before, after] of commonFields(current, updated)) {
			if (isColumn(before) && isColumn(after) && before.columnName !== after.columnName) {
				out.push(modification('updateColumnName', { entityName: entity.name, fieldName: after.name, columnName: after.columnName }))
			} else if (hasJoiningColumn(before) && hasJoiningColumn(after) && before.joiningColumn.columnName !== after.joiningColumn.columnName) {
				const renamed = { ...before, joiningColumn: after.joiningColumn }
				if (same(renamed, after, ['inversedBy', 'nullable', 'orphanRemoval'])) {
					out.push(modification('updateColumnName', { entityName: entity.name, fieldName: after.name, columnName: after.joiningColumn.columnName }))
				}
			}
		}
		return out
	},
}
