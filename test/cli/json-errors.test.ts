/**
 * With --json, every outcome is exactly one JSON document on stdout; an error is
 * `{ ok: false, error: { code, message, exitCode, problems?, … } }` and its text goes to stderr.
 */
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '../helpers/database.js'
import { createEntity, migrationText } from '../integration/db/fixtures.js'
import { runCli, tempProject } from './run.js'

const db = useTestDatabase('json_errors')

const oneErrorDocument = (result: { code: number | null; stdout: string; stderr: string }, code: string) => {
	const document = JSON.parse(result.stdout) as { ok: boolean; error: { code: string; message: string; exitCode: number; problems?: unknown[] } }
	expect(document.ok).toBe(false)
	expect(document.error.code, result.stderr).toBe(code)
	expect(document.error.exitCode).toBe(result.code)
	expect(result.stderr).toMatch(/error: /)
	return document.error
}

const history = () => tempProject({
	'migrations/2024-01-01-120000-init.json': migrationText([createEntity('A', 'a')]),
	'migrations/2024-01-02-120000-posts.json': migrationText([createEntity('P', 'p')]),
})

describe('--json error documents', () => {
	it('a connection failure', () => {
		const result = runCli(['migrations:status', '--json', '--database-url', 'postgresql://nobody:Secret99@127.0.0.1:1/none'], { cwd: history() })
		expect(result.code).toBe(1)
		const error = oneErrorDocument(result, 'CONNECTION_FAILED')
		expect(JSON.stringify(error)).not.toContain('Secret99')
	})

	it('an invalid migration file', () => {
		const cwd = tempProject({ 'migrations/2024-01-01-120000-init.json': '{ "formatVersion": 6, "modifications": [ { "modification": "nope" } ] }' })
		const error = oneErrorDocument(runCli(['migrations:describe', '--json'], { cwd }), 'INVALID_MIGRATIONS')
		expect(error.problems).toEqual([expect.objectContaining({ path: '/modifications/0/modification' })])
	})

	it('an unknown migration in describe', () => {
		expect(oneErrorDocument(runCli(['migrations:describe', 'nope', '--json'], { cwd: history() }), 'MIGRATION_NOT_FOUND').message).toContain('"nope" not found')
	})

	it('a usage error, an unknown command, no command', () => {
		oneErrorDocument(runCli(['migrations:status', '--chek', '--json'], { cwd: history() }), 'USAGE')
		oneErrorDocument(runCli(['status', '--json'], { cwd: history() }), 'USAGE')
		oneErrorDocument(runCli(['--json'], { cwd: history() }), 'USAGE')
	})

	it('--until with an unknown migration; a label works', () => {
		const cwd = history()
		const unknown = runCli(['migrations:execute', '--yes', '--json', '--until', 'post', '--database-url', db.url], { cwd })
		expect(oneErrorDocument(unknown, 'MIGRATION_NOT_FOUND').message).toContain('--until post: Migration "post" not found. Did you mean 2024-01-02-120000-posts?')
		const byLabel = runCli(['migrations:execute', '--yes', '--json', '--until', 'init', '--database-url', db.url], { cwd })
		expect(byLabel.code, byLabel.stderr).toBe(0)
		expect(JSON.parse(byLabel.stdout)).toMatchObject({ ok: true, migrations: [{ name: '2024-01-01-120000-init' }] })
	})
})
