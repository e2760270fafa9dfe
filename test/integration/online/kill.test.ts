/**
 * kill -9 of migrations:execute in the middle of an online migration's CREATE INDEX CONCURRENTLY
 * (made slow by an index predicate that pauses every so many rows): the ledger says which steps
 * ran, status shows the migration partial, the server leaves an INVALID index, and a re-run
 * drops it, builds the index again and finishes the remaining steps, recording the migration once.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '../../helpers/database.js'
import { ensureBuilt, looksClean, passwordUrl, runCli, startCli } from '../db/cli.js'
import { createColumn, createEntity, projectWith } from '../db/fixtures.js'
import { sleep, strataSessions, waitFor } from '../reliability/slow.js'

const db = useTestDatabase('online_kill')
const ROWS = 200_000

beforeAll(() => ensureBuilt(), 300_000)

const base = { name: '2024-05-01-100000-big', modifications: [createEntity('Big', 'big'), createColumn('Big', 'n', { type: 'Integer', columnType: 'integer' }), createColumn('Big', 'label')] }
const online = {
	formatVersion: 6,
	modifications: [
		createColumn('Big', 'note'),
		{ modification: 'createIndex', entityName: 'Big', index: { fields: ['n'], where: 'online_test_pause(n)' } },
		{ modification: 'updateColumnDefinition', entityName: 'Big', fieldName: 'label', definition: { type: 'String', columnType: 'text', nullable: false } },
	],
	strata: { online: true },
}
const ONLINE_NAME = '2024-05-02-100000-index'

const buildRunning = async (client: import('pg').Client) =>
	((await client.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'strata migrations:execute' AND state = 'active' AND query LIKE 'CREATE INDEX CONCURRENTLY%'`)).rowCount ?? 0) > 0

describe('kill -9 during an online migration', () => {
	it('resumes after the kill: no INVALID index, every step once, the migration recorded once', async () => {
		const root = await projectWith([base])
		await writeFile(path.join(root, 'migrations', `${ONLINE_NAME}.json`), JSON.stringify(online, null, '\t'))
		const target = await db.fresh('kill')
		const client = await target.client()
		const url = await passwordUrl(target.url)
		const first = await runCli(['migrations:execute', '--yes', '--until', base.name, '--database-url', url], { cwd: root })
		expect(first.code, first.stderr).toBe(0)
		await client.query(`INSERT INTO big (id, n, label) SELECT gen_random_uuid(), g, 'x' FROM generate_series(1, ${ROWS}) g`)
		// IMMUTABLE so PostgreSQL accepts it in an index predicate; a pause every 200th row makes the build take seconds
		await client.query(`CREATE FUNCTION online_test_pause(n integer) RETURNS boolean IMMUTABLE LANGUAGE plpgsql AS $$
			BEGIN IF n % 200 = 0 THEN PERFORM pg_sleep(0.001); END IF; RETURN true; END $$`)

		const { child, done } = startCli(['migrations:execute', '--yes', '--database-url', url], { cwd: root })
		await waitFor(async () => (await buildRunning(client)) || child.exitCode !== null, 30_000, 'the concurrent index build')
		expect(child.exitCode, 'the run ended before the build could be killed').toBeNull()
		await sleep(300)
		child.kill('SIGKILL')
		const killedRun = await done
		expect(killedRun.stderr).toMatch(/step 2\/5 \(outside a transaction\): CREATE INDEX CONCURRENTLY/)
		// the server notices the dead client (client_connection_check_interval) and cancels the build
		await waitFor(async () => (await strataSessions(client)) === 0, 30_000, 'the killed session to end')

		const steps = async () => (await client.query<{ step: number; transactional: boolean; done: boolean; statements: { sql: string }[] }>(
			`SELECT step, transactional, executed_at IS NOT NULL AS done, statements FROM strata.migration_steps WHERE version = '2024-05-02-100000' ORDER BY step`)).rows
		const killed = await steps()
		// step 0 (the column) ran; step 1 (the build) did not finish; the NOT NULL steps did not start
		expect(killed.map(it => [it.transactional, it.done])).toEqual([[true, true], [false, false], [true, false], [true, false], [true, false]])
		expect(killed[1]!.statements[0]!.sql).toMatch(/^CREATE INDEX CONCURRENTLY "big_n_[0-9a-f]{8}_idx" ON "big"/)
		const invalid = async () => (await client.query(`SELECT count(*)::int AS n FROM pg_index WHERE indrelid = 'big'::regclass AND NOT indisvalid`)).rows[0].n as number
		expect(await invalid()).toBe(1)
		expect((await client.query(`SELECT name FROM strata.migrations ORDER BY version`)).rows.map(row => row.name)).toEqual([base.name])

		const status = await runCli(['migrations:status', '--json', '--database-url', url], { cwd: root })
		const partial = JSON.parse(status.stdout).migrations.find((it: { name: string }) => it.name === ONLINE_NAME)
		expect(partial).toMatchObject({ state: 'partial', steps: { done: 1, total: 5 } })

		const rerun = await runCli(['migrations:execute', '--yes', '--database-url', url], { cwd: root, timeoutMs: 60_000 })
		expect(rerun.code, rerun.stderr).toBe(0)
		expect(looksClean(rerun.stderr)).toBe(true)
		// it says what it found and continues at the build
		expect(rerun.stderr).toMatch(/2024-05-02-100000-index step 2\/5: dropped the INVALID index an interrupted build left, building it again/)
		expect(rerun.stderr).not.toMatch(/step 1\/5/)
		expect(await invalid()).toBe(0)
		const finished = await steps()
		expect(finished.every(it => it.done)).toBe(true)
		expect((await client.query(`SELECT name FROM strata.migrations ORDER BY version`)).rows.map(row => row.name)).toEqual([base.name, ONLINE_NAME])
		// the column was added once (its step was not run again) and is NOT NULL without the helper check
		expect((await client.query(`SELECT attnotnull FROM pg_attribute WHERE attrelid = 'big'::regclass AND attname = 'label'`)).rows[0].attnotnull).toBe(true)
		expect((await client.query(`SELECT count(*)::int AS n FROM pg_constraint WHERE conrelid = 'big'::regclass AND contype = 'c'`)).rows[0].n).toBe(0)
		expect((await client.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'big' AND indexdef LIKE '%online_test_pause%'`)).rows[0].n).toBe(1)
		await target.drop()
	}, 120_000)
})
