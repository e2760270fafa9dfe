/**
 * migrations:rollback against PostgreSQL. For each kind of answer a migration holds (renames of
 * entities, fields, columns and enums, fills, copies, NOT NULL, a conversion) and a few more
 * modification kinds, a database with rows that executed a migration and rolled it back holds
 * exactly the catalog of one that never executed it; where the inverse loses no data (renames
 * above all) the rows are the same too. Then the CLI: refusals, and rollback → status → execute.
 */
import type pg from 'pg'
import { describe, expect, it } from 'vitest'
import { executeMigrations } from '../../../src/db/executor.js'
import { readLedger } from '../../../src/db/ledger.js'
import { executeRollback } from '../../../src/db/rollback.js'
import { planRollback } from '../../../src/migrations/rollback.js'
import { diffSchemas } from '../../../src/diff/diffSchemas.js'
import type { MigrationFile } from '../../../src/migrations/files.js'
import type { Schema } from '../../../src/schema/model.js'
import { readCatalog } from '../../helpers/catalog.js'
import { useTestDatabase } from '../../helpers/database.js'
import { answerKinds, baseRows, baseSchema, edit, historyFor, migrationFile } from './amendScenarios.js'
import { DevProject, entity, ok, schemaOf } from './project.js'

const db = useTestDatabase('rollback')

/** the catalog, enum domains included */
const catalog = async (client: pg.Client) => [
	...await readCatalog(client, 'public'),
	...(await client.query(`SELECT 'domain ' || typname || ' ' || pg_get_constraintdef(c.oid) AS fact FROM pg_type t JOIN pg_constraint c ON c.contypid = t.oid WHERE t.typnamespace = 'public'::regnamespace`)).rows.map(row => row.fact as string),
].sort()

const rowsOf = async (client: pg.Client) => {
	const tables = (await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)).rows.map(row => row.tablename as string)
	const rows: Record<string, unknown[]> = {}
	for (const name of tables) rows[name] = (await client.query(`SELECT to_jsonb(t) AS row FROM public."${name}" t ORDER BY t.id`)).rows.map(row => row.row)
	return rows
}

/** more modification kinds, on the same base: each a declared schema the target migration is diffed to */
const moreKinds = (): { name: string; declared: Schema; rowsRestored: boolean }[] => {
	const base = baseSchema()
	return [
		{ name: 'new entity with a relation', rowsRestored: true, declared: edit(base, d => {
			const comment = entity('Comment', { body: {} })
			d.model.entities.Comment = { ...comment, fields: { ...comment.fields, post: { name: 'post', type: 'ManyHasOne', target: 'Post', nullable: true, joiningColumn: { columnName: 'post_id', onDelete: 'cascade' } } } } as never
		}) },
		{ name: 'unique constraint and index', rowsRestored: true, declared: edit(base, d => {
			Object.assign(d.model.entities.Tag!, { unique: [{ fields: ['label'] }], indexes: [{ fields: ['votes'] }] })
		}) },
		// the column comes back empty: its data went with the migration
		{ name: 'removed field', rowsRestored: false, declared: edit(base, d => { delete d.model.entities.Post!.fields.lead }) },
		{ name: 'enum value added', rowsRestored: true, declared: edit(base, d => { d.model.enums.Mood = ['happy', 'sad', 'meh'] }) },
	]
}

/** executes init and target on a database with rows, rolls target back: the catalog (and, when `rowsRestored`, the rows) of a database that only ran init */
/** a database that executed only init and holds the rows: the same for every kind (they share the base), made once */
let reference: Promise<{ catalog: string[]; rows: Record<string, unknown[]> }> | undefined
const referenceOf = (init: MigrationFile) => reference ??= (async () => {
	const client = await (await db.fresh('reference')).client()
	await executeMigrations(client, [init], { ledgerSchema: 'strata' })
	for (const sql of baseRows) await client.query(sql)
	return { catalog: await catalog(client), rows: await rowsOf(client) }
})()

const rolledBackEqualsNeverExecuted = async (label: string, init: MigrationFile, target: MigrationFile, rowsRestored: boolean) => {
	const local = await (await db.fresh(`local_${label}`)).client()
	await executeMigrations(local, [init], { ledgerSchema: 'strata' })
	for (const sql of baseRows) await local.query(sql)
	await executeMigrations(local, [init, target], { ledgerSchema: 'strata' })
	const executed = (await readLedger(local, 'strata')).map(row => migrationFile(row.name, JSON.parse(row.migration).modifications))
	const plan = planRollback(executed, 1)
	expect(plan.irreversible).toEqual([])
	await executeRollback(local, plan, { ledgerSchema: 'strata', schemaName: 'public', lockTimeoutMs: 5000 })
	const expected = await referenceOf(init)
	expect(await catalog(local)).toEqual(expected.catalog)
	if (rowsRestored) expect(await rowsOf(local)).toEqual(expected.rows)
	expect((await readLedger(local, 'strata')).map(row => row.name)).toEqual([init.name])
	return plan
}

