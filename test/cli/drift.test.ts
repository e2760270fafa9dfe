/**
 * `db:drift` through the spawned CLI: help, exit codes (0 with drift reported, 3 with --check,
 * 1 for bad options or an unreachable server), --json as a plain list, no colour under
 * NO_COLOR, no stack traces, and never the password.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '../helpers/database.js'
import { assertNoSecret, passwordUrl } from '../integration/db/cli.js'
import { hasAnsi, hasStackTrace, repoRoot, runCli, tempProject } from './run.js'

const db = useTestDatabase('cli_drift')

const exampleMigrations = (): Record<string, string> =>
	Object.fromEntries(readdirSync(join(repoRoot, 'migrations'))
		.filter(name => name.endsWith('.json'))
		.map(name => [`migrations/${name}`, readFileSync(join(repoRoot, 'migrations', name), 'utf8')]))

let root = ''
let url = ''
const run = (args: readonly string[], env: Record<string, string | undefined> = {}) => {
	const result = runCli([...args, '--database-url', url], { cwd: root, env })
	assertNoSecret(result.stdout + result.stderr)
	expect(hasStackTrace(result.stdout + result.stderr), result.stderr).toBe(false)
	return result
}

beforeAll(async () => {
	root = tempProject(exampleMigrations())
	url = await passwordUrl((await db.fresh('flow')).url)
	const executed = run(['migrations:execute', '--yes'])
	expect(executed.code, executed.stderr).toBe(0)
}, 180_000)

describe('db:drift (CLI)', () => {
	it('is listed in --help and documents its options', () => {
		const help = runCli(['--help'], { cwd: root })
		expect(help.stdout).toContain('db:drift')
		const own = runCli(['db:drift', '--help'], { cwd: root })
		expect(own.code).toBe(0)
		for (const option of ['--check', '--ignore', '--from', '--db-schema', '--database-url', '--ledger-schema', '--json']) expect(own.stdout).toContain(option)
	})

	it('reports no drift after execute, then each hand change; exit 3 only with --check', async () => {
		const clean = run(['db:drift', '--check'])
		expect(clean.code).toBe(0)
		expect(clean.stdout).toContain('No drift')
		expect(JSON.parse(run(['db:drift', '--json']).stdout)).toEqual({ inSync: true, items: [], ignored: [] })

		const client = new pg.Client({ connectionString: url })
		await client.connect()
		try {
			await client.query(`ALTER TABLE "comment" DROP COLUMN "body"`)
			await client.query(`CREATE TABLE "scratch" ("id" integer)`)
		} finally {
			await client.end()
		}

		const reported = run(['db:drift'], { NO_COLOR: '1' })
		expect(reported.code).toBe(0)
		expect(hasAnsi(reported.stdout + reported.stderr)).toBe(false)
		expect(reported.stdout).toContain('Drift: 2 differences')
		expect(reported.stdout).toMatch(/missing column\s+comment\.body\s+expected text NOT NULL, absent/)
		expect(reported.stdout).toMatch(/extra table\s+scratch\s+actual table with 1 column\(s\)/)
		expect(reported.stderr).toContain('Database: host')

		const checked = run(['db:drift', '--check', '--json'])
		expect(checked.code).toBe(3)
		expect(JSON.parse(checked.stdout)).toEqual({
			inSync: false,
			items: [
				{ kind: 'missingColumn', direction: 'missing', object: 'comment.body', expected: 'text NOT NULL', actual: null },
				{ kind: 'extraTable', direction: 'extra', object: 'scratch', expected: null, actual: 'table with 1 column(s)' },
			],
			ignored: [],
		})
		// JSON mode keeps stderr free of announcements
		expect(checked.stderr).toBe('')

		const ignored = run(['db:drift', '--check', '--ignore', 'scratch', '--ignore', 'comment.body'])
		expect(ignored.code).toBe(0)
		expect(ignored.stdout).toContain('No drift: the database matches the executed migrations (2 ignored, listed below).')
		expect(ignored.stdout).toMatch(/Ignored \(--ignore [^)]*\):\n.*comment\.body[\s\S]*scratch/)
	})

	it('rejects a bad --from value with exit 1 and no stack trace', () => {
		const result = run(['db:drift', '--from', 'somewhere'])
		expect(result.code).toBe(1)
		expect(result.stderr).toMatch(/ledger.*files/)
	})

	it('fails cleanly when the server cannot be reached', () => {
		const result = runCli(['db:drift', '--database-url', 'postgresql://nobody:secret@127.0.0.1:9/nowhere'], { cwd: root })
		expect(result.code).toBe(1)
		expect(result.stderr).toContain('Cannot connect to PostgreSQL')
		expect(result.stderr).not.toContain('secret')
		expect(hasStackTrace(result.stderr)).toBe(false)
	})
})
