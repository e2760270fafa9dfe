/**
 * --lock-retries against a real PostgreSQL: a statement that times out waiting for a table lock
 * another session holds is rolled back and run again after a pause, and succeeds once the lock
 * is free; an exhausted budget fails like any other statement (exit 2), naming the attempts and
 * the blocker, with nothing applied (--transaction all) or the database at a migration boundary
 * (--transaction each). Other errors are not retried. A real deadlock (40P01) is retried like a
 * timeout. Every wait here is a fraction of a second, but the deadlock check's two.
 */
import type pg from 'pg'
import { describe, expect, it } from 'vitest'
import { executeMigrations, type ExecuteEvent } from '../../../src/db/executor.js'
import { MigrationExecutionError } from '../../../src/db/failure.js'
import { readLedger } from '../../../src/db/ledger.js'
import { useTestDatabase } from '../../helpers/database.js'
import { passwordUrl, startCli } from '../db/cli.js'
import { createColumn, createEntity, migration, projectWith } from '../db/fixtures.js'
import { waitFor } from '../reliability/slow.js'

const db = useTestDatabase('lock_retry')

const posts = { name: '2024-01-01-100000-posts', modifications: [createEntity('Post', 'post')] }
const tags = { name: '2024-01-02-100000-tags', modifications: [createEntity('Tag', 'tag')] }
/** ALTER TABLE post: needs ACCESS EXCLUSIVE, so any open transaction that touched post blocks it */
const postTitle = { name: '2024-01-03-100000-post-title', modifications: [createColumn('Post', 'title')] }
const files = (...list: (typeof posts)[]) => list.map(it => migration(it.name, it.modifications))

const tableExists = async (client: pg.Client, name: string) =>
	(await client.query('SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2', ['public', name])).rowCount === 1

