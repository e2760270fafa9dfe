/** Tables no longer declared (views were dropped by the removeView differ). */
import type { Modification } from '../../modifications/types.js'
import type { Differ } from '../types.js'
import { modification } from '../helpers.js'

export const diffRemoveEntity: Differ = {
	name: 'removeEntity',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const name of Object.keys(current.model.entities)) {
			if (!updated.model.entities[name]) out.push(modification('removeEntity', { entityName: name }))
		}
		return out
	},
}
