/** Uniques no longer declared exactly as they are (deep equality: timing, index form, method…). */
import type { Modification } from '../../modifications/types.js'
import { canonicalJson } from '../../schema/compare.js'
import type { Differ } from '../types.js'
import { modification, unchanged } from '../helpers.js'

export const diffRemoveUniqueConstraint: Differ = {
	name: 'removeUniqueConstraint',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [name, before] of Object.entries(current.model.entities)) {
			const after = updated.model.entities[name]
			if (!after || unchanged(before, after)) continue
			const declared = new Set(after.unique.map(canonicalJson))
			for (const unique of before.unique) {
				if (!declared.has(canonicalJson(unique))) out.push(modification('removeUniqueConstraint', { entityName: name, unique }))
			}
		}
		return out
	},
}
