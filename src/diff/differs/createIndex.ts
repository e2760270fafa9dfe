/** Declared indexes not present with the same definition (a legacy name does not count, see compare.ts). */
import type { Modification } from '../../modifications/types.js'
import { constraintIdentity } from '../../schema/compare.js'
import type { Differ } from '../types.js'
import { modification, unchanged } from '../helpers.js'
import { own } from '../../schema/model.js'

export const diffCreateIndex: Differ = {
	name: 'createIndex',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const entity of Object.values(updated.model.entities)) {
			const before = own(current.model.entities, entity.name)
			if (!before || unchanged(before, entity)) continue
			const existing = new Set(before.indexes.map(constraintIdentity))
			for (const index of entity.indexes) {
				if (!existing.has(constraintIdentity(index))) out.push(modification('createIndex', { entityName: entity.name, index }))
			}
		}
		return out
	},
}
