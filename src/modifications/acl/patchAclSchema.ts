/** patchAclSchema `{ patch }`: an RFC 6902 patch of the ACL; a failing operation fails the modification. No SQL. */
import type { AclSchema } from '../../schema/model.js'
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'
import { applyJsonPatch, jsonPatchSchema, type Operation } from './jsonPatch.js'

export interface PatchAclSchemaData {
	readonly patch: readonly Operation[]
}

/** `/roles/admin/...` → `admin` */
export const patchedRoles = (patch: readonly Operation[]): string[] =>
	[...new Set(patch.map(it => it.path.split('/')[2]).filter((it): it is string => it !== undefined && it !== ''))]
		.map(it => it.replace(/~1/g, '/').replace(/~0/g, '~'))

export const patchAclSchemaModification = defineModification<PatchAclSchemaData>({
	id: 'patchAclSchema',
	docs: {
		category: 'acl',
		summary: 'Applies an RFC 6902 patch to a copy of the ACL. A failing operation (missing path, failed `test`) fails the modification and names the operation.',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'none',
		destructive: false,
		warnings: [],
		example: { patch: [{ op: 'add', path: '/roles/admin/stages', value: '*' }] },
	},
	dataSchema: { type: 'object', required: ['patch'], properties: { patch: jsonPatchSchema }, additionalProperties: false },
	apply: (schema, { patch }) => ({ ...schema, acl: applyJsonPatch<AclSchema>(schema.acl, patch, 'ACL') }),
	sql: () => {},
	describe: ({ patch }) => {
		const roles = patchedRoles(patch)
		return describeStep(`Update the ACL (${patch.length} change${patch.length === 1 ? '' : 's'}${roles.length ? `, roles ${roles.join(', ')}` : ''})`)
	},
})
