/** Declared indexes not present with exactly the same definition. */
import type { Modification } from '../../modifications/types.js'
import { canonicalJson } from '../../schema/compare.js'
import type { Differ } from '../types.js'
import { modification, unchanged } from '../helpers.js'

export const diffCreateIndex: Differ = {
	name: 'createIndex',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const entity of Object.values(updated.model.entities)) {
			const before = current.model.entities[entity.name]
			if (!before || unchanged(before, entity)) continue
			const existing = new Set(before.indexes.map(canonicalJson))
			for (const index of entity.indexes) {
				if (!existing.has(canonicalJson(index))) out.push(modification('createIndex', { entityName: entity.name, index }))
			}
		}
		return out
	},
}
