/**
 * --lock-retries for an online migration: only the step that lost the lock conflict runs again,
 * the steps before it stay committed. A CREATE INDEX CONCURRENTLY that times out waiting for a
 * writer's open transaction leaves an INVALID index behind; the retry drops it and builds it
 * again once the writer is gone. Every wait is a fraction of a second.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { executeMigrations, type ExecuteEvent } from '../../../src/db/executor.js'
import { MigrationExecutionError } from '../../../src/db/failure.js'
import { readLedger } from '../../../src/db/ledger.js'
import { parseMigration } from '../../../src/migrations/files.js'
import type { Modification } from '../../../src/modifications/types.js'
import { useTestDatabase } from '../../helpers/database.js'
import { ensureBuilt, looksClean, passwordUrl, startCli } from '../db/cli.js'
import { createColumn, createEntity, migration, projectWith } from '../db/fixtures.js'

const db = useTestDatabase('online_lock_retry')

beforeAll(() => ensureBuilt(), 300_000)

const base = { name: '2024-01-01-100000-base', modifications: [createEntity('Author', 'author'), createColumn('Author', 'name'), createEntity('Post', 'post'), createColumn('Post', 'title')] }
/** two concurrent builds: the first on a table nobody writes, the second on the writer's table */
const change: Modification[] = [
	{ modification: 'createIndex', entityName: 'Author', index: { fields: ['name'] } },
	{ modification: 'createIndex', entityName: 'Post', index: { fields: ['title'] } },
]
const CHANGE_NAME = '2024-01-02-100000-change'
const onlineText = JSON.stringify({ formatVersion: 6, modifications: change, strata: { online: true } }, null, '\t')

/** a database with the base executed and a writer (application "writer") holding an uncommitted insert into post */
const busyDatabase = async (label: string) => {
	const target = await db.fresh(label)
	const client = await target.client()
	await executeMigrations(client, [migration(base.name, base.modifications)], { ledgerSchema: 'strata' })
	await client.query(`INSERT INTO post (id, title) SELECT gen_random_uuid(), 't' || g FROM generate_series(1, 100) g`)
	const writer = await target.client()
	await writer.query(`SET application_name = 'writer'`)
	const writerPid = (await writer.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid
	await writer.query('BEGIN')
	await writer.query(`INSERT INTO post (id, title) VALUES (gen_random_uuid(), 'uncommitted')`)
	return { target, client, writerPid, release: () => writer.query('COMMIT') }
}

const invalidIndexes = async (client: import('pg').Client) =>
	(await client.query(`SELECT 1 FROM pg_index WHERE NOT indisvalid AND indrelid = 'post'::regclass`)).rowCount

describe('online migrations retry lock conflicts step by step', () => {
	it('retries the blocked step once the writer commits: the INVALID index a timed-out build left is dropped and built again', async () => {
		const { target, client, writerPid, release } = await busyDatabase('succeeds')
		const root = await projectWith([base])
		await writeFile(path.join(root, 'migrations', `${CHANGE_NAME}.json`), onlineText)
		const url = await passwordUrl(target.url)
		const { child, done } = startCli(['migrations:execute', '--yes', '--database-url', url, '--lock-timeout', '200ms', '--lock-retries', '10', '--lock-retry-delay', '200ms'], { cwd: root })
		const killer = setTimeout(() => child.kill('SIGKILL'), 20_000)
		let released: Promise<unknown> | undefined
		let stderr = ''
		child.stderr!.on('data', chunk => {
			stderr += String(chunk)
			if (stderr.includes('Waiting for a lock')) released ??= new Promise(resolve => setTimeout(resolve, 1000)).then(release)
		})
		const result = await done.finally(() => clearTimeout(killer))
		await released
		expect(result.code, result.stderr).toBe(0)
		expect(looksClean(result.stderr)).toBe(true)
		expect(result.stderr).toMatch(new RegExp(`Waiting for a lock (on "post" )?timed out \\(attempt 1 of 11, ${CHANGE_NAME} #1 createIndex\\)`))
		expect(result.stderr).toContain(`pid ${writerPid} (writer`)
		expect(result.stderr).toMatch(new RegExp(`Rolled back, to run again: step 2 of 2 of ${CHANGE_NAME} \\(online; the steps before it stay committed\\)\\.`))
		// the first build is not run again; the second one's INVALID leftover is dropped before the next attempt
		expect(result.stderr.match(/step 1\/2 \(outside a transaction\)/g)).toHaveLength(1)
		expect(result.stderr).toContain(`${CHANGE_NAME} step 2/2: dropped the INVALID index an interrupted build left`)
		expect(await invalidIndexes(client)).toBe(0)
		expect((await client.query(`SELECT 1 FROM pg_indexes WHERE tablename = 'post' AND indexdef LIKE '%(title)%'`)).rowCount).toBe(1)
		expect((await client.query(`SELECT count(*)::int AS n FROM post`)).rows[0]!.n).toBe(101)
		expect((await readLedger(client, 'strata')).map(row => row.name)).toEqual([base.name, CHANGE_NAME])
		const steps = await client.query<{ done: boolean }>(`SELECT executed_at IS NOT NULL AS done FROM strata.migration_steps`)
		expect(steps.rows.every(row => row.done)).toBe(true)
	}, 25_000)

	it('an exhausted budget fails naming the attempts and the writer; the steps before the blocked one stay committed, and a re-run finishes', async () => {
		const { client, writerPid, release } = await busyDatabase('exhausted')
		const file = parseMigration(CHANGE_NAME, onlineText)
		const files = [migration(base.name, base.modifications), file]
		const events: ExecuteEvent[] = []
		const error = await executeMigrations(client, files, { ledgerSchema: 'strata', lockTimeoutMs: 200, lockRetries: 1, lockRetryDelayMs: 50 }, event => events.push(event))
			.catch((caught: unknown) => caught)
		expect(error).toBeInstanceOf(MigrationExecutionError)
		const failure = error as MigrationExecutionError
		expect(failure.details).toMatchObject({ migration: CHANGE_NAME, attempts: 2, database: { code: '55P03' } })
		expect(failure.message).toContain('Gave up after 2 attempts (--lock-retries 1)')
		expect(failure.message).toContain(`blocked by pid ${writerPid} (writer`)
		expect(failure.message).toMatch(/Online migration: step \d+ of \d+ failed/)
		const retries = events.filter(event => event.type === 'lockRetry')
		expect(retries).toHaveLength(1)
		expect(retries[0]).toMatchObject({ attempt: 1, attempts: 2, code: '55P03', migration: CHANGE_NAME, modificationIndex: 1, rolledBack: [], onlineStep: { step: 1, total: 2 } })
		expect(failure.details.onlineStep).toMatchObject({ step: 1, total: 2 })
		// the build before the blocked one is recorded, the migration is not
		const recorded = await client.query<{ step: number }>(`SELECT step FROM strata.migration_steps WHERE executed_at IS NOT NULL ORDER BY step`)
		expect(recorded.rows.map(row => row.step)).toEqual([0])
		expect((await readLedger(client, 'strata')).map(row => row.name)).toEqual([base.name])

		await release()
		await executeMigrations(client, files, { ledgerSchema: 'strata', lockTimeoutMs: 200 })
		expect(await invalidIndexes(client)).toBe(0)
		expect((await readLedger(client, 'strata')).map(row => row.name)).toEqual([base.name, CHANGE_NAME])
	}, 25_000)
})
