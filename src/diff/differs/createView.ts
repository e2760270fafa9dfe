/**
 * New (or dropped and recreated) views, whole — every field at once, since a view has no
 * columns of its own to add later — after the declared dependencies they read from. Uniques
 * and indexes follow as their own modifications.
 */
import type { Modification } from '../../modifications/types.js'
import type { Differ } from '../types.js'
import { modification } from '../helpers.js'
import { own } from '../../schema/model.js'

export const diffCreateView: Differ = {
	name: 'createView',
	diff: (current, updated) => {
		const out: Modification[] = []
		const created = new Set<string>()
		const create = (name: string) => {
			const entity = own(updated.model.entities, name)
			if (created.has(name) || !entity?.view || own(current.model.entities, name)) return
			created.add(name)
			for (const dependency of entity.view.dependencies ?? []) create(dependency)
			out.push(modification('createView', { entity: { ...entity, unique: [], indexes: [] } }))
		}
		for (const name of Object.keys(updated.model.entities)) create(name)
		return out
	},
}
