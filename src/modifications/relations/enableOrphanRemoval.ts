/**
 * enableOrphanRemoval `{ entityName, fieldName }`: on a one-has-one owning relation, deleting
 * the owner also deletes the target. Enforced by the application, so schema only.
 */
import type { OneHasOneOwningRelation } from '../../schema/model.js'
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'
import { updateField } from '../updaters.js'
import { getFieldOfKind, isOneHasOneOwning } from './relationSql.js'
import { relationFieldData } from './relationSchemas.js'

export interface EnableOrphanRemovalData {
	readonly entityName: string
	readonly fieldName: string
}

export const enableOrphanRemovalModification = defineModification<EnableOrphanRemovalData>({
	id: 'enableOrphanRemoval',
	docs: {
		category: 'relations',
		summary: 'Turns orphan removal on for a one-has-one owning relation (an API behaviour).',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'none',
		destructive: false,
		warnings: [],
		example: { entityName: 'Post', fieldName: 'cover' },
	},
	dataSchema: relationFieldData(),
	apply: (schema, { entityName, fieldName }) => {
		getFieldOfKind(schema, entityName, fieldName, isOneHasOneOwning, 'a one-has-one owning relation')
		return updateField<OneHasOneOwningRelation>(entityName, fieldName, field => ({ ...field, orphanRemoval: true }))(schema)
	},
	sql: () => {},
	describe: ({ entityName, fieldName }) => describeStep(`Enable orphan removal on ${entityName}.${fieldName} (no SQL)`),
})
