/**
 * toggleEventLog `{ entityName, enabled }`: Contember's audit triggers live in its engine's
 * `system` schema, which strata does not emit, so this is a schema-only change here.
 */
import { describeStep } from '../describeShared.js'
import { entityNameData } from '../fields/fieldSchemas.js'
import { eventLogTriggersSql } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { getEntity, updateEntity } from '../updaters.js'

export interface ToggleEventLogData {
	readonly entityName: string
	readonly enabled: boolean
}

export const toggleEventLogModification = defineModification<ToggleEventLogData>({
	id: 'toggleEventLog',
	docs: {
		category: 'entities',
		summary: 'Turns Contember\'s event log of an entity on or off (`eventLog.enabled`).',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'none in strata (Contember creates or drops its engine triggers)',
		destructive: false,
		warnings: [],
		example: { entityName: 'Tag', enabled: false },
	},
	dataSchema: entityNameData({ enabled: { type: 'boolean' } }, ['enabled']),
	apply: (schema, { entityName, enabled }) => updateEntity(entityName, entity => ({ ...entity, eventLog: { ...entity.eventLog, enabled } }))(schema),
	sql: (builder, schema, { entityName, enabled }) => eventLogTriggersSql(builder, getEntity(schema, entityName).tableName, enabled),
	describe: ({ entityName, enabled }) => describeStep(`${enabled ? 'Enable' : 'Disable'} the event log of ${entityName} (Contember engine triggers; no SQL in strata)`),
})
