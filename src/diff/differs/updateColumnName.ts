/** A column renamed in place. Joining columns are not renamed here: a changed relation is recreated. */
import type { Modification } from '../../modifications/types.js'
import { isColumn } from '../../schema/model.js'
import type { Differ } from '../types.js'
import { commonFields, modification } from '../helpers.js'

export const diffUpdateColumnName: Differ = {
	name: 'updateColumnName',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [entity, before, after] of commonFields(current, updated)) {
			if (isColumn(before) && isColumn(after) && before.columnName !== after.columnName) {
				out.push(modification('updateColumnName', { entityName: entity.name, fieldName: after.name, columnName: after.columnName }))
			}
		}
		return out
	},
}
