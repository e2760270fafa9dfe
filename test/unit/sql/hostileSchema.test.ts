/**
 * The hostile-input table one level up: a schema whose table, column, enum and constraint-side
 * names and whose enum values and fill values are hostile, run through the real modification
 * SQL (createEnum … removeEntity) on PostgreSQL with live metadata. Every object must be created
 * under exactly its name, every value stored exactly, and nothing else may run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readDatabaseMetadata } from '../../../src/db/introspect.js'
import { stepModification } from '../../../src/modifications/fold.js'
import type { Modification } from '../../../src/modifications/types.js'
import { FORMAT_VERSION_LATEST } from '../../../src/modifications/versions.js'
import { emptySchema, type Schema } from '../../../src/schema/model.js'
import { quoteIdentifier } from '../../../src/sql/quote.js'
import { catalogDifferences, readCatalog, resolveExpected } from '../../helpers/catalog.js'
import { schemaCreationModifications } from '../../helpers/schemaCreation.js'
import { createScratchDatabase, releaseScratchServer, type ScratchDatabase } from '../../helpers/sqlrunDatabase.js'

const names = {
	enum: 'Sta"tus; DROP TABLE pwned_enum; --',
	a: 'a"; CREATE TABLE pwned_a(); --',
	aId: 'i"d $pga$',
	title: "ti'tle /* x",
	status: 'sta"tus\nline',
	b: 'b $$ table',
	bId: "b\\id'",
	bToA: 'a"_id -- c',
	junction: 'b_a "junction"; --',
	junctionB: 'b"id',
	junctionA: 'a"id',
	fill: 'fi$pga',
	renamedA: 'a renamed"; DROP TABLE pwned_rename; --',
	renamedTitle: "ti'tle renamed",
}
const enumValues = ["it's", 'back\\slash', '$pga$', 'x$pga', 'new\nline', "'); CREATE TABLE pwned_value(); --"]
const fillValue = "'; CREATE TABLE pwned_fill(); --$pga"

const uuid = (columnName: string) => ({ name: 'id', columnName, type: 'Uuid', columnType: 'uuid', nullable: false }) as const

const hostileSchema: Schema = {
	...emptySchema,
	model: {
		enums: { [names.enum]: enumValues },
		entities: {
			A: {
				name: 'A', primary: 'id', primaryColumn: names.aId, tableName: names.a, eventLog: { enabled: true },
				fields: {
					id: uuid(names.aId),
					title: { name: 'title', columnName: names.title, type: 'String', columnType: 'text', nullable: true },
					status: { name: 'status', columnName: names.status, type: 'Enum', columnType: names.enum, nullable: true },
					bees: { name: 'bees', type: 'OneHasMany', target: 'B', ownedBy: 'a' },
				},
				unique: [{ fields: ['title'] }],
				indexes: [{ fields: ['status', 'title'] }],
			},
			B: {
				name: 'B', primary: 'id', primaryColumn: names.bId, tableName: names.b, eventLog: { enabled: true },
				fields: {
					id: uuid(names.bId),
					a: { name: 'a', type: 'ManyHasOne', target: 'A', inversedBy: 'bees', nullable: true, joiningColumn: { columnName: names.bToA, onDelete: 'restrict' } },
					many: {
						name: 'many', type: 'ManyHasMany', target: 'A',
						joiningTable: {
							tableName: names.junction, eventLog: { enabled: true },
							joiningColumn: { columnName: names.junctionB, onDelete: 'cascade' },
							inverseJoiningColumn: { columnName: names.junctionA, onDelete: 'cascade' },
						},
					},
				},
				unique: [],
				indexes: [],
			},
		},
	},
}

const changes: Modification[] = [
	{ modification: 'createColumn', entityName: 'A', field: { name: 'fill', columnName: names.fill, type: 'String', columnType: 'text', nullable: false }, fillValue },
	{ modification: 'createColumn', entityName: 'A', field: { name: 'copy', columnName: 'copy"', type: 'String', columnType: 'text', nullable: true }, copyValue: 'title' },
	{ modification: 'updateEnum', enumName: names.enum, values: [...enumValues, "new'value"] },
	{ modification: 'updateRelationOnDelete', entityName: 'B', fieldName: 'a', onDelete: 'set null' },
	{ modification: 'removeUniqueConstraint', entityName: 'A', unique: { fields: ['title'] } },
	{ modification: 'updateColumnName', entityName: 'A', fieldName: 'title', columnName: names.renamedTitle },
	{ modification: 'updateEntityTableName', entityName: 'A', tableName: names.renamedA },
	{ modification: 'createUniqueConstraint', entityName: 'A', unique: { fields: ['title', 'fill'], timing: 'deferred' } },
]

let db: ScratchDatabase
beforeAll(async () => {
	db = await createScratchDatabase('hostile_schema')
})
afterAll(async () => {
	await db?.close()
	await releaseScratchServer()
})

/** generates each step against the live catalog and runs it at once, as execute does */
const runLive = async (schema: Schema, modifications: readonly Modification[]): Promise<Schema> => {
	const createdEntities = new Set<string>()
	for (const [index, modification] of modifications.entries()) {
		const databaseMetadata = await readDatabaseMetadata(db.client, 'public')
		const step = stepModification(schema, modification, index, { formatVersion: FORMAT_VERSION_LATEST, databaseMetadata, createdEntities })
		const sql = step.sql.toString()
		if (sql.trim() !== '') {
			const results = await db.client.query(sql)
			expect(Array.isArray(results) ? results.length : 1, `statements of ${modification.modification}`).toBe(step.sql.statements.length)
		}
		schema = step.schema
	}
	return schema
}

