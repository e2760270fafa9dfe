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
	dataSchema: { type: 'object', required: ['patch'], properties: { patch: jsonPatchSchema }, additionalProperties: false },
	apply: (schema, { patch }) => ({ ...schema, validation: applyJsonPatch<ValidationSchema>(schema.validation, patch, 'validation') }),
	sql: () => {},
	describe: ({ patch }) => describeStep(`Update the validation rules (${patch.length} change${patch.length === 1 ? '' : 's'})`),
})
