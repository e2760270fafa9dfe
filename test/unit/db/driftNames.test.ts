/**
 * Drift compares catalogs keyed by names from files and the database: a table, column or enum
 * named like an Object.prototype member is a name like any other.
 */
import { describe, expect, it } from 'vitest'
import { compareCatalogs, expectedCatalog } from '../../../src/db/drift.js'
import { parseMigration } from '../../../src/migrations/files.js'
import { replay } from '../../../src/migrations/replay.js'

const names = ['constructor', 'toString', 'hasOwnProperty', '__proto__']

const schemaWith = (name: string) => replay([parseMigration('2024-01-01-120000-names', JSON.stringify({
	formatVersion: 6,
	modifications: [
		{ modification: 'createEnum', enumName: `${name}_kind`.replace(/^_+/, 'e'), values: ['a'] },
		{ modification: 'createEntity', entity: { name, primary: 'id', primaryColumn: 'id', tableName: name, eventLog: { enabled: true }, unique: [], indexes: [],
			fields: { id: { name: 'id', columnName: 'id', columnType: 'uuid', nullable: false, type: 'Uuid' } } } },
		{ modification: 'createColumn', entityName: name, field: { name: 'value', columnName: name, columnType: 'text', nullable: true, type: 'String' } },
	],
}))])

describe('drift with prototype member names', () => {
	it.each(names)('a table and a column named %s: the catalog holds them and compares equal to itself', name => {
		const catalog = expectedCatalog(schemaWith(name))
		expect(Object.keys(catalog.tables)).toEqual([name])
		expect(Object.keys(catalog.tables[name]!.columns).sort()).toEqual([name, 'id'].sort())
		expect(compareCatalogs(catalog, expectedCatalog(schemaWith(name)))).toEqual([])
	})

	it.each(names)('a live table named %s that the history does not create is extra, not matched by a prototype member', name => {
		const expected = expectedCatalog(schemaWith('Other'))
		const actual = expectedCatalog(schemaWith(name))
		const kinds = compareCatalogs(expected, actual).map(item => `${item.kind} ${item.object}`)
		expect(kinds).toContain(`extraTable ${name}`)
		expect(kinds).toContain('missingTable Other')
	})
})
