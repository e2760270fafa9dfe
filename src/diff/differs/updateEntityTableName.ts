/** A table renamed in place (ALTER TABLE … RENAME TO), keeping its rows. */
import type { Modification } from '../../modifications/types.js'
import type { Differ } from '../types.js'
import { commonEntities, modification } from '../helpers.js'

export const diffUpdateEntityTableName: Differ = {
	name: 'updateEntityTableName',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [before, after] of commonEntities(current, updated)) {
			if (before.tableName !== after.tableName) out.push(modification('updateEntityTableName', { entityName: after.name, tableName: after.tableName }))
		}
		return out
	},
}
