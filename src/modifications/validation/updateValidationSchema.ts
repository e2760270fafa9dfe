/** updateValidationSchema `{ schema }`: replaces the whole validation schema. No SQL. */
import type { ValidationSchema } from '../../schema/model.js'
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'

export interface UpdateValidationSchemaData {
	readonly schema: ValidationSchema
}

export const updateValidationSchemaModification = defineModification<UpdateValidationSchemaData>({
	id: 'updateValidationSchema',
	docs: {
		category: 'validation',
		summary: 'Replaces the validation rules.',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'none',
		destructive: false,
		warnings: [],
		example: { schema: {} },
	},
	dataSchema: { type: 'object', required: ['schema'], properties: { schema: { type: 'object' } }, additionalProperties: false },
	apply: (schema, data) => ({ ...schema, validation: data.schema }),
	sql: () => {},
	describe: ({ schema }) => describeStep(`Replace the validation rules (${Object.keys(schema).length} entities)`),
})
