/**
 * The backfill of a new NOT NULL column runs outside the migration's transaction, as a step of
 * its own, in batches each committed. Killed in the middle of it (the CLI process and its session
 * gone), the batches done stay done and a re-run of the expand converges: every row is filled,
 * and the contract then runs and leaves no drift.
 */
import { describe, expect, it } from 'vitest'
import { BACKFILL_BATCH_ROWS } from '../../../src/expandContract/batches.js'
import { useTestDatabase } from '../../helpers/database.js'
import { passwordUrl, runCli, startCli } from '../db/cli.js'
import { DevProject, entity, ok, schemaOf } from '../dev/project.js'
import { strataSessions, waitFor } from '../reliability/slow.js'

const db = useTestDatabase('expand_contract_interrupted')

const ROWS = BACKFILL_BATCH_ROWS * 2 + 1000

describe('an interrupted expand backfill', () => {
	it('killed during the backfill, the expand re-runs to every row filled; the contract then runs clean', async () => {
		const database = await db.fresh('killed')
		const client = await database.client()
		const url = await passwordUrl(database.url)
		const project = new DevProject(url)
		const cli = (...args: string[]) => runCli([...args, '--database-url', url], { cwd: project.root, timeoutMs: 60_000 })
		project.declare(schemaOf(entity('Post', { title: {} })))
		ok(project.runOffline('migrations:diff', 'init', '--yes'))
		ok(await cli('migrations:execute', '--yes'))
		await client.query(`INSERT INTO post (id, title) SELECT gen_random_uuid(), 't' || g FROM generate_series(1, ${ROWS}) g`)
		// each updated row waits a little: the backfill lasts long enough to be killed after its first batch
		await client.query(`CREATE FUNCTION slow_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.0005); RETURN NEW; END $$;
			CREATE TRIGGER slow_down BEFORE UPDATE ON post FOR EACH ROW EXECUTE FUNCTION slow_down()`)

		project.declare(schemaOf(entity('Post', { title: {}, status: { nullable: false } })))
		ok(project.runOffline('migrations:diff', 'add-status', '--yes', '--expand-contract', '--fill', 'Post.status=draft'))
		const [expand, contract] = project.migrationNames().slice(-2) as [string, string]

		const session = `application_name = 'strata migrations:execute' AND datname = current_database()`
		const filled = async () => Number((await client.query(`SELECT count(*) FROM post WHERE status IS NOT NULL`)).rows[0].count)
		const inBackfill = async () => ((await client.query(`SELECT 1 FROM pg_stat_activity WHERE ${session} AND query LIKE 'DO $strata_backfill$%'`)).rowCount ?? 0) > 0
		const run = startCli(['migrations:execute', '--yes', '--until', expand, '--database-url', url], { cwd: project.root })
		// killed once the first batch is committed and while the next runs
		await waitFor(async () => run.child.exitCode !== null || (await inBackfill() && await filled() >= BACKFILL_BATCH_ROWS), 60_000, 'the first committed batch')
		expect(run.child.exitCode, 'the run ended before it could be killed').toBeNull()
		// a crash: the process goes, then its session
		run.child.kill('SIGKILL')
		await run.done
		await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${session}`)
		await waitFor(async () => (await strataSessions(client)) === 0, 30_000, 'the killed session to end')
		// the committed batches stay filled, the one running was rolled back: some rows are still NULL
		const done = await filled()
		expect(done % BACKFILL_BATCH_ROWS, 'whole batches only').toBe(0)
		expect(done).toBeGreaterThanOrEqual(BACKFILL_BATCH_ROWS)
		expect(done).toBeLessThan(ROWS)

		await client.query('DROP TRIGGER slow_down ON post')
		const rerun = await cli('migrations:execute', '--yes', '--until', expand)
		expect(rerun.code, rerun.stderr).toBe(0)
		expect(Number((await client.query(`SELECT count(*) FROM post WHERE status IS NULL`)).rows[0].count)).toBe(0)
		expect((await client.query(`SELECT DISTINCT status FROM post`)).rows).toEqual([{ status: 'draft' }])

		ok(await cli('migrations:execute', '--yes', '--until', contract))
		expect((await client.query(`SELECT is_nullable FROM information_schema.columns WHERE table_name = 'post' AND column_name = 'status'`)).rows).toEqual([{ is_nullable: 'NO' }])
		expect(ok(await cli('db:drift')).stdout).toContain('No drift')
	}, 120_000)
})
