/**
 * Hand-written SQL steps (executeSql) against a real PostgreSQL: a backfill between a new
 * relation and its NOT NULL, in the migration's transaction; a failing step that rolls back the
 * whole migration; a step with `transactional: false`, run statement by statement outside the
 * transaction with each recorded, killed with kill -9 in the middle and resumed.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { executeMigrations } from '../../../src/db/executor.js'
import { MigrationExecutionError } from '../../../src/db/failure.js'
import { readLedger } from '../../../src/db/ledger.js'
import type { Modification } from '../../../src/modifications/types.js'
import { useTestDatabase } from '../../helpers/database.js'
import { ensureBuilt, looksClean, passwordUrl, runCli, startCli } from '../db/cli.js'
import { createColumn, createEntity, createManyHasOne, migration, migrationText, projectWith } from '../db/fixtures.js'
import { strataSessions, waitFor } from '../reliability/slow.js'

const db = useTestDatabase('sql_steps')
beforeAll(() => ensureBuilt(), 300_000)

const AUTHOR = '00000000-0000-4000-8000-000000000001'
const base = migration('2024-01-01-100000-base', [createEntity('Author', 'author'), createColumn('Author', 'name'), createEntity('Post', 'post'), createColumn('Post', 'title')])
const sqlStep = (sql: string, extra: object = {}): Modification => ({ modification: 'executeSql', sql, ...extra })
const makeNotNull: Modification = { modification: 'makeRelationNotNull', entityName: 'Post', fieldName: 'author' }

const seeded = async (label: string) => {
	const client = await (await db.fresh(label)).client()
	await executeMigrations(client, [base], { ledgerSchema: 'strata' })
	await client.query(`INSERT INTO author (id, name) VALUES ('${AUTHOR}', 'Ann'); INSERT INTO post (id, title) SELECT gen_random_uuid(), 't' || g FROM generate_series(1, 50) g`)
	return client
}

describe('executeSql in a migration', () => {
	it('backfills, between a new relation and its NOT NULL, the data the NOT NULL needs', async () => {
		const client = await seeded('backfill')
		const file = migration('2024-01-02-100000-authors', [
			createManyHasOne('Post', 'author', 'Author', 'author_id'),
			sqlStep(`-- every post gets the only author\nUPDATE post SET author_id = '${AUTHOR}' WHERE author_id IS NULL`),
			makeNotNull,
		])
		expect(file.strata).toEqual({ extensions: ['executeSql'] })
		const result = await executeMigrations(client, [base, file], { ledgerSchema: 'strata' })
		expect(result.executed[0]!.sql.map(it => it.modificationId)).toContain('executeSql')
		expect((await client.query(`SELECT count(*)::int AS n FROM post WHERE author_id = '${AUTHOR}'`)).rows[0].n).toBe(50)
		expect((await client.query(`SELECT attnotnull FROM pg_attribute WHERE attrelid = 'post'::regclass AND attname = 'author_id'`)).rows[0].attnotnull).toBe(true)
		// the ledger stores the content as it ran, marker included, and reads it back
		const stored = JSON.parse((await readLedger(client, 'strata'))[1]!.migration as unknown as string)
		expect(stored.strata).toEqual({ extensions: ['executeSql'] })
	})

	it('a failing SQL step rolls back the whole migration, the steps before it too', async () => {
		const client = await seeded('failing')
		const file = migration('2024-01-02-100000-broken', [
			createColumn('Post', 'note'),
			sqlStep(`UPDATE post SET note = 'x'; UPDATE post SET title = (1 / 0)::text`),
		])
		const error = await executeMigrations(client, [base, file], { ledgerSchema: 'strata' }).catch((caught: unknown) => caught)
		expect(error).toBeInstanceOf(MigrationExecutionError)
		expect((error as MigrationExecutionError).details).toMatchObject({ migration: file.name, modificationIndex: 1, modificationId: 'executeSql' })
		expect((error as Error).message).toContain('The transaction was rolled back: nothing of it was applied.')
		expect((await client.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'post' AND column_name = 'note'`)).rowCount).toBe(0)
		expect((await readLedger(client, 'strata')).map(row => row.name)).toEqual([base.name])
	})

	it('transactional: false runs each statement alone and records it; killed in the middle, a re-run continues after the recorded ones', async () => {
		const name = '2024-01-02-100000-batched'
		const modifications = [
			createColumn('Post', 'note'),
			// three statements, each its own step: the second waits while kill_switch holds a row
			sqlStep(`UPDATE post SET note = 'first' WHERE note IS NULL;\nSELECT pg_sleep(60) FROM kill_switch;\nUPDATE post SET note = note || ' second'`, { transactional: false }),
			createColumn('Post', 'after'),
		]
		const root = await projectWith([{ name: base.name, modifications: base.modifications }])
		await writeFile(path.join(root, 'migrations', `${name}.json`), migrationText(modifications))
		const target = await db.fresh('killed')
		const client = await target.client()
		const url = await passwordUrl(target.url)
		expect((await runCli(['migrations:execute', '--yes', '--until', base.name, '--database-url', url], { cwd: root })).code).toBe(0)
		await client.query(`INSERT INTO post (id, title) SELECT gen_random_uuid(), 't' || g FROM generate_series(1, 20) g; CREATE TABLE kill_switch (on_ boolean); INSERT INTO kill_switch VALUES (true)`)

		const { child, done } = startCli(['migrations:execute', '--yes', '--database-url', url], { cwd: root })
		await waitFor(async () => ((await client.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'strata migrations:execute' AND datname = current_database() AND query LIKE 'SELECT pg_sleep%'`)).rowCount ?? 0) > 0 || child.exitCode !== null, 30_000, 'the sleeping statement')
		expect(child.exitCode, 'the run ended before it could be killed').toBeNull()
		child.kill('SIGKILL')
		await done
		await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'strata migrations:execute' AND datname = current_database()`)
		await waitFor(async () => (await strataSessions(client)) === 0, 30_000, 'the killed session to end')

		// the column and the first UPDATE are committed and recorded; the sleep and what follows are not
		const steps = async () => (await client.query<{ transactional: boolean; done: boolean }>(`SELECT transactional, executed_at IS NOT NULL AS done FROM strata.migration_steps ORDER BY step`)).rows
		expect((await steps()).map(it => [it.transactional, it.done])).toEqual([[true, true], [false, true], [false, false], [false, false], [true, false]])
		expect((await client.query(`SELECT DISTINCT note FROM post`)).rows).toEqual([{ note: 'first' }])
		const status = await runCli(['migrations:status', '--json', '--database-url', url], { cwd: root })
		expect(JSON.parse(status.stdout).migrations.find((it: { name: string }) => it.name === name)).toMatchObject({ state: 'partial', steps: { done: 2, total: 5 } })

		await client.query('DELETE FROM kill_switch')
		const rerun = await runCli(['migrations:execute', '--yes', '--database-url', url], { cwd: root, timeoutMs: 60_000 })
		expect(rerun.code, rerun.stderr).toBe(0)
		expect(looksClean(rerun.stderr)).toBe(true)
		// the first UPDATE did not run again
		expect((await client.query(`SELECT DISTINCT note FROM post`)).rows).toEqual([{ note: 'first second' }])
		expect((await steps()).every(it => it.done)).toBe(true)
		expect((await readLedger(client, 'strata')).map(row => row.name)).toEqual([base.name, name])
		expect((await client.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'post' AND column_name = 'after'`)).rowCount).toBe(1)
	}, 90_000)
	it('a snapshot is not used over SQL steps, whose data it does not carry: a fresh database runs the files and gets the rows', async () => {
		const seed = { name: '2024-01-02-100000-seed', modifications: [sqlStep(`INSERT INTO author (id, name) VALUES ('${AUTHOR}', 'Ann')`)] }
		const root = await projectWith([{ name: base.name, modifications: base.modifications }, seed])
		const snapshot = await runCli(['migrations:snapshot'], { cwd: root })
		expect(snapshot.code, snapshot.stderr).toBe(0)
		expect(snapshot.stderr).toContain(`${seed.name} hold SQL steps, which a snapshot (schema only) does not carry`)
		const target = await db.fresh('snapshot')
		const run = await runCli(['migrations:execute', '--yes', '--database-url', await passwordUrl(target.url)], { cwd: root })
		expect(run.code, run.stderr).toBe(0)
		expect(run.stderr).toContain(`migrations/snapshot.json was not used: ${seed.name} hold SQL steps`)
		expect((await (await target.client()).query('SELECT name FROM author')).rows).toEqual([{ name: 'Ann' }])
	})
	it('"file": its SQL comes from the .sql file beside the migration; editing that file after execution makes the migration changed', async () => {
		const name = '2024-01-02-100000-from-file'
		const root = await projectWith([{ name: base.name, modifications: base.modifications }])
		await writeFile(path.join(root, 'migrations', `${name}.json`), migrationText([{ modification: 'executeSql', file: `${name}.sql` }]))
		await writeFile(path.join(root, 'migrations', `${name}.sql`), `INSERT INTO author (id, name) VALUES ('${AUTHOR}', 'From file');`)
		const target = await db.fresh('file')
		const url = await passwordUrl(target.url)
		const run = await runCli(['migrations:execute', '--yes', '--database-url', url], { cwd: root })
		expect(run.code, run.stderr).toBe(0)
		expect((await (await target.client()).query('SELECT name FROM author')).rows).toEqual([{ name: 'From file' }])
		await writeFile(path.join(root, 'migrations', `${name}.sql`), `INSERT INTO author (id, name) VALUES ('${AUTHOR}', 'Edited');`)
		const status = await runCli(['migrations:status', '--json', '--database-url', url], { cwd: root })
		expect(JSON.parse(status.stdout).migrations.find((it: { name: string }) => it.name === name)).toMatchObject({ state: 'changed' })
	})
})
