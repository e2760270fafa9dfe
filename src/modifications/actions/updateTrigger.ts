/** updateTrigger `{ trigger }`: replaces the trigger of the same name. No SQL. */
import type { JsonObject } from '../../schema/model.js'
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'
import { namedObjectSchema, setAction } from './actionsShared.js'

export interface UpdateTriggerData {
	readonly trigger: JsonObject & { readonly name: string }
}

export const updateTriggerModification = defineModification<UpdateTriggerData>({
	id: 'updateTrigger',
	docs: {
		category: 'actions',
		summary: 'Replaces `actions.triggers[name]`.',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'none',
		destructive: false,
		warnings: [],
		example: {
			trigger: { type: 'watch', name: 'post_changed', entity: 'Post', watch: ['title', 'status'], target: 'webhook' },
		},
	},
	dataSchema: { type: 'object', required: ['trigger'], properties: { trigger: namedObjectSchema }, additionalProperties: false },
	apply: (schema, { trigger }) => setAction(schema, 'triggers', trigger.name, trigger),
	sql: () => {},
	describe: ({ trigger }) => describeStep(`Replace trigger ${trigger.name}`),
})
