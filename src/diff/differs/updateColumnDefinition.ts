/** A column whose type, nullability, default, sequence, collation… changed (names excluded). */
import type { Modification } from '../../modifications/types.js'
import { isColumn } from '../../schema/model.js'
import type { Differ } from '../types.js'
import { commonFields, modification } from '../helpers.js'
import { columnDefinition, sameColumnDefinition } from '../views.js'

export const diffUpdateColumnDefinition: Differ = {
	name: 'updateColumnDefinition',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [entity, before, after] of commonFields(current, updated)) {
			if (!isColumn(before) || !isColumn(after)) continue
			if (!sameColumnDefinition(before, after)) {
				// strata: a column turned NOT NULL is filled from its declared default, as new columns are
				const fill = before.nullable && !after.nullable && after.default !== undefined && !after.sequence ? { fillValue: after.default } : {}
				out.push(modification('updateColumnDefinition', { entityName: entity.name, fieldName: after.name, definition: columnDefinition(after), ...fill }))
			}
		}
		return out
	},
}
