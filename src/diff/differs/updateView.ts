/**
 * Views whose SQL changed and nothing else: CREATE OR REPLACE VIEW in place, dependencies
 * before dependants. Skipped with `recreateViews` (the removeView differ dropped them instead).
 */
import type { Modification } from '../../modifications/types.js'
import type { Differ } from '../types.js'
import { modification, same } from '../helpers.js'
import { own } from '../../schema/model.js'

export const diffUpdateView: Differ = {
	name: 'updateView',
	diff: (current, updated, options) => {
		if (options.recreateViews) return []
		const out: Modification[] = []
		const done = new Set<string>()
		const update = (name: string) => {
			const before = own(current.model.entities, name)
			const after = own(updated.model.entities, name)
			if (done.has(name) || !before?.view || !after?.view || same(before.view, after.view)) return
			done.add(name)
			for (const dependency of after.view.dependencies ?? []) update(dependency)
			out.push(modification('updateView', { entityName: name, view: after.view }))
		}
		for (const name of Object.keys(updated.model.entities)) update(name)
		return out
	},
}
