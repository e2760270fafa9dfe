/** removeTrigger `{ name }`. No SQL. */
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'
import { nameData, removeAction } from './actionsShared.js'

export interface RemoveTriggerData {
	readonly name: string
}

export const removeTriggerModification = defineModification<RemoveTriggerData>({
	id: 'removeTrigger',
	docs: {
		category: 'actions',
		summary: 'Removes a trigger (it must exist).',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'none',
		destructive: false,
		warnings: [],
		example: { name: 'post_changed' },
	},
	dataSchema: nameData,
	apply: (schema, { name }) => removeAction(schema, 'triggers', name),
	sql: () => {},
	describe: ({ name }) => describeStep(`Remove trigger ${name}`),
})
