/** Declared uniques whose field list no entry has yet (others were removed by removeUniqueConstraint). */
import type { Modification } from '../../modifications/types.js'
import type { Differ } from '../types.js'
import { modification, unchanged } from '../helpers.js'
import { own } from '../../schema/model.js'

const key = (fields: readonly string[]) => JSON.stringify(fields)

export const diffCreateUniqueConstraint: Differ = {
	name: 'createUniqueConstraint',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const entity of Object.values(updated.model.entities)) {
			const before = own(current.model.entities, entity.name)
			if (!before || unchanged(before, entity)) continue
			const existing = new Set(before.unique.map(it => key(it.fields)))
			for (const unique of entity.unique) {
				if (!existing.has(key(unique.fields))) out.push(modification('createUniqueConstraint', { entityName: entity.name, unique }))
			}
		}
		return out
	},
}
