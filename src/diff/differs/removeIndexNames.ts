/** Legacy schemas carry names on uniques/indexes; no SQL uses them, so they are stripped first. */
import type { Differ } from '../types.js'
import { modification } from '../helpers.js'

export const diffRemoveIndexNames: Differ = {
	name: 'removeIndexNames',
	diff: current => {
		const named = Object.values(current.model.entities).some(
			entity => entity.unique.some(it => it.name !== undefined) || entity.indexes.some(it => it.name !== undefined),
		)
		return named ? [modification('removeIndexNames')] : []
	},
}
