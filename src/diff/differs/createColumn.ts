/**
 * New columns of tables. A declared `default` becomes the fill value for existing rows
 * (`valueMigrationStrategy: 'using'`: one ALTER … USING instead of an UPDATE); fill values the
 * user supplies are added afterwards by diff/fills.ts.
 */
import type { Modification } from '../../modifications/types.js'
import { isColumn, own } from '../../schema/model.js'
import type { Differ } from '../types.js'
import { isViewEntity, modification, unchanged } from '../helpers.js'

export const diffCreateColumn: Differ = {
	name: 'createColumn',
	diff: (current, updated) => {
		const out: Modification[] = []
		for (const entity of Object.values(updated.model.entities)) {
			const before = own(current.model.entities, entity.name)
			if (!before || unchanged(before, entity) || isViewEntity(entity)) continue
			for (const field of Object.values(entity.fields)) {
				if (!isColumn(field) || own(before.fields, field.name)) continue
				const fill = field.default !== undefined ? { fillValue: field.default, valueMigrationStrategy: 'using' } : {}
				out.push(modification('createColumn', { entityName: entity.name, field, ...fill }))
			}
		}
		return out
	},
}
