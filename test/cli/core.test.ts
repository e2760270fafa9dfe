/** The CLI core, spawned: help, usage errors, colour, exit codes, migrations:blank. */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { hasAnsi, hasStackTrace, runCli, tempProject } from './run.js'

describe('strata --help', () => {
	it('lists the commands and every global option', () => {
		const { code, stdout } = runCli(['--help'], { cwd: tempProject() })
		expect(code).toBe(0)
		for (const text of ['migrations:blank', 'migrations:lint', 'project:validate', 'schema:export', 'migrations:baseline', 'db:introspect', 'migrations:adopt-contember', '--cwd', '--config', '--color', '--no-color', '--json', '--help', '--version', 'Exit codes']) expect(stdout).toContain(text)
	})

	it('describes each command and its options', () => {
		const { code, stdout } = runCli(['migrations:blank', '--help'], { cwd: tempProject() })
		expect(code).toBe(0)
		expect(stdout).toContain('migrations:blank [project] <name>')
		expect(stdout).toContain('label of the migration')
	})
})

describe('usage errors', () => {
	it.each([
		[['migrations:blnk', 'x'], /Unknown command "migrations:blnk"\. Did you mean "migrations:blank"\?/],
		[['migrations:blank', 'x', '--bogus'], /Unknown argument: bogus/],
		[['migrations:blank'], /Name the migration: strata migrations:blank \[project\] <name>/],
		[[], /No command given/],
	])('%j exits 1 with a message and no stack', (args, message) => {
		const { code, stderr } = runCli(args, { cwd: tempProject() })
		expect(code).toBe(1)
		expect(stderr).toMatch(message)
		expect(stderr).toContain('strata --help')
		expect(hasStackTrace(stderr)).toBe(false)
	})
})

describe('migrations:blank', () => {
	it('creates an empty formatVersion 6 migration and prints its path', () => {
		// a config file alone makes a project
		const cwd = tempProject({ 'strata.config.json': {} })
		const { code, stdout, stderr } = runCli(['migrations:blank', 'backfill-slugs'], { cwd })
		expect(stderr).toBe('')
		expect(code).toBe(0)
		const [name] = readdirSync(join(cwd, 'migrations'))
		expect(name).toMatch(/^\d{4}-\d{2}-\d{2}-\d{6}-backfill-slugs\.json$/)
		expect(stdout.trim()).toBe(join(cwd, 'migrations', name!))
		expect(readFileSync(join(cwd, 'migrations', name!), 'utf8')).toBe('{\n\t"formatVersion": 6,\n\t"modifications": []\n}\n')
	})

	it('always moves the version forward', () => {
		const cwd = tempProject({ 'migrations/2999-01-01-000000-future.json': { formatVersion: 6, modifications: [] } })
		const { code, stdout } = runCli(['migrations:blank', 'next', '--json'], { cwd })
		expect(code).toBe(0)
		expect(JSON.parse(stdout)).toMatchObject({ name: '2999-01-01-000001-next', version: '2999-01-01-000001' })
	})

	it('rejects a bad label with the normalised suggestion', () => {
		const cwd = tempProject()
		const { code, stderr } = runCli(['migrations:blank', 'Add Categories'], { cwd })
		expect(code).toBe(1)
		expect(stderr).toContain('Invalid migration name "Add Categories"')
		expect(stderr).toContain('Use "add-categories" instead.')
		expect(hasStackTrace(stderr)).toBe(false)
	})

	it('takes the project first when the config declares several', () => {
		const cwd = tempProject({ 'strata.config.json': { projects: { blog: { migrationsDir: 'blog/migrations' }, shop: { migrationsDir: 'shop/migrations' } } } })
		expect(runCli(['migrations:blank', 'shop', 'init'], { cwd }).code).toBe(0)
		expect(readdirSync(join(cwd, 'shop/migrations'))).toHaveLength(1)
		const missing = runCli(['migrations:blank', 'init'], { cwd })
		expect(missing.code).toBe(1)
		expect(missing.stderr).toMatch(/declares several projects \(blog, shop\)/)
		const unknown = runCli(['migrations:blank', 'shoop', 'init'], { cwd })
		expect(unknown.stderr).toMatch(/Unknown project "shoop".*Did you mean "shop"\?/)
	})

	it('honours --cwd and --config', () => {
		const cwd = tempProject({ 'conf/strata.json': { migrationsDir: '../db/migrations' } })
		const { code, stdout } = runCli(['migrations:blank', 'init', '--cwd', cwd, '--config', 'conf/strata.json'], { cwd: tempProject() })
		expect(code).toBe(0)
		expect(stdout.trim().startsWith(join(cwd, 'db/migrations'))).toBe(true)
	})

	it('reports an invalid config file', () => {
		const cwd = tempProject({ 'strata.config.json': { migrationDir: 'x' } })
		const { code, stderr } = runCli(['migrations:blank', 'init'], { cwd })
		expect(code).toBe(1)
		expect(stderr).toMatch(/strata\.config\.json.*\/migrationDir: unknown setting.*Did you mean "migrationsDir"\?/)
	})
})

describe('colour', () => {
	const fail = (env: Record<string, string>, extra: string[] = []) => runCli(['migrations:blank', 'Bad Name', ...extra], { cwd: tempProject(), env })
	it('is used when forced', () => expect(hasAnsi(fail({ FORCE_COLOR: '1' }).stderr)).toBe(true))
	it('is off with NO_COLOR', () => expect(hasAnsi(fail({ FORCE_COLOR: '1', NO_COLOR: '1' }).stderr)).toBe(false))
	it('is off with --no-color', () => expect(hasAnsi(fail({ FORCE_COLOR: '1' }, ['--no-color']).stderr)).toBe(false))
})

describe('debugging', () => {
	it('shows a stack trace only with STRATA_DEBUG=1', () => {
		const cwd = tempProject({ 'strata.config.json': '{ nope' })
		const quiet = runCli(['migrations:blank', 'x'], { cwd })
		expect(quiet.code).toBe(1)
		expect(quiet.stderr).toMatch(/strata\.config\.json is not valid JSON \(line 1, column 3/)
		expect(hasStackTrace(quiet.stderr)).toBe(false)
		const loud = runCli(['migrations:blank', 'x'], { cwd, env: { STRATA_DEBUG: '1' } })
		expect(hasStackTrace(loud.stderr)).toBe(true)
	})
})
