/**
 * The backfill of a new NOT NULL column runs outside the migration's transaction, as a step of
 * its own. Killed in the middle of it (the CLI process and its session gone), a re-run of the
 * expand converges: every row is filled, and the contract then runs and leaves no drift.
 */
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '../../helpers/database.js'
import { passwordUrl, runCli, startCli } from '../db/cli.js'
import { DevProject, entity, ok, schemaOf } from '../dev/project.js'
import { strataSessions, waitFor } from '../reliability/slow.js'

const db = useTestDatabase('expand_contract_interrupted')

const ROWS = 2000

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
		// each updated row waits a little: the backfill lasts long enough to be killed
		await client.query(`CREATE FUNCTION slow_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.005); RETURN NEW; END $$;
			CREATE TRIGGER slow_down BEFORE UPDATE ON post FOR EACH ROW EXECUTE FUNCTION slow_down()`)

		project.declare(schemaOf(entity('Post', { title: {}, status: { nullable: false } })))
		ok(project.runOffline('migrations:diff', 'add-status', '--yes', '--expand-contract', '--fill', 'Post.status=draft'))
		const [expand, contract] = project.migrationNames().slice(-2) as [string, string]

		const session = `application_name = 'strata migrations:execute' AND datname = current_database()`
		const inBackfill = async () => ((await client.query(`SELECT 1 FROM pg_stat_activity WHERE ${session} AND query LIKE 'UPDATE "post" SET "status"%'`)).rowCount ?? 0) > 0
		const run = startCli(['migrations:execute', '--yes', '--until', expand, '--database-url', url], { cwd: project.root })
		await waitFor(async () => run.child.exitCode !== null || await inBackfill(), 30_000, 'the backfill')
		expect(run.child.exitCode, 'the run ended before it could be killed').toBeNull()
		// a crash: the process goes, then its session
		run.child.kill('SIGKILL')
		await run.done
		await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${session}`)
		await waitFor(async () => (await strataSessions(client)) === 0, 30_000, 'the killed session to end')
		// the backfill was rolled back as a whole: the rows are still NULL, the trigger and check are in place
		expect(Number((await client.query(`SELECT count(*) FROM post WHERE status IS NULL`)).rows[0].count)).toBe(ROWS)

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
