/**
 * `migrations:describe`, spawned: the latest or a named migration, destructive steps and
 * warnings, --sql-only / --no-sql / --json, and unknown migrations.
 */
import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { hasAnsi, hasStackTrace, repoRoot, runCli, tempProject } from './run.js'

/** a copy of the example project's migrations (the commands never write, but tests must not depend on that) */
const exampleProject = () => {
	const dir = mkdtempSync(join(tmpdir(), 'strata-describe-'))
	cpSync(join(repoRoot, 'migrations'), join(dir, 'migrations'), { recursive: true })
	return dir
}

const column = (name: string, columnName: string, nullable = true) => ({ name, columnName, type: 'String', columnType: 'text', nullable })
const uuid = { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false }
const entity = (name: string, tableName: string) => ({ name, primary: 'id', primaryColumn: 'id', tableName, fields: { id: uuid }, unique: [], indexes: [], eventLog: { enabled: true } })

/** two migrations: the second drops a column, adds a NOT NULL column and a unique, and narrows an enum */
const riskyProject = () =>
	tempProject({
		'migrations/2024-01-01-100000-init.json': {
			formatVersion: 6,
			modifications: [
				{ modification: 'createEnum', enumName: 'Status', values: ['draft', 'published', 'archived'] },
				{ modification: 'createEntity', entity: entity('Post', 'post') },
				{ modification: 'createColumn', entityName: 'Post', field: column('title', 'title') },
				{ modification: 'createColumn', entityName: 'Post', field: column('legacy', 'legacy') },
			],
		},
		'migrations/2024-02-01-100000-risky.json': {
			formatVersion: 6,
			modifications: [
				{ modification: 'removeField', entityName: 'Post', fieldName: 'legacy' },
				{ modification: 'createColumn', entityName: 'Post', field: column('slug', 'slug', false) },
				{ modification: 'createUniqueConstraint', entityName: 'Post', unique: { fields: ['slug'] } },
				{ modification: 'updateEnum', enumName: 'Status', values: ['draft', 'published'] },
				{ modification: 'patchAclSchema', patch: [] },
			],
		},
	})

