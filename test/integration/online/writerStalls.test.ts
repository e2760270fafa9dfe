/**
 * What a writer feels while a migration builds an index and makes a column NOT NULL on a large
 * table: a second session inserts rows in a loop and records the longest gap between two
 * successful inserts. Online, the build runs CONCURRENTLY and the NOT NULL is proved by a
 * validated check, so the writer is never held for long; the same migration run plainly holds
 * SHARE (the build) and ACCESS EXCLUSIVE (the NOT NULL scan) and the writer waits for both.
 *
 * 200,000 rows by default, so the suite stays quick; STRATA_SOAK=1 uses 1,000,000. The figures
 * are printed; docs/online.md ("Measured writer stalls") reports a run of both sizes.
 */
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { executeMigrations } from '../../../src/db/executor.js'
import { parseMigration } from '../../../src/migrations/files.js'
import type { Modification } from '../../../src/modifications/types.js'
import { useTestDatabase } from '../../helpers/database.js'
import { createColumn, createEntity, migration } from '../db/fixtures.js'

const db = useTestDatabase('online_stalls')
const ROWS = process.env.STRATA_SOAK === '1' ? 1_000_000 : 200_000
/** the longest a writer may wait for the online migration */
const ONLINE_BOUND_MS = 300

const base = migration('2024-06-01-100000-big', [createEntity('Big', 'big'), createColumn('Big', 'n', { type: 'Integer', columnType: 'integer' }), createColumn('Big', 'label')])
const change: Modification[] = [
	{ modification: 'createIndex', entityName: 'Big', index: { fields: ['label', 'n'] } },
	{ modification: 'updateColumnDefinition', entityName: 'Big', fieldName: 'label', definition: { type: 'String', columnType: 'text', nullable: false } },
]
const NAME = '2024-06-02-100000-index-and-not-null'

/** inserts one row at a time until stopped; the longest gap between two successful inserts */
const startWriter = async (url: string) => {
	const writer = new pg.Client({ connectionString: url })
	await writer.connect()
	let running = true
	let last = performance.now()
	let longest = 0
	let inserts = 0
	const loop = (async () => {
		while (running) {
			await writer.query(`INSERT INTO big (id, n, label) VALUES (gen_random_uuid(), -1, 'writer')`)
			const now = performance.now()
			longest = Math.max(longest, now - last)
			last = now
			inserts++
		}
	})()
	return {
		stop: async () => {
			running = false
			await loop
			await writer.end()
			return { longestGapMs: Math.round(longest), inserts }
		},
	}
}

const measure = async (label: string, file: ReturnType<typeof migration>) => {
	const target = await db.fresh(label)
	const client = await target.client()
	await executeMigrations(client, [base], { ledgerSchema: 'strata' })
	await client.query(`INSERT INTO big (id, n, label) SELECT gen_random_uuid(), g, md5(g::text) FROM generate_series(1, ${ROWS}) g`)
	await client.query('ANALYZE big')
	const writer = await startWriter(target.url)
	// the writer's first inserts are in before the migration starts
	await new Promise(resolve => setTimeout(resolve, 200))
	const started = performance.now()
	await executeMigrations(client, [base, file], { ledgerSchema: 'strata' })
	const migrationMs = Math.round(performance.now() - started)
	await new Promise(resolve => setTimeout(resolve, 100))
	const stalls = { ...(await writer.stop()), migrationMs }
	await target.drop()
	return stalls
}

describe(`writer stalls on ${ROWS.toLocaleString('en')} rows`, () => {
	it(`online: the writer never waits ${ONLINE_BOUND_MS} ms; plain: it waits longer`, async () => {
		const online = await measure('online', parseMigration(NAME, JSON.stringify({ formatVersion: 6, modifications: change, strata: { online: true } })))
		const plain = await measure('plain', migration(NAME, change))
		console.log(`writer stalls, ${ROWS} rows: online ${JSON.stringify(online)}, plain ${JSON.stringify(plain)}`)
		expect(online.longestGapMs, JSON.stringify({ online, plain })).toBeLessThan(ONLINE_BOUND_MS)
		expect(plain.longestGapMs, JSON.stringify({ online, plain })).toBeGreaterThan(online.longestGapMs)
	}, 120_000)
})
