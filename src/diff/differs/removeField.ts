/**
 * Fields no longer declared. An inverse side is left alone when its owning side goes too:
 * removing the owning side removes the inverse with it.
 */
import type { Modification } from '../../modifications/types.js'
import { isInverseRelation, own, type Schema } from '../../schema/model.js'
import type { Differ } from '../types.js'
import { modification, unchanged } from '../helpers.js'

const declared = (schema: Schema, entityName: string, fieldName: string): boolean =>
	own(own(schema.model.entities, entityName)?.fields, fieldName) !== undefined

export const diffRemoveField: Differ = {
	name: 'removeField',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const before of Object.values(current.model.entities)) {
			const after = own(updated.model.entities, before.name)
			if (!after || unchanged(before, after)) continue
			for (const field of Object.values(before.fields)) {
				if (declared(updated, before.name, field.name)) continue
				if (isInverseRelation(field) && declared(current, field.target, field.ownedBy) && !declared(updated, field.target, field.ownedBy)) continue
				out.push(modification('removeField', { entityName: before.name, fieldName: field.name }))
			}
		}
		return out
	},
}
