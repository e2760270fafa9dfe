/** createTarget `{ target }`: adds a (webhook) target under its name. No SQL. */
import type { JsonObject } from '../../schema/model.js'
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'
import { namedObjectSchema, setAction } from './actionsShared.js'

export interface CreateTargetData {
	readonly target: JsonObject & { readonly name: string }
}

export const createTargetModification = defineModification<CreateTargetData>({
	id: 'createTarget',
	docs: {
		category: 'actions',
		summary: 'Sets `actions.targets[name]`.',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'none',
		destructive: false,
		warnings: [],
		example: { target: { type: 'webhook', name: 'webhook', url: 'https://example.com/hook' } },
	},
	dataSchema: { type: 'object', required: ['target'], properties: { target: namedObjectSchema }, additionalProperties: false },
	apply: (schema, { target }) => setAction(schema, 'targets', target.name, target),
	sql: () => {},
	describe: ({ target }) => describeStep(`Create ${String(target.type)} target ${target.name}`),
})
