/** removeTarget `{ name }`. No SQL. */
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'
import { nameData, removeAction } from './actionsShared.js'

export interface RemoveTargetData {
	readonly name: string
}

export const removeTargetModification = defineModification<RemoveTargetData>({
	id: 'removeTarget',
	docs: {
		category: 'actions',
		summary: 'Removes a target (it must exist).',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'none',
		destructive: false,
		warnings: [],
		example: { name: 'webhook' },
	},
	dataSchema: nameData,
	apply: (schema, { name }) => removeAction(schema, 'targets', name),
	sql: () => {},
	describe: ({ name }) => describeStep(`Remove target ${name}`),
})