describe('migrations:describe', () => {
	it('describes the latest migration by default, with its SQL', () => {
		const { code, stdout, stderr } = runCli(['migrations:describe'], { cwd: exampleProject() })
		expect(stderr).toBe('')
		expect(code).toBe(0)
		expect(stdout).toMatch(/^Migration 2026-11-18-113000-profile-twitter \(formatVersion 6, 1 modification\)/)
		expect(stdout).toContain('#0 Add column AuthorProfile.twitterHandle')
		expect(stdout).toContain('[createColumn]')
		expect(stdout).toContain('ALTER TABLE "author_profile" ADD "twitter_handle" text;')
	})

	it.each([['2026-11-05-143000-comments'], ['2026-11-05-143000'], ['comments'], ['2026-11-05-143000-comments.json']])('finds a migration by %s', name => {
		const { code, stdout } = runCli(['migrations:describe', name], { cwd: exampleProject() })
		expect(code).toBe(0)
		expect(stdout).toContain('Migration 2026-11-05-143000-comments')
		expect(stdout).toContain('CREATE TABLE "comment"')
	})

	it('shows destructive steps with their reason and warnings with their codes', () => {
		const { code, stdout } = runCli(['migrations:describe'], { cwd: riskyProject() })
		expect(code).toBe(0)
		expect(stdout).toMatch(/#0 .*legacy.*\[removeField\]\n {3}DESTRUCTIVE: .+/)
		expect(stdout).toMatch(/#1 .*slug.*\[createColumn\]\n {3}warning S001: .+/)
		expect(stdout).toMatch(/\[createUniqueConstraint\]\n {3}warning S002: .+/)
		expect(stdout).toMatch(/\[updateEnum\]\n(.*\n)* {3}warning S003: .*archived/)
		expect(stdout).toMatch(/\[patchAclSchema\]\n {3}No SQL to execute\./)
		expect(stdout).toMatch(/destructive step.*, \d+ warnings/)
		expect(hasAnsi(stdout)).toBe(false)
	})

	it('colours destructive steps red and warnings yellow when colour is on, never with --no-color', () => {
		const coloured = runCli(['migrations:describe'], { cwd: riskyProject(), env: { FORCE_COLOR: '1' } })
		expect(coloured.code).toBe(0)
		expect(coloured.stdout).toMatch(/\u001b\[31m {3}DESTRUCTIVE/)
		expect(coloured.stdout).toMatch(/\u001b\[33m.*warning S001:/)
		const plain = runCli(['migrations:describe', '--no-color'], { cwd: riskyProject(), env: { FORCE_COLOR: '1' } })
		expect(hasAnsi(plain.stdout)).toBe(false)
	})

	it('--sql-only prints one terminated script without colour or decoration', () => {
		const { code, stdout, stderr } = runCli(['migrations:describe', '--sql-only'], { cwd: riskyProject(), env: { FORCE_COLOR: '1' } })
		expect(stderr).toBe('')
		expect(code).toBe(0)
		expect(hasAnsi(stdout)).toBe(false)
		expect(stdout).not.toMatch(/Migration|DESTRUCTIVE|warning|\[removeField\]|No SQL/)
		expect(stdout.endsWith(';\n')).toBe(true)
		expect(stdout).toContain('ALTER TABLE "post" DROP "legacy";\n')
		expect(stdout).toContain('ALTER TABLE "post" ADD "slug" text NOT NULL;\n')
		for (const line of stdout.trimEnd().split('\n')) expect(line.startsWith('--') || line.endsWith(';') || !line.includes(';')).toBe(true)
	})

	it('--sql-only prints nothing for a migration without SQL', () => {
		const cwd = tempProject({ 'migrations/2024-01-01-100000-acl.json': { formatVersion: 6, modifications: [{ modification: 'patchAclSchema', patch: [] }] } })
		const { code, stdout } = runCli(['migrations:describe', '--sql-only'], { cwd })
		expect(code).toBe(0)
		expect(stdout).toBe('')
	})

	it('--no-sql prints only the descriptions', () => {
		const { code, stdout } = runCli(['migrations:describe', 'init', '--no-sql'], { cwd: exampleProject() })
		expect(code).toBe(0)
		expect(stdout).toContain('Create entity Author')
		expect(stdout).not.toMatch(/CREATE TABLE|ALTER TABLE|No SQL/)
	})

	it('--json prints an array of { modification, message, destructive, warnings, sql }', () => {
		const { code, stdout } = runCli(['migrations:describe', '--json'], { cwd: riskyProject() })
		expect(code).toBe(0)
		const steps = JSON.parse(stdout) as { index: number; modification: string; message: string; destructive: boolean; destructiveReason?: string; warnings: { code: string; message: string }[]; sql: string }[]
		expect(steps.map(it => it.modification)).toEqual(['removeField', 'createColumn', 'createUniqueConstraint', 'updateEnum', 'patchAclSchema'])
		expect(steps.map(it => it.index)).toEqual([0, 1, 2, 3, 4])
		expect(steps[0]).toMatchObject({ destructive: true, sql: 'ALTER TABLE "post" DROP "legacy";' })
		expect(steps[0]!.destructiveReason).toEqual(expect.any(String))
		expect(steps[1]!.warnings.map(it => it.code)).toEqual(['S001'])
		expect(steps[4]).toMatchObject({ destructive: false, warnings: [], sql: '' })
		for (const step of steps) expect(typeof step.message).toBe('string')
	})

	it('--json --no-sql leaves the SQL out', () => {
		const { code, stdout } = runCli(['migrations:describe', '--json', '--no-sql'], { cwd: riskyProject() })
		expect(code).toBe(0)
		for (const step of JSON.parse(stdout)) expect(step).not.toHaveProperty('sql')
	})

	it('an unknown migration exits 1 naming the nearest matches', () => {
		const { code, stdout, stderr } = runCli(['migrations:describe', 'coments'], { cwd: exampleProject() })
		expect(code).toBe(1)
		expect(stdout).toBe('')
		expect(stderr).toContain('Migration "coments" not found')
		expect(stderr).toContain('2026-11-05-143000-comments')
		expect(hasStackTrace(stderr)).toBe(false)
	})

	it('exits 1 when there are no migrations', () => {
		const { code, stderr } = runCli(['migrations:describe'], { cwd: tempProject({ 'migrations/.keep': '' }) })
		expect(code).toBe(1)
		expect(stderr).toMatch(/no migrations/i)
	})

	it('refuses contradicting flags', () => {
		expect(runCli(['migrations:describe', '--sql-only', '--no-sql'], { cwd: exampleProject() }).code).toBe(1)
		expect(runCli(['migrations:describe', '--sql-only', '--json'], { cwd: exampleProject() }).code).toBe(1)
	})

	it('an earlier migration is described against the schema the files before it build', () => {
		const { code, stdout } = runCli(['migrations:describe', 'init', '--sql-only'], { cwd: riskyProject() })
		expect(code).toBe(0)
		expect(stdout).toBe([
			`CREATE DOMAIN "Status" AS text CONSTRAINT "status_check" CHECK (VALUE IN('draft','published','archived'));`,
			'CREATE TABLE "post" ( "id" uuid PRIMARY KEY NOT NULL );',
			'ALTER TABLE "post" ADD "title" text;',
			'ALTER TABLE "post" ADD "legacy" text;',
			'',
		].join('\n'))
	})
})
