/** File names and files of a project: label limits, `--` before the name, file-system errors, links out of the project. */
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { recordAdversarial } from '../helpers/adversarial.js'
import { MAX_LABEL_LENGTH } from '../../src/migrations/naming.js'
import { hasStackTrace, runCli, tempProject } from './run.js'

const schema = { model: { entities: {}, enums: {} } }

describe('labels', () => {
	const tooLong = 'a'.repeat(MAX_LABEL_LENGTH + 140)
	it.each([
		[['migrations:blank', tooLong]],
		[['migrations:diff', tooLong, '--dry-run']],
		[['migrations:diff', tooLong, '--yes']],
	])('a label over the limit is refused before anything is written: %j', args => {
		const cwd = tempProject({ 'schema/schema.json': schema, 'migrations/.keep': '' })
		const { code, stderr } = runCli(args, { cwd })
		expect(code).toBe(1)
		expect(stderr).toContain(`The migration name is too long (${tooLong.length} characters); use at most ${MAX_LABEL_LENGTH}`)
		expect(readdirSync(join(cwd, 'migrations'))).toEqual(['.keep'])
	})

	it.each([
		[['migrations:blank', '--', 'after-separator']],
		[['migrations:blank', '--json', '--', 'after-separator']],
	])('the name may follow --: %j', args => {
		const cwd = tempProject({ 'migrations/.keep': '' })
		const { code, stderr } = runCli(args, { cwd })
		expect(stderr).toBe('')
		expect(code).toBe(0)
		expect(readdirSync(join(cwd, 'migrations')).filter(it => it.endsWith('-after-separator.json'))).toHaveLength(1)
	})

	it('migrations:diff takes the name after -- too, and a project before it', () => {
		const cwd = tempProject({ 'strata.config.json': { projects: { blog: { migrationsDir: 'blog/migrations', schema: 'blog/schema.json' } } }, 'blog/schema.json': schema })
		const { code, stdout, stderr } = runCli(['migrations:diff', 'blog', '--dry-run', '--json', '--', 'init'], { cwd })
		expect(stderr).toBe('')
		expect(code).toBe(0)
		expect(JSON.parse(stdout)).toMatchObject({ modifications: [] })
	})

	it('a missing name and too many words are usage errors', () => {
		const cwd = tempProject({ 'migrations/.keep': '' })
		const missing = runCli(['migrations:blank'], { cwd })
		expect(missing.code).toBe(1)
		expect(missing.stderr).toContain('Name the migration: strata migrations:blank [project] <name>')
		const tooMany = runCli(['migrations:blank', 'a', 'b', '--', 'c'], { cwd })
		expect(tooMany.code).toBe(1)
		expect(tooMany.stderr).toContain('Too many arguments (3)')
	})
})

describe('migration names after --', () => {
	const twoMigrations = () => tempProject({
		'schema/schema.json': schema,
		'migrations/2024-05-01-120000-first.json': { formatVersion: 6, modifications: [] },
		'migrations/2024-05-02-120000-second.json': { formatVersion: 6, modifications: [] },
	})

	it('migrations:describe -- <migration> describes that one, not the latest', () => {
		const { code, stdout } = runCli(['migrations:describe', '--', 'first'], { cwd: twoMigrations() })
		expect(code).toBe(0)
		expect(stdout).toContain('Migration 2024-05-01-120000-first')
	})

	it('migrations:amend -- <migration> looks for that one instead of silently taking the latest', () => {
		const { code, stderr } = runCli(['migrations:amend', '--yes', '--', 'third'], { cwd: twoMigrations() })
		expect(code).toBe(1)
		expect(stderr).toContain('Migration "third" not found.')
	})

	it('more words than the command takes are a usage error', () => {
		const { code, stderr } = runCli(['migrations:amend', 'first', '--', 'second'], { cwd: twoMigrations() })
		expect(code).toBe(1)
		expect(stderr).toContain('Too many arguments (2): strata migrations:amend takes [migration].')
	})
})

/** the file-system attack class: counted here, reported once every case of it passed */
let fileSystemCases = 0
afterAll(() => {
	if (fileSystemCases === 3) {
		recordAdversarial({ attack: 'file-system names and symlinks', tried: 'over-long labels and directory names, a link out of the project (2 commands), a link inside it; journal paths leaving migrations/ in dev-journal-safety', held: 'user errors naming the path, no content of outside files printed' })
	}
})

describe('file-system errors', () => {
	it('a migrations directory the file system cannot hold is a user error naming it', () => {
		const cwd = tempProject({ 'strata.config.json': { migrationsDir: 'd'.repeat(300) } })
		const { code, stderr } = runCli(['migrations:blank', 'init'], { cwd })
		expect(code).toBe(1)
		expect(stderr).toContain(`Cannot list ${join(cwd, 'd'.repeat(300))}: the file name is too long for the file system (ENAMETOOLONG).`)
		expect(stderr).not.toContain('bug in strata')
		expect(hasStackTrace(stderr)).toBe(false)
		fileSystemCases++
	})
})

describe('symbolic links', () => {
	it('a migration linked to a file outside the project is refused by name, without its content', () => {
		const outside = tempProject({ 'secret.txt': 'TOP-SECRET-CONTENT, not JSON' })
		const cwd = tempProject({ 'schema/schema.json': schema })
		mkdirSync(join(cwd, 'migrations'))
		symlinkSync(join(outside, 'secret.txt'), join(cwd, 'migrations', '2024-05-01-120000-foreign.json'))
		for (const args of [['project:validate'], ['migrations:diff', 'next', '--dry-run']]) {
			const { code, stdout, stderr } = runCli(args, { cwd })
			expect(code).toBe(1)
			expect(stderr).toContain('2024-05-01-120000-foreign.json: is a symbolic link to a file outside the project')
			expect(`${stdout}${stderr}`).not.toContain('TOP-SECRET')
		}
		fileSystemCases++
	})

	it('a link inside the project is followed', () => {
		const cwd = tempProject({ 'schema/schema.json': schema, 'shared/init.json': { formatVersion: 6, modifications: [] } })
		mkdirSync(join(cwd, 'migrations'))
		symlinkSync(join('..', 'shared', 'init.json'), join(cwd, 'migrations', '2024-05-01-120000-init.json'))
		writeFileSync(join(cwd, 'notes.txt'), '')
		const { code, stdout } = runCli(['project:validate'], { cwd })
		expect(code).toBe(0)
		expect(stdout).toContain('✓ 1 migration file is valid')
		fileSystemCases++
	})
})
