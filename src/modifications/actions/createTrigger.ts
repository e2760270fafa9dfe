/** createTrigger `{ trigger }`: adds a trigger under its name. No SQL. */
import type { JsonObject } from '../../schema/model.js'
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'
import { namedObjectSchema, setAction } from './actionsShared.js'

export interface CreateTriggerData {
	readonly trigger: JsonObject & { readonly name: string }
}

export const createTriggerModification = defineModification<CreateTriggerData>({
	id: 'createTrigger',
	docs: {
		category: 'actions',
		summary: 'Sets `actions.triggers[name]`.',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'none',
		destructive: false,
		warnings: [],
		example: { trigger: { type: 'watch', name: 'post_changed', entity: 'Post', watch: ['title'], target: 'webhook' } },
	},
	dataSchema: { type: 'object', required: ['trigger'], properties: { trigger: namedObjectSchema }, additionalProperties: false },
	apply: (schema, { trigger }) => setAction(schema, 'triggers', trigger.name, trigger),
	sql: () => {},
	describe: ({ trigger }) =>
		describeStep(`Create ${typeof trigger.type === 'string' ? `${trigger.type} ` : ''}trigger ${trigger.name}${typeof trigger.entity === 'string' ? ` on ${trigger.entity}` : ''}`),
})