/** a database with `post` created and recorded, and a session (application "report-job") holding a lock on it */
const blockedDatabase = async (label: string) => {
	const target = await db.fresh(label)
	const client = await target.client()
	await executeMigrations(client, files(posts), { ledgerSchema: 'strata' })
	const blocker = await target.client()
	await blocker.query(`SET application_name = 'report-job'`)
	const blockerPid = (await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid
	await blocker.query('BEGIN')
	await blocker.query('LOCK TABLE post IN ACCESS SHARE MODE')
	return { target, client, blocker, blockerPid, release: () => blocker.query('ROLLBACK') }
}

describe('lock timeouts are retried', () => {
	it('retries a statement that timed out on a table lock and succeeds once the other session releases it; the output names the blocker', async () => {
		const { target, client, blockerPid, release } = await blockedDatabase('succeeds')
		const root = await projectWith([posts, postTitle])
		const url = await passwordUrl(target.url)
		const { child, done } = startCli(['migrations:execute', '--yes', '--database-url', url, '--lock-timeout', '200ms', '--lock-retries', '8', '--lock-retry-delay', '300ms'], { cwd: root })
		const killer = setTimeout(() => child.kill('SIGKILL'), 12_000)
		// the other session ends its transaction about 1.5 s after strata's first timeout
		let released: Promise<unknown> | undefined
		let stderr = ''
		child.stderr!.on('data', chunk => {
			stderr += String(chunk)
			if (stderr.includes('Waiting for a lock')) released ??= new Promise(resolve => setTimeout(resolve, 1300)).then(release)
		})
		const result = await done.finally(() => clearTimeout(killer))
		await released
		expect(result.code, result.stderr).toBe(0)
		expect(result.stderr).toMatch(/Waiting for a lock on "post" timed out \(attempt 1 of 9, 2024-01-03-100000-post-title #0 createColumn\), retrying in \d+ ms/)
		expect(result.stderr).toContain(`blocked by pid ${blockerPid} (report-job, user `)
		expect(result.stderr).toMatch(/\(report-job, user \S+, idle in transaction since \d\d:\d\d:\d\d UTC, [\d.]+ s\): LOCK TABLE post IN ACCESS SHARE MODE/)
		expect(result.stderr).toContain('Rolled back, to run again: 2024-01-03-100000-post-title.')
		expect(result.stdout).toContain('Executed 1 migration')
		const ledger = (await readLedger(client, 'strata')).map(row => row.name)
		expect(ledger).toEqual([posts.name, postTitle.name])
		expect((await client.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'post' AND column_name = 'title'`)).rowCount).toBe(1)
	}, 15_000)

	it('--transaction all: an exhausted budget fails (exit 2) naming the attempts and the blocker; nothing is applied', async () => {
		const { target, client, blockerPid, release } = await blockedDatabase('exhausted')
		const root = await projectWith([posts, tags, postTitle])
		const url = await passwordUrl(target.url)
		const { child, done } = startCli(['migrations:execute', '--yes', '--json', '--database-url', url, '--lock-timeout', '200ms', '--lock-retries', '2', '--lock-retry-delay', '100ms'], { cwd: root })
		const killer = setTimeout(() => child.kill('SIGKILL'), 12_000)
		const result = await done.finally(() => clearTimeout(killer))
		await release()
		expect(result.code, result.stderr).toBe(2)
		const { ok, error: document } = JSON.parse(result.stdout)
		expect(ok).toBe(false)
		expect(document).toMatchObject({ code: 'MIGRATION_FAILED', exitCode: 2, failure: { migration: postTitle.name, attempts: 3, transaction: 'all', committed: [], database: { code: '55P03' } } })
		expect(document.message).toContain('Gave up after 3 attempts (--lock-retries 2)')
		expect(document.message).toContain(`blocked by pid ${blockerPid} (report-job`)
		expect(document.message).toContain('The transaction was rolled back: nothing of it was applied.')
		expect(document.failure.blocking.map((blocker: { pid: number }) => blocker.pid)).toContain(blockerPid)
		expect(document.lockRetries).toHaveLength(2)
		expect(document.lockRetries[0]).toMatchObject({ attempt: 1, attempts: 3, code: '55P03', migration: postTitle.name, rolledBack: [tags.name, postTitle.name] })
		expect(document.lockRetries[0]).not.toHaveProperty('type')
		expect(document.lockRetries[0].blockers[0]).toMatchObject({ pid: blockerPid, applicationName: 'report-job', state: 'idle in transaction' })
		// the whole run was one transaction: tags, which ran before the blocked statement, was rolled back too
		expect(await tableExists(client, 'tag')).toBe(false)
		expect((await readLedger(client, 'strata')).map(row => row.name)).toEqual([posts.name])
	}, 15_000)

	it('--transaction each: the migrations before the blocked one stay committed; the ledger holds exactly them', async () => {
		const { client, blockerPid, release } = await blockedDatabase('each')
		const events: ExecuteEvent[] = []
		const error = await executeMigrations(client, files(posts, tags, postTitle), {
			ledgerSchema: 'strata', transaction: 'each', lockTimeoutMs: 200, lockRetries: 1, lockRetryDelayMs: 50,
		}, event => events.push(event)).catch((caught: unknown) => caught)
		await release()
		expect(error).toBeInstanceOf(MigrationExecutionError)
		const failure = error as MigrationExecutionError
		expect(failure.exitCode).toBe(2)
		expect(failure.details).toMatchObject({ attempts: 2, committed: [tags.name], transaction: 'each' })
		expect(failure.message).toContain('Gave up after 2 attempts (--lock-retries 1)')
		expect(failure.message).toContain(`blocked by pid ${blockerPid} (report-job`)
		expect(failure.message).toContain(`Committed earlier (--transaction each): ${tags.name}.`)
		const retries = events.filter(event => event.type === 'lockRetry')
		expect(retries).toHaveLength(1)
		expect(retries[0]).toMatchObject({ attempt: 1, attempts: 2, rolledBack: [postTitle.name], relation: 'post' })
		expect(await tableExists(client, 'tag')).toBe(true)
		expect((await readLedger(client, 'strata')).map(row => row.name)).toEqual([posts.name, tags.name])
	}, 15_000)

	it('does not retry an error that is not a lock conflict: one attempt', async () => {
		const target = await db.fresh('other')
		const client = await target.client()
		const created = createEntity('Broken', 'broken') as unknown as { entity: { fields: { id: object } } }
		// valid by the schema rules, but PostgreSQL does not know the type: 42704, not a lock conflict
		const broken = { ...created, entity: { ...created.entity, fields: { id: { ...created.entity.fields.id, columnType: 'no_such_type' } } } }
		const events: ExecuteEvent[] = []
		const error = await executeMigrations(client, [migration('2024-01-01-100000-broken', [broken as never])], {
			ledgerSchema: 'strata', lockTimeoutMs: 200, lockRetries: 3, lockRetryDelayMs: 50,
		}, event => events.push(event)).catch((caught: unknown) => caught)
		expect(error).toBeInstanceOf(MigrationExecutionError)
		expect((error as MigrationExecutionError).details.database.code).toBe('42704')
		expect((error as MigrationExecutionError).message).not.toContain('Gave up')
		expect(events.filter(event => event.type === 'lockRetry')).toEqual([])
		expect(events.filter(event => event.type === 'migrationStart')).toHaveLength(1)
		expect(await readLedger(client, 'strata')).toEqual([])
	}, 10_000)

	it('retries a transaction PostgreSQL aborted to break a real deadlock (40P01), and succeeds', async () => {
		const target = await db.fresh('deadlock')
		const client = await target.client()
		await executeMigrations(client, files(posts, tags), { ledgerSchema: 'strata' })
		// the other session, holding tag and about to want post; it detects deadlocks late, so strata's check finds the cycle first
		const other = await target.client()
		await other.query(`SET application_name = 'deadlock-peer'; SET deadlock_timeout = '30s'`)
		await other.query('BEGIN')
		await other.query('LOCK TABLE tag IN ACCESS SHARE MODE')
		await client.query(`SET deadlock_timeout = '2s'`)
		// post first (ACCESS EXCLUSIVE, granted), then tag, which waits for the other session
		const both = { name: '2024-01-04-100000-both', modifications: [createColumn('Post', 'title'), createColumn('Tag', 'label')] }
		const events: ExecuteEvent[] = []
		const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid
		const running = executeMigrations(client, files(posts, tags, both), {
			ledgerSchema: 'strata', lockTimeoutMs: 20_000, lockRetries: 2, lockRetryDelayMs: 50,
		}, event => events.push(event))
		const observer = await target.client()
		await waitFor(async () => ((await observer.query(`SELECT 1 FROM pg_locks WHERE pid = $1 AND NOT granted`, [pid])).rowCount ?? 0) > 0, 5000, 'strata to wait for tag')
		// now the other session wants post, which strata holds: a cycle; strata's deadlock check (2 s after it began to wait) aborts strata
		const peerRead = other.query('SELECT count(*) FROM post')
		await waitFor(async () => events.some(event => event.type === 'lockRetry'), 10_000, 'the deadlock retry')
		await peerRead
		await other.query('COMMIT')
		const result = await running
		const retries = events.filter(event => event.type === 'lockRetry')
		expect(retries).toHaveLength(1)
		expect(retries[0]).toMatchObject({ attempt: 1, attempts: 3, code: '40P01', migration: both.name, modificationIndex: 1, rolledBack: [both.name] })
		expect(result.lockRetries).toHaveLength(1)
		expect(result.executed.map(it => it.name)).toEqual([both.name])
		expect((await readLedger(client, 'strata')).map(row => row.name)).toEqual([posts.name, tags.name, both.name])
		expect((await client.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE (table_name, column_name) IN (('post', 'title'), ('tag', 'label'))`)).rows[0].n).toBe(2)
	}, 20_000)
})
