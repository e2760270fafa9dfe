/**
 * An online migration's CREATE INDEX CONCURRENTLY (made slow by an index predicate that pauses
 * every so many rows) stopped three ways: kill -9 of migrations:execute, Ctrl-C (SIGINT), and the
 * connection terminated by the server. Each time the ledger says which steps ran, status shows
 * the migration partial, the server leaves an INVALID index, and a re-run drops it, builds the
 * index again and finishes the remaining steps, recording the migration once.
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
	((await client.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'strata migrations:execute' AND datname = current_database() AND state = 'active' AND query LIKE 'CREATE INDEX CONCURRENTLY%'`)).rowCount ?? 0) > 0

/** a project with the online migration pending, its base executed, `rows` rows in big, and the pausing predicate */
const prepared = async (label: string, rows: number, everyNth: number) => {
	const root = await projectWith([base])
	await writeFile(path.join(root, 'migrations', `${ONLINE_NAME}.json`), JSON.stringify(online, null, '\t'))
	const target = await db.fresh(label)
	const client = await target.client()
	const url = await passwordUrl(target.url)
	const first = await runCli(['migrations:execute', '--yes', '--until', base.name, '--database-url', url], { cwd: root })
	expect(first.code, first.stderr).toBe(0)
	await client.query(`INSERT INTO big (id, n, label) SELECT gen_random_uuid(), g, 'x' FROM generate_series(1, ${rows}) g`)
	// IMMUTABLE so PostgreSQL accepts it in an index predicate; a pause every so many rows makes the build take seconds,
	// for as long as online_test_slow holds a row (the re-run, after the stop, builds at full speed); qualified, as PostgreSQL 17
	// runs index expressions with a search_path of pg_catalog only
	await client.query(`CREATE TABLE online_test_slow (on_ boolean); INSERT INTO online_test_slow VALUES (true);
		CREATE FUNCTION online_test_pause(n integer) RETURNS boolean IMMUTABLE LANGUAGE plpgsql AS $$
		BEGIN IF n % ${everyNth} = 0 AND EXISTS (SELECT 1 FROM public.online_test_slow) THEN PERFORM pg_sleep(0.004); END IF; RETURN true; END $$`)
	return { root, target, client, url }
}

/** migrations:execute started, once the concurrent build is running */
const startedBuild = async (root: string, url: string, client: import('pg').Client) => {
	const run = startCli(['migrations:execute', '--yes', '--database-url', url], { cwd: root })
	await waitFor(async () => (await buildRunning(client)) || run.child.exitCode !== null, 30_000, 'the concurrent index build')
	expect(run.child.exitCode, 'the run ended before the build could be stopped').toBeNull()
	await sleep(300)
	return run
}

const stepsOf = async (client: import('pg').Client) => (await client.query<{ step: number; transactional: boolean; done: boolean; statements: { sql: string }[] }>(
	`SELECT step, transactional, executed_at IS NOT NULL AS done, statements FROM strata.migration_steps WHERE version = '2024-05-02-100000' ORDER BY step`)).rows
const invalidIndexes = async (client: import('pg').Client) => (await client.query(`SELECT count(*)::int AS n FROM pg_index WHERE indrelid = 'big'::regclass AND NOT indisvalid`)).rows[0].n as number
const recorded = async (client: import('pg').Client) => (await client.query(`SELECT name FROM strata.migrations ORDER BY version`)).rows.map(row => row.name)

/** what the stopped run left, then a re-run that finishes it */
const resumesAfterStop = async (root: string, url: string, client: import('pg').Client) => {
	// the server notices the dead client (client_connection_check_interval, or the closed socket) and cancels the build
	await waitFor(async () => (await strataSessions(client)) === 0, 30_000, 'the stopped session to end')
	// step 0 (the column) ran; step 1 (the build) did not finish; the NOT NULL steps did not start
	expect((await stepsOf(client)).map(it => [it.transactional, it.done])).toEqual([[true, true], [false, false], [true, false], [true, false], [true, false]])
	expect(await invalidIndexes(client)).toBe(1)
	expect(await recorded(client)).toEqual([base.name])
	const status = await runCli(['migrations:status', '--json', '--database-url', url], { cwd: root })
	expect(JSON.parse(status.stdout).migrations.find((it: { name: string }) => it.name === ONLINE_NAME)).toMatchObject({ state: 'partial', steps: { done: 1, total: 5 } })
	await client.query('DELETE FROM online_test_slow')
	const rerun = await runCli(['migrations:execute', '--yes', '--database-url', url], { cwd: root, timeoutMs: 60_000 })
	expect(rerun.code, rerun.stderr).toBe(0)
	expect(rerun.stderr).toMatch(/2024-05-02-100000-index step 2\/5: dropped the INVALID index an interrupted build left, building it again/)
	expect(rerun.stderr).not.toMatch(/step 1\/5/)
	expect(await invalidIndexes(client)).toBe(0)
	expect((await stepsOf(client)).every(it => it.done)).toBe(true)
	expect(await recorded(client)).toEqual([base.name, ONLINE_NAME])
}

describe('an online migration stopped during a concurrent build', () => {
	it('kill -9: resumes after the kill: no INVALID index, every step once, the migration recorded once', async () => {
		const { root, target, client, url } = await prepared('kill', ROWS, 200)
		const { child, done } = await startedBuild(root, url, client)
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

		await client.query('DELETE FROM online_test_slow')
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

	it('Ctrl-C (SIGINT): exit 130, says the migration is partly applied and how many steps are committed; a re-run finishes it', async () => {
		const { root, target, client, url } = await prepared('sigint', 100_000, 100)
		const { child, done } = await startedBuild(root, url, client)
		child.kill('SIGINT')
		const interrupted = await done
		expect(interrupted.code, interrupted.stderr).toBe(130)
		expect(looksClean(interrupted.stderr)).toBe(true)
		expect(interrupted.stderr).toContain(`Partly applied (online): ${ONLINE_NAME}, 1 of 5 steps committed; the step that was running was rolled back (an index it was building is left INVALID and dropped by the next run).`)
		expect(interrupted.stderr).toContain('Interrupted (Ctrl-C / SIGINT): no migration was applied completely.')
		expect(interrupted.stderr).toContain('Run migrations:execute again to apply the rest.')
		await resumesAfterStop(root, url, client)
		await target.drop()
	}, 120_000)

	it('the connection terminated by the server: exit 2, says the finished steps stay applied and a re-run continues; it does', async () => {
		const { root, target, client, url } = await prepared('terminated', 100_000, 100)
		const { done } = await startedBuild(root, url, client)
		await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'strata migrations:execute' AND datname = current_database() AND query LIKE 'CREATE INDEX CONCURRENTLY%'`)
		const lost = await done
		expect(lost.code, lost.stderr).toBe(2)
		expect(looksClean(lost.stderr)).toBe(true)
		expect(lost.stderr).toContain(`The connection to PostgreSQL failed during the online migration ${ONLINE_NAME} (step 2 of 5): terminating connection due to administrator command`)
		expect(lost.stderr).toContain('Its steps that finished are committed and recorded in strata.migration_steps')
		expect(lost.stderr).toContain('then re-run migrations:execute to continue it')
		await resumesAfterStop(root, url, client)
		await target.drop()
	}, 120_000)
})
