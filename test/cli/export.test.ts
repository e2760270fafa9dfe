/**
 * schema:export end to end: for every real history, export → project:validate passes →
 * migrations:diff has nothing to do. An existing schema is never replaced without --force, and a
 * history that does not build a valid schema writes nothing.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadHistories } from '../helpers/conformance.js'
import { hasStackTrace, runCli, tempProject } from './run.js'

const histories = loadHistories().filter(history => !history.expectedFailure)

const projectOf = (history: (typeof histories)[number]) => {
	const files: Record<string, string> = {}
	for (const migration of history.migrations) files[`migrations/${migration.name}.json`] = migration.raw
	return tempProject(files)
}

describe('schema:export', () => {
	it.each(histories.map(history => [history.name, history] as const))('%s: export, then validate passes and diff has nothing to do', (_name, history) => {
		const cwd = projectOf(history)
		const exported = runCli(['schema:export'], { cwd })
		expect(exported.code, exported.stderr).toBe(0)
		expect(exported.stdout).toContain('schema/schema.json')
		const validate = runCli(['project:validate'], { cwd })
		expect(validate.code, validate.stdout + validate.stderr).toBe(0)
		const diff = runCli(['migrations:diff', 'after-export', '--yes'], { cwd })
		expect(diff.code, diff.stderr).toBe(0)
		expect(diff.stdout).toContain('Nothing to do')
		expect(readdirSync(join(cwd, 'migrations'))).toHaveLength(history.migrations.length)
	}, 60_000)

	const history = histories[0]!

	it('never replaces an existing schema without --force', () => {
		const cwd = projectOf(history)
		expect(runCli(['schema:export'], { cwd }).code).toBe(0)
		const path = join(cwd, 'schema', 'schema.json')
		writeFileSync(path, '{ "mine": true }\n')
		const again = runCli(['schema:export'], { cwd })
		expect(again.code).toBe(1)
		expect(again.stderr).toContain(`${path} already exists. Pass --force to replace it. Nothing was written.`)
		expect(hasStackTrace(again.stderr)).toBe(false)
		expect(readFileSync(path, 'utf8')).toBe('{ "mine": true }\n')
		const forced = runCli(['schema:export', '--force', '--json'], { cwd })
		expect(forced.code, forced.stderr).toBe(0)
		expect(JSON.parse(forced.stdout)).toMatchObject({ path, format: 'json', migrations: history.migrations.length })
		expect(JSON.parse(readFileSync(path, 'utf8')).model.entities).toBeDefined()
	})

	it('does not write a schema.json that schema/index.ts would shadow', () => {
		const cwd = projectOf(history)
		const module = join(cwd, 'schema', 'index.ts')
		runCli(['schema:export'], { cwd })
		writeFileSync(module, 'export default {}\n')
		const refused = runCli(['schema:export', '--force'], { cwd })
		expect(refused.code).toBe(1)
		expect(refused.stderr).toContain(`${module} exists, and strata reads it before schema/schema.json`)
	})

	it('writes nothing when the history does not replay', () => {
		const cwd = tempProject({ 'migrations/2024-01-01-000000-broken.json': { formatVersion: 5, modifications: [{ modification: 'removeEntity', entityName: 'Nope' }] } })
		const run = runCli(['schema:export'], { cwd })
		expect(run.code).toBe(1)
		expect(run.stderr).toContain('2024-01-01-000000-broken.json')
		expect(hasStackTrace(run.stderr)).toBe(false)
		expect(existsSync(join(cwd, 'schema', 'schema.json'))).toBe(false)
	})
})
