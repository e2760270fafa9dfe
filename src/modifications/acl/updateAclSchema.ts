/** updateAclSchema `{ schema }`: replaces the whole ACL (the differ's choice for very large changes). No SQL. */
import type { AclSchema } from '../../schema/model.js'
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'

export interface UpdateAclSchemaData {
	readonly schema: AclSchema
}

export const updateAclSchemaModification = defineModification<UpdateAclSchemaData>({
	id: 'updateAclSchema',
	docs: {
		category: 'acl',
		summary: 'Replaces the ACL.',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'none',
		destructive: false,
		warnings: [],
		example: { schema: { roles: { admin: { variables: {}, stages: '*', entities: {} } } } },
	},
	dataSchema: {
		type: 'object',
		required: ['schema'],
		properties: { schema: { type: 'object', required: ['roles'], properties: { roles: { type: 'object' } } } },
		additionalProperties: false,
	},
	apply: (schema, data) => ({ ...schema, acl: data.schema }),
	sql: () => {},
	describe: ({ schema }) => describeStep(`Replace the ACL (${Object.keys(schema.roles).length} roles)`),
})