describe('a rolled-back migration leaves the database as if it never ran', () => {
	answerKinds().forEach((kind, index) => {
		it(kind.name, async () => {
			const [init, target] = historyFor(kind)
			if (kind.answers.conversions) {
				// integer → uuid has a conversion; uuid → integer has no cast, and no conversion is known for the way back
				expect(planRollback([init!, target!], 1).irreversible).toEqual([{ migration: target!.name, reason: 'Tag.votes would go back from uuid to integer, which PostgreSQL cannot cast' }])
				return
			}
			// a fill written into existing rows stays: only the NOT NULL is undone
			const rowsRestored = !/made NOT NULL/.test(kind.name)
			const plan = await rolledBackEqualsNeverExecuted(`kind_${index}`, init!, target!, rowsRestored)
			// a rename is undone by renaming back: nothing is dropped
			if (/^(field|entity|column) rename$/.test(kind.name)) expect(plan.dataLoss).toEqual([])
		})
	})
	moreKinds().forEach((kind, index) => {
		it(kind.name, async () => {
			const base = baseSchema()
			const init = migrationFile('2024-01-01-000000-init', diffSchemas(schemaOf(), base).modifications)
			const target = migrationFile('2024-01-02-000000-target', diffSchemas(base, kind.declared).modifications)
			await rolledBackEqualsNeverExecuted(`more_${index}`, init, target, kind.rowsRestored)
		})
	})
})

describe('migrations:rollback', () => {
	it('refuses data loss without --yes --accept-data-loss and a SQL step without down; rolls back, status says pending, execute applies it again', async () => {
		const local = await db.fresh('cli')
		const client = await local.client()
		const project = new DevProject(local.url)
		project.declare(schemaOf(entity('Tag', { label: {} })))
		ok(project.runOffline('migrations:diff', 'init', '--yes'))
		project.declare(schemaOf(entity('Tag', { label: {}, note: {} })))
		ok(project.runOffline('migrations:diff', 'note', '--yes'))
		ok(project.run('migrations:execute', '--yes'))
		await client.query(`INSERT INTO tag (id, label, note) VALUES ('33333333-3333-4333-8333-333333333333', 'news', 'kept?')`)

		const refused = project.run('migrations:rollback', '--yes')
		expect(refused.code).toBe(1)
		expect(refused.stderr).toContain('Not rolled back: undoing it loses data:')
		expect(refused.stderr).toContain('drops column "note" of table "tag"')
		expect(refused.stderr).toContain('Pass --yes --accept-data-loss')
		const done = ok(project.run('migrations:rollback', '--yes', '--accept-data-loss'))
		expect(done.stdout).toMatch(/Rolled back \d{4}-\d\d-\d\d-\d{6}-note \(1 statement\); its file is pending again\./)
		expect((await client.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'tag' ORDER BY column_name`)).rows.map(row => row.column_name)).toEqual(['id', 'label'])
		const status = JSON.parse(project.run('migrations:status', '--json').stdout)
		expect(status.migrations.map((it: { state: string }) => it.state)).toEqual(['executed', 'pending'])
		ok(project.run('migrations:execute', '--yes'))
		expect((await readLedger(client, 'strata')).map(row => row.name)).toEqual(project.migrationNames())

		// a SQL step without down cannot be undone; with one, it can
		const [initName] = project.migrationNames()
		project.write('2099-01-01-000000-seed', { formatVersion: 6, modifications: [{ modification: 'executeSql', sql: `INSERT INTO tag (id, label) VALUES ('44444444-4444-4444-8444-444444444444', 'seeded')` }], strata: { extensions: ['executeSql'] } })
		ok(project.run('migrations:execute', '--yes'))
		const irreversible = project.run('migrations:rollback', '--yes')
		expect(irreversible.code).toBe(1)
		expect(irreversible.stderr).toContain('2099-01-01-000000-seed: its SQL step #0 has no "down" SQL')
		project.write('2099-01-01-000000-seed', { formatVersion: 6, modifications: [{ modification: 'executeSql', sql: `INSERT INTO tag (id, label) VALUES ('44444444-4444-4444-8444-444444444444', 'seeded')`, down: `DELETE FROM tag WHERE id = '44444444-4444-4444-8444-444444444444'` }], strata: { extensions: ['executeSql'] } })
		// the ledger holds what ran: the edited file is a changed migration until it is rolled back and run again
		expect(project.run('migrations:rollback', '--yes').stderr).toContain('has no "down" SQL')
		const noneLeft = project.run('migrations:rollback', '--to', initName!, '--steps', '1', '--yes')
		expect(noneLeft.code).toBe(1)
		const tooMany = project.run('migrations:rollback', '--steps', '9', '--yes')
		expect(tooMany.code).toBe(1)
		expect(tooMany.stderr).toContain('--steps 9: only 3 migrations are executed')
	}, 90_000)
})
