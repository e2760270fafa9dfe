/** Indexes no longer declared exactly as they are; identified by their definition, never by name (see compare.ts). */
import type { Modification } from '../../modifications/types.js'
import { constraintIdentity } from '../../schema/compare.js'
import type { Differ } from '../types.js'
import { modification, omit, unchanged } from '../helpers.js'
import { own } from '../../schema/model.js'

export const diffRemoveIndex: Differ = {
	name: 'removeIndex',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [name, before] of Object.entries(current.model.entities)) {
			const after = own(updated.model.entities, name)
			if (!after || unchanged(before, after)) continue
			const declared = new Set(after.indexes.map(constraintIdentity))
			for (const index of before.indexes) {
				if (!declared.has(constraintIdentity(index))) out.push(modification('removeIndex', { entityName: name, ...omit(index, 'name') }))
			}
		}
		return out
	},
}
