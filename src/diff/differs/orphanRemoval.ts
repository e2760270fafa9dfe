/** enableOrphanRemoval / disableOrphanRemoval on one-has-one owning sides (schema only). */
import type { Modification } from '../../modifications/types.js'
import type { Differ } from '../types.js'
import { commonFields, modification } from '../helpers.js'

const orphanRemoval = (enable: boolean): Differ => ({
	name: enable ? 'enableOrphanRemoval' : 'disableOrphanRemoval',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [entity, before, after] of commonFields(current, updated)) {
			if (before.type !== 'OneHasOne' || after.type !== 'OneHasOne' || !('joiningColumn' in before) || !('joiningColumn' in after)) continue
			const was = before.orphanRemoval === true
			const is = after.orphanRemoval === true
			if (was !== is && is === enable) {
				out.push(modification(enable ? 'enableOrphanRemoval' : 'disableOrphanRemoval', { entityName: entity.name, fieldName: after.name }))
			}
		}
		return out
	},
})

export const diffEnableOrphanRemoval = orphanRemoval(true)
export const diffDisableOrphanRemoval = orphanRemoval(false)
