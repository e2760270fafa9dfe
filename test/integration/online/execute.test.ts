/**
 * The online strategy against a real PostgreSQL: what an online migration leaves (the same
 * schema as the plain one, no CONCURRENTLY leftovers, a NOT NULL without its helper check), its
 * steps in the ledger, a failing step that leaves the earlier ones committed and `partial` in
 * the status, and a re-run that continues it.
 */
import { describe, expect, it } from 'vitest'
import { executeMigrations } from '../../../src/db/executor.js'
import { readLedger } from '../../../src/db/ledger.js'
import { readStepProgress } from '../../../src/db/ledgerSteps.js'
import { computeStatus } from '../../../src/db/status.js'
import type { StatementProgress } from '../../../src/db/progressWatch.js'
import { parseMigration } from '../../../src/migrations/files.js'
import type { Modification } from '../../../src/modifications/types.js'
import { useTestDatabase } from '../../helpers/database.js'
import { createColumn, createEntity, createManyHasOne, createUnique, migration, removeUnique } from '../db/fixtures.js'

const db = useTestDatabase('online')

const online = (name: string, modifications: readonly Modification[]) =>
	parseMigration(name, JSON.stringify({ formatVersion: 6, modifications, strata: { online: true } }))

const base = migration('2024-01-01-100000-base', [
	createEntity('Author', 'author'), createColumn('Author', 'name'),
	createEntity('Post', 'post'), createColumn('Post', 'title'), createColumn('Post', 'slug'),
])
const change: Modification[] = [
	createManyHasOne('Post', 'author', 'Author', 'author_id'),
	createUnique('Post', ['slug']),
	{ modification: 'createIndex', entityName: 'Post', index: { fields: ['title'] } },
	{ modification: 'updateColumnDefinition', entityName: 'Post', fieldName: 'title', definition: { type: 'String', columnType: 'text', nullable: false } },
	createEntity('Tag', 'tag'), createColumn('Tag', 'label'), createUnique('Tag', ['label']),
	// a type change with NOT NULL: split, the NOT NULL through the validated check
	{ modification: 'updateColumnDefinition', entityName: 'Author', fieldName: 'name', definition: { type: 'String', columnType: 'varchar(300)', nullable: false } },
]

