/** updateTarget `{ name, target }`: replaces the target stored under `name`. No SQL. */
import type { JsonObject } from '../../schema/model.js'
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'
import { namedObjectSchema, setAction } from './actionsShared.js'

export interface UpdateTargetData {
	readonly name: string
	readonly target: JsonObject & { readonly name: string }
}

export const updateTargetModification = defineModification<UpdateTargetData>({
	id: 'updateTarget',
	docs: {
		category: 'actions',
		summary: 'Replaces `actions.targets[name]`.',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'none',
		destructive: false,
		warnings: [],
		example: { name: 'webhook', target: { type: 'webhook', name: 'webhook', url: 'https://example.com/hook2' } },
	},
	dataSchema: {
		type: 'object',
		required: ['name', 'target'],
		properties: { name: { type: 'string', minLength: 1 }, target: namedObjectSchema },
		additionalProperties: false,
	},
	apply: (schema, { name, target }) => setAction(schema, 'targets', name, target),
	sql: () => {},
	describe: ({ name }) => describeStep(`Replace target ${name}`),
})
