/**
 * The definition strata expects for a schema index (method, operator classes, order, INCLUDE,
 * predicate, uniqueness, timing) against what PostgreSQL reports for the index it created:
 * every schema index and unique of a table with many same-column siblings matches exactly one
 * physical object, and each a different one. Column types cover a domain (enum), varchar,
 * jsonb and a relation column.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { executeMigrations } from '../../../src/db/executor.js'
import { readCatalog } from '../../../src/db/introspect.js'
import { readMigrations } from '../../../src/migrations/files.js'
import { replay } from '../../../src/migrations/replay.js'
import { expectedIndexOf, expectedUniqueConstraintOf, expectedUniqueIndexOf, joiningColumnIndex } from '../../../src/modifications/indexes/dropIndexSql.js'
import type { Modification } from '../../../src/modifications/types.js'
import { isUniqueIndex } from '../../../src/schema/model.js'
import { compareIndex, compareUniqueConstraint } from '../../../src/sql/indexIdentity.js'
import { useTestDatabase } from '../../helpers/database.js'
import { createColumn, createEntity, createManyHasOne, projectWith } from '../db/fixtures.js'

const db = useTestDatabase('index_defs')

const indexes: object[] = [
	{ fields: ['title'] },
	{ fields: ['title'], columnOptions: { title: { order: 'desc' } } },
	{ fields: ['title'], columnOptions: { title: { order: 'desc', nulls: 'last' } } },
	{ fields: ['title'], columnOptions: { title: { nulls: 'first' } } },
	{ fields: ['title'], opClass: 'text_pattern_ops' },
	{ fields: ['title'], method: 'hash' },
	{ fields: ['title'], include: ['rank'] },
	{ fields: ['title'], where: "status = 'open'" },
	{ fields: ['title'], where: 'rank > 10 AND title IS NOT NULL' },
	{ fields: ['title', 'rank'] },
	{ fields: ['rank', 'title'] },
	{ fields: ['code'] },
	{ fields: ['code'], columnOptions: { code: { opClass: 'varchar_pattern_ops' } } },
	{ fields: ['status'] },
	{ fields: ['data'], method: 'gin' },
	{ fields: ['data'], method: 'gin', opClass: 'jsonb_path_ops' },
	{ fields: ['owner'], where: 'rank IS NULL' },
]
const uniques: object[] = [
	{ fields: ['code'], index: true },
	{ fields: ['code'], index: true, nulls: 'not distinct' },
	{ fields: ['rank'] },
	{ fields: ['rank'], timing: 'deferred' },
	{ fields: ['rank', 'code'] },
]

const history = [
	{
		name: '2024-03-01-100000-init',
		modifications: [
			{ modification: 'createEnum', enumName: 'TicketStatus', values: ['open', 'closed'] },
			createEntity('Owner', 'owner'),
			createEntity('Ticket', 'ticket'),
			createColumn('Ticket', 'title'),
			createColumn('Ticket', 'code', { columnType: 'character varying' }),
			createColumn('Ticket', 'rank', { type: 'Integer', columnType: 'integer' }),
			createColumn('Ticket', 'status', { type: 'Enum', columnType: 'TicketStatus' }),
			createColumn('Ticket', 'data', { type: 'Json', columnType: 'jsonb' }),
			createManyHasOne('Ticket', 'owner', 'Owner', 'owner_id'),
		] as Modification[],
	},
	{
		name: '2024-03-02-100000-indexes',
		// identical uniques on purpose (each must match its own physical object); execute validates like project:validate
		skippedErrors: [{ code: 'UNIQUE_DUPLICATE' }],
		modifications: [
			...indexes.map(index => ({ modification: 'createIndex', entityName: 'Ticket', index })),
			...uniques.map(unique => ({ modification: 'createUniqueConstraint', entityName: 'Ticket', unique })),
		] as Modification[],
	},
]

describe('expected definitions against the catalog PostgreSQL reports', () => {
	it('each schema index and unique matches exactly one physical object, each a different one', async () => {
		const files = await readMigrations(path.join(await projectWith(history), 'migrations'))
		const target = await db.fresh('defs')
		const client = await target.client()
		await executeMigrations(client, files, { ledgerSchema: 'strata' })
		const metadata = await readCatalog(client)
		const ticket = replay(files).model.entities.Ticket!
		const physicalIndexes = metadata.indexes.filter(it => it.tableName === 'ticket')
		const physicalUniques = metadata.uniqueConstraints.filter(it => it.tableName === 'ticket')
		expect(physicalIndexes).toHaveLength(indexes.length + 1 + uniques.filter(it => 'index' in it).length)
		expect(physicalIndexes.every(it => it.definition !== undefined)).toBe(true)

		const matched: string[] = []
		const matchOne = (label: string, names: string[]) => {
			expect(names, label).toHaveLength(1)
			matched.push(names[0]!)
		}
		for (const index of ticket.indexes) {
			const expected = expectedIndexOf(ticket, index)
			matchOne(JSON.stringify(index), physicalIndexes.filter(it => compareIndex(it, expected) === 'same').map(it => it.indexName))
		}
		matchOne('relation index', physicalIndexes.filter(it => compareIndex(it, joiningColumnIndex(ticket, ['owner_id'])) === 'same').map(it => it.indexName))
		for (const unique of ticket.unique) {
			if (isUniqueIndex(unique)) {
				const expected = expectedUniqueIndexOf(ticket, unique)
				matchOne(JSON.stringify(unique), physicalIndexes.filter(it => compareIndex(it, expected) === 'same').map(it => it.indexName))
			} else {
				const expected = expectedUniqueConstraintOf(ticket, unique)
				matchOne(JSON.stringify(unique), physicalUniques.filter(it => compareUniqueConstraint(it, expected) === 'same').map(it => it.constraintName))
			}
		}
		expect(new Set(matched).size).toBe(indexes.length + 1 + uniques.length)
		expect(matched.length).toBe(physicalIndexes.length + physicalUniques.length)
	})
})