describe('online execution', () => {
	it('builds the same schema as the plain run, records every step, and leaves no helper behind', async () => {
		const client = await (await db.fresh('same')).client()
		const plain = await (await db.fresh('same_plain')).client()
		for (const c of [client, plain]) {
			await executeMigrations(c, [base], { ledgerSchema: 'strata' })
			await c.query(`INSERT INTO author (id, name) VALUES ('00000000-0000-0000-0000-000000000001', 'a');
				INSERT INTO post (id, title, slug) SELECT gen_random_uuid(), 't' || g, 's' || g FROM generate_series(1, 1000) g`)
		}
		const result = await executeMigrations(client, [base, online('2024-01-02-100000-change', change)], { ledgerSchema: 'strata' })
		await executeMigrations(plain, [base, migration('2024-01-02-100000-change', change)], { ledgerSchema: 'strata' })
		const sql = result.executed[0]!.sql.map(it => it.sql).join('\n')
		expect(sql).toMatch(/CREATE INDEX CONCURRENTLY "post_title_[0-9a-f]{8}_idx" ON "post" \("title"\)/)
		expect(sql).toMatch(/CREATE UNIQUE INDEX CONCURRENTLY "post_slug_[0-9a-f]{8}_key" ON "post" \("slug"\)/)
		expect(sql).toMatch(/UNIQUE USING INDEX/)
		expect(sql).toMatch(/FOREIGN KEY \("author_id"\) REFERENCES "author"\("id"\).* NOT VALID/)
		expect(sql).toMatch(/VALIDATE CONSTRAINT/)
		expect(sql).toMatch(/ALTER TABLE "author" ALTER "name" SET DATA TYPE varchar\(300\) USING "name"::varchar\(300\)\n/)
		expect(sql).toMatch(/ALTER TABLE "author" ADD CONSTRAINT "author_name_[0-9a-f]{8}_not_null" CHECK \("name" IS NOT NULL\) NOT VALID/)
		// the table created in the migration gets the plain statements
		expect(sql).toContain('ALTER TABLE "tag" ADD UNIQUE ("label")')

		const shape = async (c: typeof client) => (await c.query(`SELECT
			(SELECT json_agg(x ORDER BY x) FROM (SELECT conrelid::regclass || ' ' || contype::text || ' ' || convalidated::text || ' ' || pg_get_constraintdef(oid) AS x FROM pg_constraint WHERE connamespace = 'public'::regnamespace) c) AS constraints,
			(SELECT json_agg(x ORDER BY x) FROM (SELECT indrelid::regclass || ' ' || indisvalid::text || ' ' || regexp_replace(pg_get_indexdef(indexrelid), 'INDEX \\S+ ON', 'INDEX ON') AS x FROM pg_index WHERE indrelid::regclass::text IN ('post', 'author', 'tag')) i) AS indexes,
			(SELECT json_agg(x ORDER BY x) FROM (SELECT attrelid::regclass || ' ' || attname || ' ' || format_type(atttypid, atttypmod) || ' ' || attnotnull::text AS x FROM pg_attribute WHERE attrelid IN ('post'::regclass, 'author'::regclass) AND attnum > 0 AND NOT attisdropped) a) AS columns`)).rows[0]
		expect(await shape(client)).toEqual(await shape(plain))

		const ledger = await readLedger(client, 'strata')
		expect(ledger.map(row => row.name)).toEqual(['2024-01-01-100000-base', '2024-01-02-100000-change'])
		const steps = await client.query<{ step: number; transactional: boolean; done: boolean }>(`SELECT step, transactional, executed_at IS NOT NULL AS done FROM strata.migration_steps ORDER BY step`)
		expect(steps.rows.every(row => row.done)).toBe(true)
		// the relation's index, the unique key's index and the index
		expect(steps.rows.filter(row => !row.transactional)).toHaveLength(3)
		expect(steps.rows.length).toBeGreaterThanOrEqual(6)
	})

	it('a failing step leaves the earlier steps committed, status says partial, and a re-run continues', async () => {
		const client = await (await db.fresh('resume')).client()
		await executeMigrations(client, [base], { ledgerSchema: 'strata' })
		// duplicate slugs: the concurrent unique build fails, after the foreign key's steps committed
		await client.query(`INSERT INTO post (id, title, slug) SELECT gen_random_uuid(), 't' || g, 'same' FROM generate_series(1, 10) g`)
		const file = online('2024-01-02-100000-change', change)
		const failure = await executeMigrations(client, [base, file], { ledgerSchema: 'strata' }).then(() => undefined, (error: Error) => error)
		expect(failure?.message).toMatch(/Online migration: step \d+ of \d+ failed outside a transaction/)
		expect(failure?.message).toMatch(/could not create unique index/)
		const progress = await readStepProgress(client, 'strata')
		const partial = progress.get(file.version)!
		expect(partial.done).toBeGreaterThan(0)
		expect(partial.done).toBeLessThan(partial.total)
		const status = computeStatus([base, file], await readLedger(client, 'strata'), { steps: progress })
		expect(status.entries[1]).toMatchObject({ state: 'partial', steps: { done: partial.done, total: partial.total } })
		expect(status.toExecute.map(it => it.name)).toEqual([file.name])
		// the failed build left an INVALID index
		expect((await client.query(`SELECT count(*)::int AS n FROM pg_index WHERE NOT indisvalid`)).rows[0].n).toBe(1)

		// a changed file is refused: the rest of the stored plan was made from the old content
		const edited = online('2024-01-02-100000-change', change.slice(0, 3))
		const refused = await executeMigrations(client, [base, edited], { ledgerSchema: 'strata' }).then(() => undefined, (error: Error) => error)
		expect(refused?.message).toMatch(/partly applied \(online, \d+ of \d+ steps done\), but the file changed since/)

		await client.query(`UPDATE post SET slug = id::text`)
		const rerun = await executeMigrations(client, [base, file], { ledgerSchema: 'strata' })
		expect(rerun.executed.map(it => it.name)).toEqual([file.name])
		// the steps that ran before were not run again
		expect(rerun.executed[0]!.sql.some(it => it.sql.includes('FOREIGN KEY'))).toBe(false)
		expect((await client.query(`SELECT count(*)::int AS n FROM pg_index WHERE NOT indisvalid`)).rows[0].n).toBe(0)
		expect((await readLedger(client, 'strata')).map(row => row.name)).toEqual([base.name, file.name])
		const done = await readStepProgress(client, 'strata')
		expect(done.get(file.version)).toMatchObject({ done: partial.total, total: partial.total })
	})

	it('refuses, before anything runs, a migration whose modification looks up what an earlier one of it created', async () => {
		const client = await (await db.fresh('stale')).client()
		await executeMigrations(client, [base], { ledgerSchema: 'strata' })
		// the removal reads PostgreSQL's name of the unique constraint, which the plan (made before the creation runs) cannot see
		const file = online('2024-01-02-100000-stale', [createUnique('Post', ['slug']), removeUnique('Post', ['slug'])])
		const refused = await executeMigrations(client, [base, file], { ledgerSchema: 'strata' }).then(() => undefined, (error: Error) => error)
		expect(refused).toMatchObject({ code: 'ONLINE_PLAN_STALE_CATALOG' })
		expect(refused?.message).toContain('modification #1 removeUniqueConstraint reads the constraints and indexes of "post", which modification #0 createUniqueConstraint of the same migration changes')
		expect(refused?.message).toContain('Nothing was run')
		expect((await client.query(`SELECT count(*)::int AS n FROM strata.migration_steps`)).rows[0].n).toBe(0)
		expect((await client.query(`SELECT count(*)::int AS n FROM pg_index WHERE indrelid = 'post'::regclass AND NOT indisprimary`)).rows[0].n).toBe(0)
		// split in two, both online, it runs
		const first = online('2024-01-02-100000-stale', [createUnique('Post', ['slug'])])
		const second = online('2024-01-03-100000-stale', [removeUnique('Post', ['slug'])])
		await executeMigrations(client, [base, first, second], { ledgerSchema: 'strata' })
		expect((await readLedger(client, 'strata')).map(row => row.name)).toEqual([base.name, first.name, second.name])
		expect((await client.query(`SELECT count(*)::int AS n FROM pg_index WHERE indrelid = 'post'::regclass AND NOT indisprimary`)).rows[0].n).toBe(0)
	})

	it('a slow concurrent build is reported with PostgreSQL\'s progress, like any slow statement', async () => {
		const client = await (await db.fresh('progress')).client()
		await executeMigrations(client, [base], { ledgerSchema: 'strata' })
		await client.query(`INSERT INTO post (id, title, slug) SELECT gen_random_uuid(), 't' || g, 's' || g FROM generate_series(1, 100000) g`)
		// IMMUTABLE so PostgreSQL accepts it in an index predicate; a pause on about every 50th row makes the build take seconds
		await client.query(`CREATE FUNCTION online_test_pause(t text) RETURNS boolean IMMUTABLE LANGUAGE plpgsql AS $$
			BEGIN IF hashtext(t) % 50 = 0 THEN PERFORM pg_sleep(0.001); END IF; RETURN true; END $$`)
		const seen: StatementProgress[] = []
		const file = online('2024-01-02-100000-slow', [{ modification: 'createIndex', entityName: 'Post', index: { fields: ['title'], where: 'online_test_pause(title)' } }])
		await executeMigrations(client, [base, file], { ledgerSchema: 'strata', onProgress: progress => { if (progress) seen.push(progress) } })
		const build = seen.filter(it => it.sql.startsWith('CREATE INDEX CONCURRENTLY'))
		expect(build.length, JSON.stringify(seen)).toBeGreaterThan(0)
		expect(build[0]).toMatchObject({ migration: file.name, modificationIndex: 0, modificationId: 'createIndex' })
		expect(build.flatMap(it => (it.server ? [it.server.command] : []))).toContain('CREATE INDEX CONCURRENTLY')
	}, 60_000)
})
