/**
 * makeRelationNullable `{ entityName, fieldName }`: a joining-column relation (or a one-has-one
 * inverse side, schema only) becomes nullable.
 */
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'
import { nullabilitySql, relationNullabilityApply } from './relationNullability.js'
import { relationFieldData } from './relationSchemas.js'

export interface MakeRelationNullableData {
	readonly entityName: string
	readonly fieldName: string
}

export const makeRelationNullableModification = defineModification<MakeRelationNullableData>({
	id: 'makeRelationNullable',
	docs: {
		category: 'relations',
		summary: 'Makes an owning relation nullable.',
		origin: 'contember',
		writtenByDiff: true,
		sql: '`ALTER … DROP NOT NULL`',
		destructive: false,
		warnings: [],
		example: { entityName: 'Post', fieldName: 'author' },
	},
	dataSchema: relationFieldData(),
	apply: (schema, data) => relationNullabilityApply(schema, data, true),
	sql: (builder, schema, data) => nullabilitySql(builder, schema, data, true),
	describe: ({ entityName, fieldName }) => describeStep(`Make relation ${entityName}.${fieldName} nullable`),
})
