/**
 * disableOrphanRemoval `{ entityName, fieldName }`: removes `orphanRemoval` from a one-has-one
 * owning relation. Schema only.
 */
import type { OneHasOneOwningRelation } from '../../schema/model.js'
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'
import { updateField } from '../updaters.js'
import { getFieldOfKind, isOneHasOneOwning } from './relationSql.js'
import { relationFieldData } from './relationSchemas.js'

export interface DisableOrphanRemovalData {
	readonly entityName: string
	readonly fieldName: string
}

export const disableOrphanRemovalModification = defineModification<DisableOrphanRemovalData>({
	id: 'disableOrphanRemoval',
	docs: {
		category: 'relations',
		summary: 'Turns orphan removal off.',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'none',
		destructive: false,
		warnings: [],
		example: { entityName: 'Author', fieldName: 'avatar' },
	},
	dataSchema: relationFieldData(),
	apply: (schema, { entityName, fieldName }) => {
		getFieldOfKind(schema, entityName, fieldName, isOneHasOneOwning, 'a one-has-one owning relation')
		return updateField<OneHasOneOwningRelation>(entityName, fieldName, ({ orphanRemoval: _removed, ...field }) => field)(schema)
	},
	sql: () => {},
	describe: ({ entityName, fieldName }) => describeStep(`Disable orphan removal on ${entityName}.${fieldName} (no SQL)`),
})
