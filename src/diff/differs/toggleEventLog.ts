/** Entity `eventLog.enabled` flipped. */
import type { Modification } from '../../modifications/types.js'
import type { Differ } from '../types.js'
import { commonEntities, modification } from '../helpers.js'

export const diffToggleEventLog: Differ = {
	name: 'toggleEventLog',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [before, after] of commonEntities(current, updated)) {
			const enabled = after.eventLog?.enabled ?? true
			if ((before.eventLog?.enabled ?? true) !== enabled) out.push(modification('toggleEventLog', { entityName: after.name, enabled }))
		}
		return out
	},
}
