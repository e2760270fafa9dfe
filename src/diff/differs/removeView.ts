/**
 * Views that must be dropped before the tables change: removed views, view↔table switches,
 * changes CREATE OR REPLACE VIEW cannot make (other fields, materialized views, or every change
 * with `recreateViews`), and views reading from a table whose column definitions change
 * (PostgreSQL refuses to retype a column a view uses) or lose a column (strata: DROP COLUMN
 * fails the same way). Dependants go first, transitively.
 * They are recreated by the createView differ once the tables are in their final shape.
 */
import type { Modification } from '../../modifications/types.js'
import type { Entity } from '../../schema/model.js'
import type { Differ, DifferOptions } from '../types.js'
import { isViewEntity, modification, same, unchanged } from '../helpers.js'
import { dependantsOf, dropsColumn, hasChangedColumnDefinition, sameExceptView } from '../views.js'
import { own } from '../../schema/model.js'

const mustDrop = (before: Entity, after: Entity | undefined, options: DifferOptions): boolean => {
	if (!after) return isViewEntity(before)
	if (isViewEntity(before) !== isViewEntity(after)) return true
	if (!before.view || !after.view) return false
	if (!sameExceptView(before, after)) return true
	if (same(before.view, after.view)) return false
	return options.recreateViews || before.view.materialized === true || after.view.materialized === true
}

export const diffRemoveView: Differ = {
	name: 'removeView',
	diff: (current, updated, options) => {
		const out: Modification[] = []
		const dependants = dependantsOf(current)
		const dropped = new Set<string>()
		const drop = (name: string) => {
			if (dropped.has(name)) return
			dropped.add(name)
			for (const dependant of dependants.get(name) ?? []) drop(dependant)
			out.push(modification('removeEntity', { entityName: name }))
		}
		for (const before of Object.values(current.model.entities)) {
			const after = own(updated.model.entities, before.name)
			if (after && unchanged(before, after)) continue
			if (mustDrop(before, after, options)) drop(before.name)
			else if (after && !isViewEntity(before) && (hasChangedColumnDefinition(before, after) || dropsColumn(before, after))) {
				for (const dependant of dependants.get(before.name) ?? []) drop(dependant)
			}
		}
		return out
	},
}
