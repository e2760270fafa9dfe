/**
 * schema:export end to end: for every real history, export (as JSON and as a TypeScript module) →
 * project:validate passes → migrations:diff has nothing to do. An existing schema is never
 * replaced without --force, and a history that does not build a valid schema writes nothing.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadHistories } from '../helpers/conformance.js'
import { recordCliOutput } from './outputLog.js'
import { type CliResult, cliPath, hasStackTrace, repoRoot, runCli, tempProject } from './run.js'

const histories = loadHistories().filter(history => !history.expectedFailure)

const projectOf = (history: (typeof histories)[number]) => {
	const files: Record<string, string> = {}
	for (const migration of history.migrations) files[`migrations/${migration.name}.json`] = migration.raw
	return tempProject(files)
}

/**
 * A project whose schema module can import 'strata': node_modules/strata is this repository
 * (package.json "name": "strata"). An ES module package, as a TypeScript project usually is:
 * the module then loads without a CommonJS detour, which is also faster.
 */
const projectImportingStrata = (history: (typeof histories)[number]) => {
	const cwd = projectOf(history)
	writeFileSync(join(cwd, 'package.json'), '{ "type": "module" }\n')
	mkdirSync(join(cwd, 'node_modules'))
	symlinkSync(repoRoot, join(cwd, 'node_modules', 'strata'), 'dir')
	return cwd
}

/** runCli without blocking, so a history's JSON and TypeScript exports run side by side */
const runCliAsync = (args: readonly string[], cwd: string): Promise<CliResult> => {
	const env = { ...process.env }
	for (const key of ['NO_COLOR', 'FORCE_COLOR', 'STRATA_DEBUG', 'CI']) delete env[key]
	return new Promise(resolve => {
		execFile(process.execPath, [cliPath, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
			recordCliOutput(args, stdout, stderr)
			resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr })
		})
	})
}

/**
 * Export in `format`, then the project validates and diff has nothing to do; returns the written
 * file. Validate and diff only read the project (diff writes nothing when there is nothing to do,
 * which the count below checks), so they run side by side too.
 */
const exportValidateDiff = async (cwd: string, format: 'json' | 'ts', written: string, migrations: number, withDiff: boolean): Promise<string> => {
	const exported = await runCliAsync(['schema:export', '--format', format], cwd)
	expect(exported.code, exported.stderr).toBe(0)
	expect(exported.stdout).toContain(written)
	const [validate, diff] = await Promise.all([runCliAsync(['project:validate'], cwd), withDiff ? runCliAsync(['migrations:diff', 'after-export', '--yes'], cwd) : undefined])
	expect(validate.code, validate.stdout + validate.stderr).toBe(0)
	if (diff) {
		expect(diff.code, diff.stderr).toBe(0)
		expect(diff.stdout).toContain('Nothing to do')
	}
	expect(readdirSync(join(cwd, 'migrations'))).toHaveLength(migrations)
	return readFileSync(join(cwd, written), 'utf8')
}

describe('schema:export', () => {
	/**
	 * project:validate fails on any change the declared schema holds that no migration does, with
	 * the differ migrations:diff runs, so on the module it already says diff has nothing to do;
	 * loading a module costs half a second, so diff itself runs on the modules of two histories.
	 */
	const diffedModules = new Set([histories[0]!.name, histories[histories.length - 1]!.name])
	it.each(histories.map(history => [history.name, history] as const))('%s: export as JSON and as TypeScript, then validate passes and diff has nothing to do', async (_name, history) => {
		const count = history.migrations.length
		const [, module] = await Promise.all([
			exportValidateDiff(projectOf(history), 'json', 'schema/schema.json', count, true),
			exportValidateDiff(projectImportingStrata(history), 'ts', 'schema/index.ts', count, diffedModules.has(history.name)),
		])
		expect(module).toContain("} from 'strata/schema'")
		// every real history is expressible in the DSL: no post-processing step
		expect(module).not.toContain('Post-processing')
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

	it('--format ts writes schema/index.ts beside a schema.json, says the JSON is no longer read, and replaces the module only with --force', () => {
		const cwd = projectImportingStrata(history)
		expect(runCli(['schema:export'], { cwd }).code).toBe(0)
		const module = join(cwd, 'schema', 'index.ts')
		const exported = runCli(['schema:export', '--format', 'ts', '--json'], { cwd })
		expect(exported.code, exported.stderr).toBe(0)
		expect(JSON.parse(exported.stdout)).toMatchObject({ path: module, format: 'ts', shadowed: join(cwd, 'schema', 'schema.json') })
		expect(exported.stderr).toContain('warning: schema/schema.json is no longer read: strata reads schema/index.ts before it.')
		writeFileSync(module, '// mine\n')
		const again = runCli(['schema:export', '--format', 'ts'], { cwd })
		expect(again.code).toBe(1)
		expect(again.stderr).toContain(`${module} already exists. Pass --force to replace it. Nothing was written.`)
		expect(readFileSync(module, 'utf8')).toBe('// mine\n')
		expect(runCli(['schema:export', '--format', 'ts', '--force'], { cwd }).code).toBe(0)
		expect(readFileSync(module, 'utf8')).toContain('export default defineSchema({')
	})

	it('--format ts follows the config: a folder gets index.ts, a .json file is refused', () => {
		const cwd = projectOf(history)
		writeFileSync(join(cwd, 'strata.config.json'), '{ "schema": "model" }\n')
		const folder = runCli(['schema:export', '--format', 'ts'], { cwd })
		expect(folder.code, folder.stderr).toBe(0)
		expect(existsSync(join(cwd, 'model', 'index.ts'))).toBe(true)
		writeFileSync(join(cwd, 'strata.config.json'), '{ "schema": "model/schema.json" }\n')
		const refused = runCli(['schema:export', '--format', 'ts'], { cwd })
		expect(refused.code).toBe(1)
		expect(refused.stderr).toContain('is not a TypeScript file; --format ts writes a TypeScript module')
		expect(hasStackTrace(refused.stderr)).toBe(false)
		expect(existsSync(join(cwd, 'model', 'schema.json'))).toBe(false)
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
