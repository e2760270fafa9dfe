/**
 * Histories where PostgreSQL holds two indexes or unique constraints with the same definition:
 * a many-has-one column's own index plus a schema index on it, a one-has-one column's own
 * unique key plus a schema unique on it, a unique index created twice. Executed against real
 * PostgreSQL from migration files in a temp directory: each removal drops exactly one object
 * (the newest of the identical ones) and the relation keeps its own.
 */
import path from 'node:path'
import type pg from 'pg'
import { describe, expect, it } from 'vitest'
import { executeMigrations } from '../../../src/db/executor.js'
import { readDatabaseMetadata } from '../../../src/db/introspect.js'
import { describeMigration } from '../../../src/migrations/describe.js'
import { readMigrations } from '../../../src/migrations/files.js'
import { replay } from '../../../src/migrations/replay.js'
import type { Modification } from '../../../src/modifications/types.js'
import { useTestDatabase } from '../../helpers/database.js'
import { createColumn, createEntity, createManyHasOne, projectWith } from '../db/fixtures.js'

const db = useTestDatabase('dup_indexes')

const createIndex = (entityName: string, fields: string[], where?: string): Modification =>
	({ modification: 'createIndex', entityName, index: { fields, ...(where !== undefined ? { where } : {}) } })
const removeIndex = (entityName: string, fields: string[], where?: string): Modification =>
	({ modification: 'removeIndex', entityName, fields, ...(where !== undefined ? { where } : {}) })

const indexesOf = async (client: pg.Client, table: string) =>
	(await client.query<{ name: string; def: string }>(
		`SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE i.indrelid = $1::regclass AND NOT i.indisprimary ORDER BY c.relname`, [table])).rows

const uniqueConstraintsOf = async (client: pg.Client, table: string) =>
	(await client.query<{ conname: string }>(`SELECT conname FROM pg_constraint WHERE contype = 'u' AND conrelid = $1::regclass ORDER BY conname`, [table])).rows.map(row => row.conname)

const run = async (migrations: { name: string; modifications: Modification[]; skippedErrors?: { code: string }[] }[], label: string) => {
	const files = await readMigrations(path.join(await projectWith(migrations), 'migrations'))
	const target = await db.fresh(label)
	const client = await target.client()
	client.on('notice', () => undefined)
	return { files, client }
}

describe('removing one of indexes with the same definition', () => {
	const history = [
		{
			name: '2024-01-01-100000-init',
			modifications: [
				createEntity('Category', 'category'),
				createEntity('FarmSlot', 'farm_slot'),
				createColumn('FarmSlot', 'note'),
				createManyHasOne('FarmSlot', 'billingCategory', 'Category', 'billing_category_id'),
			],
		},
		{
			name: '2024-01-02-100000-index-billing-category',
			modifications: [createIndex('FarmSlot', ['billingCategory']), createIndex('FarmSlot', ['billingCategory'], 'note IS NOT NULL')],
		},
		{ name: '2024-01-03-100000-drop-index-farm-slot', modifications: [removeIndex('FarmSlot', ['billingCategory'])] },
		{ name: '2024-01-04-100000-drop-partial-index-farm-slot', modifications: [removeIndex('FarmSlot', ['billingCategory'], 'note IS NOT NULL')] },
	]

	it('removeIndex on a many-has-one column drops the schema index and keeps the relation\'s', async () => {
		const { files, client } = await run(history, 'remove_index')
		const first = await executeMigrations(client, files, { ledgerSchema: 'strata', until: '2024-01-03-100000' })
		expect(first.executed).toHaveLength(3)
		const dropSql = first.executed[2]!.sql.map(it => it.sql).join('\n')
		expect(dropSql).toBe('DROP INDEX "farm_slot_billing_category_id_idx1"')
		expect(await indexesOf(client, 'farm_slot')).toEqual([
			{ name: 'farm_slot_billing_category_id_idx', def: 'CREATE INDEX farm_slot_billing_category_id_idx ON public.farm_slot USING btree (billing_category_id)' },
			{ name: 'farm_slot_billing_category_id_idx2', def: 'CREATE INDEX farm_slot_billing_category_id_idx2 ON public.farm_slot USING btree (billing_category_id) WHERE (note IS NOT NULL)' },
		])

		const rest = await executeMigrations(client, files, { ledgerSchema: 'strata' })
		expect(rest.executed.map(it => it.name)).toEqual(['2024-01-04-100000-drop-partial-index-farm-slot'])
		expect((await indexesOf(client, 'farm_slot')).map(it => it.name)).toEqual(['farm_slot_billing_category_id_idx'])
		expect((await executeMigrations(client, files, { ledgerSchema: 'strata' })).executed).toEqual([])
	})

	it('a dry run and a live describe name the index dropped; describe also names the one kept', async () => {
		const { files, client } = await run(history.slice(0, 2), 'dry_run')
		await executeMigrations(client, files, { ledgerSchema: 'strata' })
		const withDrop = await readMigrations(path.join(await projectWith(history.slice(0, 3)), 'migrations'))
		const preview = await executeMigrations(client, withDrop, { ledgerSchema: 'strata', dryRun: true })
		expect(preview.executed.map(it => it.sql.map(sql => sql.sql))).toEqual([['DROP INDEX "farm_slot_billing_category_id_idx1"']])
		expect(await indexesOf(client, 'farm_slot')).toHaveLength(3)

		const dropFile = withDrop[2]!
		const schemaBefore = replay(withDrop, { before: dropFile.version })
		const [live] = describeMigration(schemaBefore, dropFile, { databaseMetadata: await readDatabaseMetadata(client) })
		expect(live!.sql).toBe([
			'-- "farm_slot_billing_category_id_idx1" and "farm_slot_billing_category_id_idx" are identical, both (billing_category_id): ' +
				'the newest, "farm_slot_billing_category_id_idx1", is dropped and "farm_slot_billing_category_id_idx" kept',
			'DROP INDEX "farm_slot_billing_category_id_idx1";',
		].join('\n'))
		const [offline] = describeMigration(schemaBefore, dropFile)
		expect(offline!.sql).toBe('-- drops the index on "farm_slot" (billing_category_id); its name is resolved from the database at execution')
	})
})

