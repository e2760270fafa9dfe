/**
 * New tables with their primary key only; every other field arrives through createColumn /
 * createRelation and constraints through createUniqueConstraint / createIndex, so each piece
 * has one SQL path.
 */
import type { Modification } from '../../modifications/types.js'
import type { Differ } from '../types.js'
import { isViewEntity, modification } from '../helpers.js'
import { own } from '../../schema/model.js'

export const diffCreateEntity: Differ = {
	name: 'createEntity',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const entity of Object.values(updated.model.entities)) {
			if (own(current.model.entities, entity.name) || isViewEntity(entity)) continue
			const primary = own(entity.fields, entity.primary)
			out.push(modification('createEntity', {
				entity: { ...entity, fields: primary ? { [entity.primary]: primary } : {}, unique: [], indexes: [] },
			}))
		}
		return out
	},
}
