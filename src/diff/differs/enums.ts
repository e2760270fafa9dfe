/**
 * createEnum (before columns use it), updateEnum (after columns were retyped), removeEnum
 * (last, once no column uses it).
 */
import type { Modification } from '../../modifications/types.js'
import type { Differ } from '../types.js'
import { modification, same } from '../helpers.js'
import { own } from '../../schema/model.js'

export const diffCreateEnum: Differ = {
	name: 'createEnum',
	diff: (current, updated) =>
		Object.entries(updated.model.enums)
			.filter(([name]) => own(current.model.enums, name) === undefined)
			.map(([enumName, values]) => modification('createEnum', { enumName, values })),
}

export const diffUpdateEnum: Differ = {
	name: 'updateEnum',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const [enumName, values] of Object.entries(updated.model.enums)) {
			const before = own(current.model.enums, enumName)
			if (before !== undefined && !same(before, values)) out.push(modification('updateEnum', { enumName, values }))
		}
		return out
	},
}

export const diffRemoveEnum: Differ = {
	name: 'removeEnum',
	diff: (current, updated) =>
		Object.keys(current.model.enums)
			.filter(name => own(updated.model.enums, name) === undefined)
			.map(enumName => modification('removeEnum', { enumName })),
}
