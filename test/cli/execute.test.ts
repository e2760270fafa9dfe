/**
 * migrations:execute and migrations:status through the spawned CLI: output, --json, --dry-run,
 * --until, confirmation without a terminal, a failing statement (exit 2), the embedded default
 * and its refusal in CI.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { useTestDatabase } from '../helpers/database.js'
import { ensureBuilt, looksClean, passwordUrl, runCli } from '../integration/db/cli.js'
import { blogHistory, createEntity, migrationText, projectWith } from '../integration/db/fixtures.js'

const db = useTestDatabase('cli_execute')
// each test spawns the CLI several times (a few seconds each on a loaded machine)
vi.setConfig({ testTimeout: 300_000 })

beforeAll(() => ensureBuilt(), 300_000)

const project = async (label: string, migrations = blogHistory()) => {
	const url = await passwordUrl((await db.fresh(label)).url)
	const root = await projectWith(migrations)
	return { root, url, run: (...args: string[]) => runCli([...args, '--database-url', url], { cwd: root }) }
}

describe('migrations:execute', () => {
	it('without a terminal and without --yes: exit 1 telling to pass --yes, nothing runs', async () => {
		const p = await project('noyes')
		const result = await p.run('migrations:execute')
		expect(result.code).toBe(1)
		expect(result.stderr).toContain('--yes')
		expect(JSON.parse((await p.run('migrations:status', '--json')).stdout).summary).toEqual({ executed: 0, pending: 3, broken: 0 })
	})

	it('--dry-run prints the SQL and changes nothing; --until stops at a migration; --json reports durations', async () => {
		const p = await project('dry')
		const dry = await p.run('migrations:execute', '--dry-run')
		expect(dry.code, dry.stderr).toBe(0)
		expect(dry.stdout).toContain('-- 2024-01-01-100000-authors')
		expect(dry.stdout).toMatch(/CREATE TABLE "author"/)
		expect(dry.stderr).toContain('nothing was changed')
		expect((await p.run('migrations:status', '--check')).code).toBe(3)
		const toExecute = JSON.parse((await p.run('migrations:status', '--only-to-execute', '--json')).stdout)
		expect(toExecute.migrations.map((m: { state: string }) => m.state)).toEqual(['pending', 'pending', 'pending'])

		const until = await p.run('migrations:execute', '--yes', '--until', '2024-01-02-100000')
		expect(until.code, until.stderr).toBe(0)
		expect(until.stdout).toMatch(/✓ 2024-01-01-100000-authors \(\d+(\.\d+)? m?s/)
		expect(until.stdout).toContain('Executed 2 migrations')
		const json = await p.run('migrations:execute', '--yes', '--json')
		expect(json.code).toBe(0)
		const result = JSON.parse(json.stdout)
		expect(result.migrations.map((m: { name: string }) => m.name)).toEqual(['2024-01-03-100000-relax'])
		expect(typeof result.migrations[0].durationMs).toBe('number')
		const status = await p.run('migrations:status')
		expect(status.code).toBe(0)
		expect(status.stdout).toContain('3 executed, 0 pending, 0 broken.')
		expect((await p.run('migrations:status', '--check')).code).toBe(0)
		const nothing = await p.run('migrations:execute', '--yes')
		expect(nothing.stdout).toContain('No migrations to execute.')
	})

	it('a failing statement: exit 2 with migration, modification, statement, PostgreSQL message and the rollback', async () => {
		const p = await project('fail', [
			{ name: '2024-01-01-100000-a', modifications: [createEntity('A', 'a')] },
			// valid by every schema rule (a table name collision is refused before any SQL); only PostgreSQL knows the type is missing
			{ name: '2024-01-02-100000-b', modifications: [{ ...createEntity('B', 'b'), entity: { ...(createEntity('B', 'b').entity as object), fields: { id: { name: 'id', columnName: 'id', columnType: 'no_such_type', nullable: false, type: 'Uuid' } } } }] },
		])
		const result = await p.run('migrations:execute', '--yes')
		expect(result.code).toBe(2)
		expect(result.stderr).toContain('Migration 2024-01-02-100000-b failed at modification #0 (createEntity)')
		expect(result.stderr).toMatch(/PostgreSQL: type "no_such_type" does not exist \[42704\]/)
		expect(result.stderr).toContain('CREATE TABLE "b"')
		expect(result.stderr).toContain('The transaction was rolled back')
		expect(looksClean(result.stderr)).toBe(true)
		expect(JSON.parse((await p.run('migrations:status', '--json')).stdout).summary.executed).toBe(0)
		const json = await p.run('migrations:execute', '--yes', '--json')
		expect(json.code).toBe(2)
		const failure = JSON.parse(json.stdout)
		expect(failure).toMatchObject({ ok: false, error: { code: 'MIGRATION_FAILED', exitCode: 2, failure: { migration: '2024-01-02-100000-b', modificationIndex: 0, modificationId: 'createEntity', database: { code: '42704' } } } })
	})

	it('--no-destructive refuses pending destructive steps and runs nothing', async () => {
		const p = await project('destructive', [
			{ name: '2024-01-01-100000-a', modifications: [createEntity('A', 'a')] },
			{ name: '2024-01-02-100000-drop', modifications: [{ modification: 'removeEntity', entityName: 'A' }] },
		])
		expect((await p.run('migrations:execute', '--yes', '--until', '2024-01-01-100000-a')).code).toBe(0)
		const refused = await p.run('migrations:execute', '--yes', '--no-destructive')
		expect(refused.code).toBe(1)
		expect(refused.stderr).toContain('2024-01-02-100000-drop #0 removeEntity')
		expect(JSON.parse((await p.run('migrations:status', '--json')).stdout).summary.pending).toBe(1)
	})

	it('--ledger-schema and config ledgerSchema choose the ledger', async () => {
		const p = await project('ledger')
		await writeFile(path.join(p.root, 'strata.config.json'), JSON.stringify({ ledgerSchema: 'from_config' }))
		expect((await p.run('migrations:execute', '--yes', '--until', '2024-01-01-100000-authors')).code).toBe(0)
		const status = JSON.parse((await p.run('migrations:status', '--json')).stdout)
		expect(status.ledgerSchema).toBe('from_config')
		expect(status.summary.executed).toBe(1)
		const other = JSON.parse((await p.run('migrations:status', '--json', '--ledger-schema', 'elsewhere')).stdout)
		expect(other.summary.executed).toBe(0)
	})
})

describe('connection resolution', () => {
	it('DATABASE_URL from .env is used, and the embedded default is refused in CI', async () => {
		const url = await passwordUrl((await db.fresh('dotenv')).url)
		const root = await projectWith(blogHistory())
		await writeFile(path.join(root, '.env'), `# local settings\nDATABASE_URL="${url}"\n`)
		const viaDotEnv = await runCli(['migrations:status', '--json'], { cwd: root, env: { CI: 'true' } })
		expect(viaDotEnv.code, viaDotEnv.stderr).toBe(0)
		expect(JSON.parse(viaDotEnv.stdout).summary.pending).toBe(3)

		const bare = await projectWith(blogHistory())
		const refused = await runCli(['migrations:status'], { cwd: bare, env: { CI: 'true' } })
		expect(refused.code).toBe(1)
		expect(refused.stderr).toContain('a deploy must name its database')
		const production = await runCli(['migrations:status'], { cwd: bare, env: { NODE_ENV: 'production' } })
		expect(production.code).toBe(1)
	})

	it('the embedded database: started, used and stopped for the command (--embedded allowed in CI)', async () => {
		const root = await projectWith(blogHistory())
		const first = await runCli(['migrations:execute', '--yes', '--embedded'], { cwd: root, env: { CI: 'true' }, timeoutMs: 180_000 })
		expect(first.code, first.stderr).toBe(0)
		expect(first.stderr).toContain('embedded PostgreSQL')
		expect(first.stdout).toContain('Executed 3 migrations')
		const status = await runCli(['migrations:status', '--check', '--embedded'], { cwd: root, timeoutMs: 180_000 })
		expect(status.code, status.stderr).toBe(0)
		expect(status.stdout).toContain('3 executed')
		expect(status.stderr).not.toContain('strata-embedded')
	}, 300_000)
})
