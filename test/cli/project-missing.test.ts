/** A directory that is not a project: every command refuses it, creates nothing and says how to start one. */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { hasStackTrace, runCli, tempProject } from './run.js'

const commands = [
	['migrations:status'],
	['migrations:execute', '--yes'],
	['project:validate'],
	['migrations:blank', 'init'],
	['migrations:diff', 'init', '--dry-run'],
	['migrations:describe'],
	['db:drift'],
]

describe('a directory without a project', () => {
	it.each(commands)('%s exits 1 saying how to start a project, and creates nothing', (...args) => {
		const cwd = tempProject({ 'notes.txt': 'not a project' })
		const { code, stdout, stderr } = runCli(args, { cwd, env: { DATABASE_URL: undefined } })
		expect(code).toBe(1)
		expect(stdout).toBe('')
		expect(stderr).toContain(`${cwd} is not a strata project: it has no strata.config.json, no schema/ folder and no migrations/ folder.`)
		expect(stderr).toContain('schema/index.ts')
		expect(stderr).toContain('strata migrations:diff init')
		expect(hasStackTrace(stderr)).toBe(false)
		expect(readdirSync(cwd)).toEqual(['notes.txt'])
	})

	it('a --cwd that does not exist is named as such', () => {
		const cwd = tempProject({ 'notes.txt': '' })
		const { code, stderr } = runCli(['project:validate', '--cwd', 'nope'], { cwd })
		expect(code).toBe(1)
		expect(stderr).toContain(`The project directory ${join(cwd, 'nope')} does not exist.`)
		expect(existsSync(join(cwd, 'nope'))).toBe(false)
	})

	it('a schema/ folder alone is a project; validate reports the missing migrations directory instead of "0 files are valid"', () => {
		const cwd = tempProject({ 'schema/schema.json': { model: { entities: {}, enums: {} } } })
		const { code, stdout, stderr } = runCli(['project:validate'], { cwd })
		expect(code).toBe(1)
		expect(stdout).not.toMatch(/✓ 0 migration files/)
		expect(stdout).toContain('✗ migration files: 1 problem')
		expect(stderr).toContain(`The migrations directory ${join(cwd, 'migrations')} does not exist; create a migration with "strata migrations:diff <name>"`)
	})

	it('a config file alone is a project', () => {
		const cwd = tempProject({ 'strata.config.json': { migrationsDir: 'db/migrations' } })
		const { code, stdout } = runCli(['migrations:blank', 'init'], { cwd })
		expect(code).toBe(0)
		expect(stdout.trim().startsWith(join(cwd, 'db/migrations'))).toBe(true)
	})
})
