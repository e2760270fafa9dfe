/**
 * New owning relations of tables, each with its inverse side when the target already exists
 * (otherwise the inverse arrives with the target view, or through createRelationInverseSide).
 * A relation whose target does not exist yet (a view created later) is left for the second
 * run of this differ after createView.
 */
import type { Modification } from '../../modifications/types.js'
import { isOwningRelation, own } from '../../schema/model.js'
import type { Differ } from '../types.js'
import { isViewEntity, modification, unchanged } from '../helpers.js'

const createRelation = (name: string): Differ => ({
	name,
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const entity of Object.values(updated.model.entities)) {
			const before = own(current.model.entities, entity.name)
			if (!before || unchanged(before, entity) || isViewEntity(entity)) continue
			for (const field of Object.values(entity.fields)) {
				if (!isOwningRelation(field) || own(before.fields, field.name)) continue
				const target = own(current.model.entities, field.target)
				if (!target) continue
				const inverse = field.inversedBy && !own(target.fields, field.inversedBy) ? own(own(updated.model.entities, field.target)?.fields, field.inversedBy) : undefined
				out.push(modification('createRelation', { entityName: entity.name, owningSide: field, inverseSide: inverse }))
			}
		}
		return out
	},
})

export const diffCreateRelation = createRelation('createRelation')
/** relations targeting views created by the createView differ */
export const diffCreateRelationToView = createRelation('createRelation (to new views)')
