/**
 * Progress of a slow statement against a real PostgreSQL: a CREATE INDEX is reported with the
 * phase PostgreSQL's pg_stat_progress_create_index gives (read by the executing backend's pid
 * from a second connection), a fill UPDATE with its elapsed time only. Each statement is made
 * to take a few seconds by a short pause every so many rows, so the test does not depend on how
 * fast the machine scans a table.
 */
import type pg from 'pg'
import { describe, expect, it } from 'vitest'
import { executeMigrations } from '../../../src/db/executor.js'
import type { StatementProgress } from '../../../src/db/progressWatch.js'
import { progressPercent } from '../../../src/db/serverProgress.js'
import { useTestDatabase } from '../../helpers/database.js'
import { createColumn, createEntity, migration } from '../db/fixtures.js'
import { prepareSlowDatabase, slowHistory } from '../reliability/slow.js'

const db = useTestDatabase('progress')

const table = { name: '2024-05-01-100000-big', modifications: [createEntity('Big', 'big'), createColumn('Big', 'n', { type: 'Integer', columnType: 'integer' })] }
/** a partial index whose predicate pauses on every 400th row: a few seconds over 300 000 rows */
const slowIndex = { name: '2024-05-02-100000-index', modifications: [{ modification: 'createIndex', entityName: 'Big', index: { fields: ['n'], where: 'progress_test_pause(n)' } }] }
const INDEX_ROWS = 300_000

const run = async (client: pg.Client, history: readonly { name: string; modifications: readonly object[] }[]) => {
	const seen: (StatementProgress | null)[] = []
	await executeMigrations(client, history.map(it => migration(it.name, it.modifications as never)), { ledgerSchema: 'strata', onProgress: progress => seen.push(progress) })
	return { seen, samples: seen.filter((it): it is StatementProgress => it !== null) }
}

describe('statement progress', () => {
	it('a slow CREATE INDEX is reported with its phase from pg_stat_progress_create_index', async () => {
		const client = await (await db.fresh('index')).client()
		await executeMigrations(client, [migration(table.name, table.modifications)], { ledgerSchema: 'strata' })
		await client.query(`INSERT INTO big (id, n) SELECT gen_random_uuid(), g FROM generate_series(1, ${INDEX_ROWS}) g`)
		// IMMUTABLE so PostgreSQL accepts it in an index predicate; it only slows the scan down
		await client.query(`CREATE FUNCTION progress_test_pause(n integer) RETURNS boolean IMMUTABLE LANGUAGE plpgsql AS $$
			BEGIN IF n % 400 = 0 THEN PERFORM pg_sleep(0.001); END IF; RETURN true; END $$`)
		const { seen, samples } = await run(client, [table, slowIndex])
		const index = samples.filter(it => it.migration === slowIndex.name && it.modificationIndex === 0 && it.modificationId === 'createIndex')
		expect(index.length, JSON.stringify(seen)).toBeGreaterThan(0)
		expect(index[0]!.sql).toMatch(/^CREATE INDEX ON "big"/)
		expect(index[0]!.statementMs).toBeGreaterThanOrEqual(1000)
		const reported = index.flatMap(it => (it.server ? [it.server] : []))
		expect(reported.length, JSON.stringify(index)).toBeGreaterThan(0)
		expect(reported[0]).toMatchObject({ view: 'create_index', command: 'CREATE INDEX' })
		expect(reported.map(it => it.phase).join('\n')).toMatch(/^building index: scanning table$/m)
		const scanning = reported.find(it => it.phase === 'building index: scanning table')!
		expect(scanning.blocksTotal).toBeGreaterThan(0)
		expect(progressPercent(scanning)).toEqual(expect.any(Number))
		// the last report says no statement is slow any more
		expect(seen.at(-1)).toBeNull()
	}, 60_000)

	it('a slow fill UPDATE is reported with its elapsed time and no percentage', async () => {
		const client = await (await db.fresh('fill')).client()
		await prepareSlowDatabase(client)
		// a pause on every 100th of the 100 000 rows: a few seconds
		await client.query(`CREATE FUNCTION progress_test_pause() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN IF NEW.n % 100 = 0 THEN PERFORM pg_sleep(0.001); END IF; RETURN NEW; END $$`)
		await client.query('CREATE TRIGGER progress_test_pause BEFORE UPDATE ON big FOR EACH ROW EXECUTE FUNCTION progress_test_pause()')
		const { samples } = await run(client, slowHistory().slice(0, 2))
		const fill = samples.filter(it => it.migration === slowHistory()[1]!.name && /^UPDATE "big"/.test(it.sql))
		expect(fill.length, JSON.stringify(samples)).toBeGreaterThan(0)
		expect(fill.every(it => it.server === null)).toBe(true)
		expect(fill.at(-1)!.statementMs).toBeGreaterThanOrEqual(1000)
		expect(fill.at(-1)!.runMs).toBeGreaterThanOrEqual(fill.at(-1)!.statementMs)
	}, 60_000)

	it('a fast run reports nothing', async () => {
		const client = await (await db.fresh('fast')).client()
		const { seen } = await run(client, [table])
		expect(seen).toEqual([])
	})
})
