/**
 * Command-line conventions (issue 16): help without a command (exit 1, like git), suggestions
 * for bare and misspelled commands and options, shell completion, --version, examples in every
 * --help, --schema on the commands that read the declared schema, and migrations named by
 * label (describe).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createEntity, migrationText } from '../integration/db/fixtures.js'
import { repoRoot, runCli, tempProject } from './run.js'

const project = () => tempProject({ 'migrations/.gitkeep': '' })

describe('no command', () => {
	it('prints the help on stderr and exits 1', () => {
		const result = runCli([], { cwd: project() })
		expect(result.code).toBe(1)
		expect(result.stdout).toBe('')
		expect(result.stderr).toContain('Commands:')
		expect(result.stderr).toContain('Examples:')
		expect(result.stderr).toMatch(/error: No command given/)
	})
})

describe('suggestions', () => {
	it.each([
		['status', 'migrations:status'],
		['validate', 'project:validate'],
		['diff', 'migrations:diff'],
		['drift', 'db:drift'],
		['export', 'schema:export'],
		['migrations:stauts', 'migrations:status'],
	])('%s → %s', (word, command) => {
		const result = runCli([word], { cwd: project() })
		expect(result.code).toBe(1)
		expect(result.stderr).toContain(`Unknown command "${word}". Did you mean "${command}"?`)
	})

	it('a misspelled option names the closest option of that command', () => {
		const result = runCli(['migrations:status', '--chek'], { cwd: project() })
		expect(result.code).toBe(1)
		expect(result.stderr).toContain('Unknown argument: chek. Did you mean --check?')
		expect(runCli(['migrations:lint', '--fail-of', 'error'], { cwd: project() }).stderr).toContain('Did you mean --fail-on?')
	})
})

describe('completion', () => {
	it('strata completion prints a bash/zsh script', () => {
		const result = runCli(['completion'], { cwd: project() })
		expect(result.code).toBe(0)
		expect(result.stdout).toContain('###-begin-strata-completions-###')
		expect(result.stdout).toContain('--get-yargs-completions')
	})

	it('--get-yargs-completions lists the commands, and the options of a command', () => {
		const commands = runCli(['--get-yargs-completions', ''], { cwd: project() }).stdout.split('\n')
		expect(commands).toEqual(expect.arrayContaining(['migrations:status', 'db:drift', 'schema:export', 'completion']))
		const options = runCli(['--get-yargs-completions', 'migrations:status', '--'], { cwd: project() }).stdout.split('\n')
		expect(options).toEqual(expect.arrayContaining(['--check', '--only-errors', '--database-url']))
	})
})

describe('--version and --help', () => {
	it('--version prints the package.json version', () => {
		const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }
		const result = runCli(['--version'], { cwd: project() })
		expect(result.code).toBe(0)
		expect(result.stdout.trim()).toBe(version)
	})

	it('the top level and every command have examples', () => {
		const top = runCli(['--help'], { cwd: project() }).stdout
		expect(top).toContain('Examples:')
		const commands = [...top.matchAll(/^ {2}strata ([a-z-]+:[a-z-]+)/gm)].map(match => match[1]!)
		expect(commands.length).toBeGreaterThan(10)
		for (const command of commands) {
			expect(runCli([command, '--help'], { cwd: project() }).stdout, command).toMatch(/Examples:\n {2}strata /)
		}
	})
})

describe('--schema', () => {
	it('overrides the config schema on project:validate', () => {
		const cwd = tempProject({ 'migrations/.gitkeep': '', 'strata.config.json': { schema: 'missing/index.ts' }, 'other/schema.json': { entities: {} } })
		const viaConfig = runCli(['project:validate'], { cwd })
		expect(viaConfig.code).toBe(1)
		expect(viaConfig.stderr + viaConfig.stdout).toContain('missing')
		const viaOption = runCli(['project:validate', '--schema', 'nope.json', '--json'], { cwd })
		expect(JSON.parse(viaOption.stdout).problems[0].file).toBe(join(cwd, 'nope.json'))
	})

	it('is declared by every command that reads or writes the declared schema', () => {
		for (const command of ['migrations:diff', 'migrations:amend', 'migrations:baseline', 'project:validate', 'schema:export', 'db:introspect']) {
			expect(runCli([command, '--help'], { cwd: project() }).stdout, command).toContain('--schema')
		}
	})
})

describe('a migration named by label', () => {
	const history = () => tempProject({
		'migrations/2024-01-01-120000-init.json': migrationText([createEntity('A', 'a')]),
		'migrations/2024-01-02-120000-posts.json': migrationText([createEntity('P', 'p')]),
		'migrations/2024-02-02-120000-posts.json': migrationText([createEntity('Q', 'q')]),
	})

	it('describe takes the full name, the version or a unique label', () => {
		const cwd = history()
		for (const name of ['2024-01-01-120000-init', '2024-01-01-120000', 'init']) {
			const result = runCli(['migrations:describe', name, '--no-sql'], { cwd })
			expect(result.code, result.stderr).toBe(0)
			expect(result.stdout).toContain('Migration 2024-01-01-120000-init')
			expect(result.stdout).toContain('#0 ')
		}
	})

	it('an ambiguous label lists the candidates', () => {
		const result = runCli(['migrations:describe', 'posts'], { cwd: history() })
		expect(result.code).toBe(1)
		expect(result.stderr).toContain('"posts" names 2 migrations: 2024-01-02-120000-posts, 2024-02-02-120000-posts')
	})
})
