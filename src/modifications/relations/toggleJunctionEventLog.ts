/**
 * toggleJunctionEventLog `{ entityName, fieldName, enabled }`: switches Contember's event log
 * on the junction table of a many-has-many owning relation. The event log is made of triggers
 * calling Contember's engine (`system` schema), which strata does not emit, so the
 * step updates the schema and writes no SQL.
 */
import type { ManyHasManyOwningRelation } from '../../schema/model.js'
import { describeStep } from '../describeShared.js'
import { eventLogTriggersSql } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { updateField } from '../updaters.js'
import { getFieldOfKind, isManyHasManyOwning, tableEntity } from './relationSql.js'
import { relationFieldData } from './relationSchemas.js'

export interface ToggleJunctionEventLogData {
	readonly entityName: string
	readonly fieldName: string
	readonly enabled: boolean
}

const expected = 'a many-has-many owning relation'

export const toggleJunctionEventLogModification = defineModification<ToggleJunctionEventLogData>({
	id: 'toggleJunctionEventLog',
	docs: {
		category: 'relations',
		summary: 'Turns Contember\'s event log of a junction table on or off.',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'none (engine triggers)',
		destructive: false,
		warnings: [],
		example: { entityName: 'Post', fieldName: 'tags', enabled: false },
	},
	dataSchema: relationFieldData({ enabled: { type: 'boolean' } }, ['enabled']),

	apply: (schema, { entityName, fieldName, enabled }) => {
		getFieldOfKind(schema, entityName, fieldName, isManyHasManyOwning, expected)
		return updateField<ManyHasManyOwningRelation>(entityName, fieldName, field => ({
			...field,
			joiningTable: { ...field.joiningTable, eventLog: { enabled } },
		}))(schema)
	},

	sql: (builder, schema, { entityName, fieldName, enabled }) => {
		if (!tableEntity(schema, entityName)) return
		const relation = getFieldOfKind(schema, entityName, fieldName, isManyHasManyOwning, expected)
		eventLogTriggersSql(builder, relation.joiningTable.tableName, enabled)
	},

	describe: ({ entityName, fieldName, enabled }) =>
		describeStep(`${enabled ? 'Enable' : 'Disable'} the event log of the junction table of ${entityName}.${fieldName} (Contember engine only; no SQL)`),
})
