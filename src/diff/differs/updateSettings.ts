/** One `updateSettings` per changed top-level settings key. */
import type { Modification } from '../../modifications/types.js'
import type { Differ } from '../types.js'
import { modification, same } from '../helpers.js'
import { own } from '../../schema/model.js'

export const diffUpdateSettings: Differ = {
	name: 'updateSettings',
	nonModel: true,
	diff: (current, updated) => {
		const out: Modification[] = []
		const before = current.settings ?? {}
		const after = updated.settings ?? {}
		for (const [key, value] of Object.entries(after)) {
			if (value !== undefined && !same(own(before, key), value)) out.push(modification('updateSettings', { op: 'set', key, value }))
		}
		for (const key of Object.keys(before)) {
			if (own(before, key) !== undefined && own(after, key) === undefined) out.push(modification('updateSettings', { op: 'unset', key }))
		}
		return out
	},
}