const pwned = async () => (await db.client.query(`SELECT relname FROM pg_class WHERE relname LIKE 'pwned%'`)).rows

describe('a schema made of hostile names and values', () => {
	it('is created, changed and dropped under exactly its names, with exactly its values', async () => {
		let schema = await runLive(emptySchema, schemaCreationModifications(hostileSchema))
		expect(catalogDifferences(await resolveExpected(db.client, schema), await readCatalog(db.client, 'public'))).toEqual([])

		const a = quoteIdentifier(names.a)
		await db.client.query(`INSERT INTO ${a} (${quoteIdentifier(names.aId)}, ${quoteIdentifier(names.title)}, ${quoteIdentifier(names.status)}) VALUES (gen_random_uuid(), 'first', $1)`, [enumValues[5]])
		schema = await runLive(schema, changes)
		expect(catalogDifferences(await resolveExpected(db.client, schema), await readCatalog(db.client, 'public'))).toEqual([])

		const row = (await db.client.query(`SELECT ${quoteIdentifier(names.fill)} AS fill, "copy""" AS copy FROM ${quoteIdentifier(names.renamedA)}`)).rows
		expect(row).toEqual([{ fill: fillValue, copy: 'first' }])
		for (const value of [...enumValues, "new'value"]) {
			await db.client.query(`SELECT $1::${quoteIdentifier(names.enum)}`, [value]) // accepted by the domain check
		}
		await expect(db.client.query(`SELECT 'other'::${quoteIdentifier(names.enum)}`)).rejects.toThrow(/violates check constraint/)

		await runLive(schema, [
			{ modification: 'removeField', entityName: 'B', fieldName: 'many' },
			{ modification: 'removeEntity', entityName: 'B' },
			{ modification: 'removeEntity', entityName: 'A' },
			{ modification: 'removeEnum', enumName: names.enum },
		])
		expect((await db.client.query(`SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND relkind = 'r'`)).rows).toEqual([])
		expect(await readCatalog(db.client, 'public')).toEqual([])
		expect(await pwned()).toEqual([])
	})
})
