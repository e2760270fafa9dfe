/** Inverse sides added to an existing owning relation (schema only: they have no storage). */
import type { Modification } from '../../modifications/types.js'
import { isInverseRelation, own } from '../../schema/model.js'
import type { Differ } from '../types.js'
import { modification, unchanged } from '../helpers.js'

export const diffCreateRelationInverseSide: Differ = {
	name: 'createRelationInverseSide',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const entity of Object.values(updated.model.entities)) {
			const before = own(current.model.entities, entity.name)
			if (!before || unchanged(before, entity)) continue
			for (const field of Object.values(entity.fields)) {
				if (isInverseRelation(field) && !own(before.fields, field.name)) {
					out.push(modification('createRelationInverseSide', { entityName: entity.name, relation: field }))
				}
			}
		}
		return out
	},
}
