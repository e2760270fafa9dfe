/**
 * Uniques no longer declared exactly as they are (timing, index form, method…; the legacy name
 * does not count, see compare.ts). Written as `{ entityName, fields }`: the shape Contember 2.0.x
 * reads and the newer line still accepts (the newer `{ unique }` shape is unreadable by 2.0.x).
 * The field set identifies a unique: validation allows one unique per field set.
 */
import type { Modification } from '../../modifications/types.js'
import { constraintIdentity } from '../../schema/compare.js'
import type { Differ } from '../types.js'
import { modification, unchanged } from '../helpers.js'
import { own } from '../../schema/model.js'

export const diffRemoveUniqueConstraint: Differ = {
	name: 'removeUniqueConstraint',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [name, before] of Object.entries(current.model.entities)) {
			const after = own(updated.model.entities, name)
			if (!after || unchanged(before, after)) continue
			const declared = new Set(after.unique.map(constraintIdentity))
			for (const unique of before.unique) {
				if (!declared.has(constraintIdentity(unique))) out.push(modification('removeUniqueConstraint', { entityName: name, fields: unique.fields }))
			}
		}
		return out
	},
}
