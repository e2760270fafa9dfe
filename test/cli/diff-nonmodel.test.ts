/** `migrations:diff` and the non-model parts: patch-size threshold from STRATA_MIGRATIONS_MAX_PATCH_SIZE. */
import { describe, expect, it } from 'vitest'
import { serializeMigration } from '../../src/migrations/files.js'
import { runCli, tempProject } from './run.js'

const id = { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false }
const post = { name: 'Post', primary: 'id', primaryColumn: 'id', tableName: 'post', fields: { id }, unique: [], indexes: [], eventLog: { enabled: true } }
const init = { formatVersion: 6, modifications: [{ modification: 'createEntity', entity: post }] }
const declared = {
	model: { enums: {}, entities: { Post: post } },
	acl: { roles: { reader: { variables: {}, stages: '*', entities: { Post: { predicates: {}, operations: { read: { id: true } } } } } } },
	validation: {},
	actions: { triggers: {}, targets: {} },
	settings: {},
}
const project = () => tempProject({ 'migrations/2024-05-01-120000-init.json': serializeMigration(init), 'schema/schema.json': declared })
const ids = (stdout: string) => (JSON.parse(stdout) as { modifications: { modification: string }[] }).modifications.map(it => it.modification)

describe('migrations:diff, ACL', () => {
	it('a small ACL change is an RFC 6902 patch', () => {
		const { code, stdout, stderr } = runCli(['migrations:diff', 'acl', '--dry-run', '--json'], { cwd: project() })
		expect(code, stderr).toBe(0)
		expect(ids(stdout)).toEqual(['patchAclSchema'])
	})

	it('above STRATA_MIGRATIONS_MAX_PATCH_SIZE it is a full replacement', () => {
		const { code, stdout, stderr } = runCli(['migrations:diff', 'acl', '--dry-run', '--json'], { cwd: project(), env: { STRATA_MIGRATIONS_MAX_PATCH_SIZE: '0' } })
		expect(code, stderr).toBe(0)
		expect(ids(stdout)).toEqual(['updateAclSchema'])
	})

	it('a malformed threshold is a user error', () => {
		const { code, stderr } = runCli(['migrations:diff', 'acl', '--dry-run'], { cwd: project(), env: { STRATA_MIGRATIONS_MAX_PATCH_SIZE: 'lots' } })
		expect(code).toBe(1)
		expect(stderr).toContain('STRATA_MIGRATIONS_MAX_PATCH_SIZE must be a whole number')
	})
})
