/** Tables no longer declared (views were dropped by the removeView differ). */
import type { Modification } from '../../modifications/types.js'
import type { Differ } from '../types.js'
import { modification } from '../helpers.js'
import { own } from '../../schema/model.js'

export const diffRemoveEntity: Differ = {
	name: 'removeEntity',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const name of Object.keys(current.model.entities)) {
			if (!own(updated.model.entities, name)) out.push(modification('removeEntity', { entityName: name }))
		}
		return out
	},
}