describe('removing one of unique constraints / unique indexes with the same definition', () => {
	const oneHasOne: Modification = {
		modification: 'createRelation',
		entityName: 'Seat',
		owningSide: { type: 'OneHasOne', name: 'category', target: 'Category', joiningColumn: { columnName: 'category_id', onDelete: 'restrict' }, nullable: true },
	}
	const unique = (fields: string[], extra: object = {}): Modification => ({ modification: 'createUniqueConstraint', entityName: 'Seat', unique: { fields, ...extra } })
	const removeUnique = (fields: string[], extra: object = {}): Modification => ({ modification: 'removeUniqueConstraint', entityName: 'Seat', unique: { fields, ...extra } })
	const history = [
		{
			name: '2024-02-01-100000-init',
			modifications: [createEntity('Category', 'category'), createEntity('Seat', 'seat'), createColumn('Seat', 'code'), createColumn('Seat', 'row'), oneHasOne],
		},
		{
			name: '2024-02-02-100000-unique-seat',
			// states real databases reach; project:validate (and so execute) refuses them without these skips
			skippedErrors: [{ code: 'UNIQUE_DUPLICATE' }, { code: 'UNIQUE_INVALID_FIELD' }],
			modifications: [
				unique(['category']),
				unique(['code'], { timing: 'deferrable' }),
				unique(['code']),
				unique(['row'], { index: true, nulls: 'not distinct' }),
				unique(['row'], { index: true }),
			],
		},
		{
			name: '2024-02-03-100000-drop-unique-seat',
			modifications: [removeUnique(['category']), removeUnique(['code']), removeUnique(['row'], { index: true })],
		},
	]

	it('removeUniqueConstraint drops the one object with the schema definition; the one-has-one keeps its unique key', async () => {
		const { files, client } = await run(history, 'remove_unique')
		const before = await executeMigrations(client, files, { ledgerSchema: 'strata', until: '2024-02-02-100000' })
		expect(before.executed).toHaveLength(2)
		expect(await uniqueConstraintsOf(client, 'seat')).toEqual(['seat_category_id_key', 'seat_category_id_key1', 'seat_code_key', 'seat_code_key1'])

		const result = await executeMigrations(client, files, { ledgerSchema: 'strata' })
		expect(result.executed).toHaveLength(1)
		expect(result.executed[0]!.sql.map(it => it.sql)).toEqual([
			'ALTER TABLE "seat" DROP CONSTRAINT "seat_category_id_key1"',
			'ALTER TABLE "seat" DROP CONSTRAINT "seat_code_key1"',
			'DROP INDEX "seat_row_idx1"',
		])
		// the deferrable unique on code and the NULLS NOT DISTINCT index on row stay
		expect(await uniqueConstraintsOf(client, 'seat')).toEqual(['seat_category_id_key', 'seat_code_key'])
		const deferrable = await client.query(`SELECT condeferrable FROM pg_constraint WHERE conname = 'seat_code_key'`)
		expect(deferrable.rows).toEqual([{ condeferrable: true }])
		expect((await indexesOf(client, 'seat')).filter(it => it.name.startsWith('seat_row')).map(it => it.def))
			.toEqual(['CREATE UNIQUE INDEX seat_row_idx ON public.seat USING btree ("row") NULLS NOT DISTINCT'])
		expect((await executeMigrations(client, files, { ledgerSchema: 'strata' })).executed).toEqual([])
	})
})
