/** `joiningTable.eventLog.enabled` of a many-has-many owning side flipped. */
import type { Modification } from '../../modifications/types.js'
import type { Differ } from '../types.js'
import { commonFields, modification } from '../helpers.js'

export const diffToggleJunctionEventLog: Differ = {
	name: 'toggleJunctionEventLog',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [entity, before, after] of commonFields(current, updated)) {
			if (!('joiningTable' in before) || !('joiningTable' in after)) continue
			const enabled = after.joiningTable.eventLog?.enabled ?? true
			if ((before.joiningTable.eventLog?.enabled ?? true) !== enabled) {
				out.push(modification('toggleJunctionEventLog', { entityName: entity.name, fieldName: after.name, enabled }))
			}
		}
		return out
	},
}
