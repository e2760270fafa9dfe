/** patchValidationSchema `{ patch }`: an RFC 6902 patch of the validation schema. No SQL. */
import type { ValidationSchema } from '../../schema/model.js'
import { applyJsonPatch, jsonPatchSchema, type Operation } from '../acl/jsonPatch.js'
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'

export interface PatchValidationSchemaData {
	readonly patch: readonly Operation[]
}

export const patchValidationSchemaModification = defineModification<PatchValidationSchemaData>({
	id: 'patchValidationSchema',
	docs: {
		category: 'validation',
		summary: 'Applies an RFC 6902 patch to the validation rules, as `patchAclSchema` does.',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'none',
		destructive: false,
		warnings: [],
		example: { patch: [{ op: 'remove', path: '/Page' }] },
	},
	dataSchema: { type: 'object', required: ['patch'], properties: { patch: jsonPatchSchema }, additionalProperties: false },
	apply: (schema, { patch }) => ({ ...schema, validation: applyJsonPatch<ValidationSchema>(schema.validation, patch, 'validation') }),
	sql: () => {},
	describe: ({ patch }) => describeStep(`Update the validation rules (${patch.length} change${patch.length === 1 ? '' : 's'})`),
})
