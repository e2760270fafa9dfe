/** patchTrigger `{ triggerName, patch }`: an RFC 6902 patch of one trigger. No SQL. */
import { applyJsonPatch, jsonPatchSchema, type Operation } from '../acl/jsonPatch.js'
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'
import { getAction, setAction } from './actionsShared.js'

export interface PatchTriggerData {
	readonly triggerName: string
	readonly patch: readonly Operation[]
}

export const patchTriggerModification = defineModification<PatchTriggerData>({
	id: 'patchTrigger',
	docs: {
		category: 'actions',
		summary: 'Applies an RFC 6902 patch to one trigger (it must exist).',
		origin: 'contember',
		writtenByDiff: false,
		sql: 'none',
		destructive: false,
		warnings: [],
		example: { triggerName: 'post_changed', patch: [{ op: 'replace', path: '/watch', value: ['title'] }] },
	},
	dataSchema: {
		type: 'object',
		required: ['triggerName', 'patch'],
		properties: { triggerName: { type: 'string', minLength: 1 }, patch: jsonPatchSchema },
		additionalProperties: false,
	},
	apply: (schema, { triggerName, patch }) =>
		setAction(schema, 'triggers', triggerName, applyJsonPatch(getAction(schema, 'triggers', triggerName), patch, `trigger ${triggerName}`)),
	sql: () => {},
	describe: ({ triggerName, patch }) => describeStep(`Update trigger ${triggerName} (${patch.length} change${patch.length === 1 ? '' : 's'})`),
})
