/** `strata project:validate`, spawned in temporary projects. */
import { describe, expect, it } from 'vitest'
import { parseMigration, serializeMigration } from '../../src/migrations/files.js'
import { replay } from '../../src/migrations/replay.js'
import type { Schema } from '../../src/schema/model.js'
import { hasStackTrace, runCli, tempProject } from './run.js'

const id = { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false }
const entity = (name: string, tableName: string) => ({ name, primary: 'id', primaryColumn: 'id', tableName, fields: { id }, unique: [], indexes: [], eventLog: { enabled: true } })
const init = {
	formatVersion: 6,
	modifications: [
		{ modification: 'createEntity', entity: entity('Post', 'post') },
		{ modification: 'createColumn', entityName: 'Post', field: { name: 'title', columnName: 'title', type: 'String', columnType: 'text', nullable: true } },
	],
}
const INIT = 'migrations/2024-05-01-120000-init.json'
const replayed = replay([parseMigration('2024-05-01-120000-init', JSON.stringify(init))])
const withTag: Schema = { ...replayed, model: { ...replayed.model, entities: { ...replayed.model.entities, Tag: entity('Tag', 'tag') as Schema['model']['entities'][string] } } }

describe('project:validate', () => {
	it('passes when the schema, the files and the replay agree', () => {
		const cwd = tempProject({ [INIT]: serializeMigration(init), 'schema/schema.json': replayed })
		const { code, stdout, stderr } = runCli(['project:validate'], { cwd })
		expect(stderr).toBe('')
		expect(code).toBe(0)
		expect(stdout).toContain('✓ declared schema is valid (schema/schema.json)')
		expect(stdout).toContain('✓ 1 migration file is valid')
		expect(stdout).toContain('✓ replayed schema is valid')
		expect(stdout).toContain('✓ the migrations hold every change of the declared schema')
	})

	it('fails listing the changes no migration holds', () => {
		const cwd = tempProject({ [INIT]: serializeMigration(init), 'schema/schema.json': withTag })
		const { code, stdout, stderr } = runCli(['project:validate'], { cwd })
		expect(code).toBe(1)
		expect(stdout).toContain('✗ the declared schema has changes that no migration holds')
		expect(stderr).toMatch(/schema\/schema\.json: not in any migration: .*Tag.* \[createEntity\]/)
		expect(stderr).toMatch(/migrations:diff/)
	})

	it('fails naming the file, the modification and the path of a broken file', () => {
		const broken = { formatVersion: 6, modifications: [init.modifications[0], { modification: 'createColumn', entityName: 'Post' }] }
		const cwd = tempProject({ [INIT]: serializeMigration(broken), 'schema/schema.json': replayed })
		const { code, stdout, stderr } = runCli(['project:validate'], { cwd })
		expect(code).toBe(1)
		expect(stdout).toContain('✗ migration files: 1 problem; the history is not replayed')
		expect(stderr).toContain('2024-05-01-120000-init.json › modification #1 › /modifications/1/field: createColumn: required property is missing')
		expect(hasStackTrace(stderr)).toBe(false)
	})

	it('fails naming the file, index and id of a modification that cannot be replayed', () => {
		const cwd = tempProject({
			[INIT]: serializeMigration(init),
			'migrations/2024-05-02-120000-drop.json': serializeMigration({ formatVersion: 6, modifications: [{ modification: 'removeEntity', entityName: 'Comment' }] }),
			'schema/schema.json': replayed,
		})
		const { code, stderr } = runCli(['project:validate'], { cwd })
		expect(code).toBe(1)
		expect(stderr).toMatch(/2024-05-02-120000-drop\.json › modification #0 › \/modifications\/0: removeEntity cannot be applied: .*Comment/)
	})

	it('refuses a history that creates a column twice, naming both migrations (a fresh database would fail with 42701)', () => {
		const title = init.modifications[1]!
		const again = { formatVersion: 6, modifications: [{ ...title, field: { ...(title as { field: object }).field, columnType: 'character varying' } }] }
		const AGAIN = 'migrations/2024-05-02-120000-title-again.json'
		const cwd = tempProject({ [INIT]: serializeMigration(init), [AGAIN]: serializeMigration(again), 'schema/schema.json': replayed })
		const { code, stdout, stderr } = runCli(['project:validate', '--no-color'], { cwd })
		expect(code).toBe(1)
		expect(stdout).toContain('✗ replay failed in 2024-05-02-120000-title-again.json')
		expect(stderr).toContain(
			'2024-05-02-120000-title-again.json › modification #0 › /modifications/0: createColumn cannot be applied: Field Post::title already exists; '
				+ 'field Post.title was created by 2024-05-01-120000-init.json, modification #1 (createColumn)',
		)
		expect(stderr).toContain('{"code":"REPLAY_OBJECT_EXISTS","path":"model.entities.Post.fields.title"} to its skippedErrors')
		expect(stderr).toMatch(/\[REPLAY_OBJECT_EXISTS\]$/m)

		// an executed migration that relied on Contember's overwrite names the conflict in skippedErrors
		const tolerated = { ...again, skippedErrors: [{ code: 'REPLAY_OBJECT_EXISTS', path: 'model.entities.Post.fields.title' }] }
		const skipped = tempProject({
			[INIT]: serializeMigration(init),
			[AGAIN]: serializeMigration(tolerated),
			'schema/schema.json': replay([parseMigration('2024-05-01-120000-init', JSON.stringify(init)), parseMigration('2024-05-02-120000-title-again', JSON.stringify(tolerated))]),
		})
		expect(runCli(['project:validate'], { cwd: skipped }).stdout).toContain('✓ replayed schema is valid')
	})

	it('reports mistyped file names and an invalid declared schema together', () => {
		const invalid = { ...replayed, model: { ...replayed.model, entities: { Post: { ...replayed.model.entities.Post, primary: 'nope' } } } }
		const cwd = tempProject({ [INIT]: serializeMigration(init), 'migrations/2024-05-0-120000-typo.json': '{}', 'schema/schema.json': invalid })
		const { code, stderr } = runCli(['project:validate', '--no-color'], { cwd })
		expect(code).toBe(1)
		expect(stderr).toContain('2024-05-0-120000-typo.json: not read as a migration')
		expect(stderr).toMatch(/schema\/schema\.json.*primary/)
	})

	it('prints JSON with --json', () => {
		const cwd = tempProject({ [INIT]: serializeMigration(init), 'schema/schema.json': withTag })
		const { code, stdout } = runCli(['project:validate', '--json'], { cwd })
		expect(code).toBe(1)
		const result = JSON.parse(stdout)
		expect(result).toMatchObject({ valid: false, migrations: 1, declaredSchema: 'schema/schema.json' })
		expect(result.problems.some((it: { code: string }) => it.code === 'MIGRATIONS_NOT_IN_SYNC')).toBe(true)
	})

	it('reports a project without a declared schema', () => {
		const cwd = tempProject({ [INIT]: serializeMigration(init) })
		const { code, stderr } = runCli(['project:validate'], { cwd })
		expect(code).toBe(1)
		expect(stderr).toMatch(/schema/)
		expect(hasStackTrace(stderr)).toBe(false)
	})
})
