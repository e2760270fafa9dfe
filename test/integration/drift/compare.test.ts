/**
 * The pure half of db:drift (no database): type-name normalisation, enum CHECK parsing, the
 * catalog a schema implies, the comparison and the ignore globs.
 */
import { describe, expect, it } from 'vitest'
import { applyIgnores, compareCatalogs, expectedCatalog, globToRegExp, normaliseType, parseEnumCheck, type Catalog, type CatalogKey } from '../../../src/db/drift.js'
import { emptySchema, type Entity, type Schema } from '../../../src/schema/model.js'

describe('normaliseType', () => {
	it.each([
		['text', 'text'],
		['TEXT', 'text'],
		['int4', 'integer'],
		['int', 'integer'],
		['float8', 'double precision'],
		['double  precision', 'double precision'],
		['numeric(20, 9)', 'numeric(20,9)'],
		['decimal(10,2)', 'numeric(10,2)'],
		['numeric', 'numeric'],
		['bool', 'boolean'],
		['timestamptz', 'timestamp with time zone'],
		['timestamptz(3)', 'timestamp(3) with time zone'],
		['timestamp(3) with time zone', 'timestamp(3) with time zone'],
		['timestamp', 'timestamp without time zone'],
		['time', 'time without time zone'],
		['date', 'date'],
		['uuid', 'uuid'],
		['jsonb', 'jsonb'],
		['text[]', 'text[]'],
		['int4[][]', 'integer[][]'],
		['varchar(255)', 'character varying(255)'],
		['"PostStatus"', '"PostStatus"'],
		['"PostStatus"[]', '"PostStatus"[]'],
	])('%s → %s', (input, output) => {
		expect(normaliseType(input)).toBe(output)
	})
})

describe('parseEnumCheck', () => {
	it('reads the values of the CHECK as PostgreSQL prints it', () => {
		expect(parseEnumCheck(`CHECK ((VALUE = ANY (ARRAY['draft'::text, 'it''s'::text])))`)).toEqual(['draft', "it's"])
		expect(parseEnumCheck(`CHECK ((VALUE = 'only'::text))`)).toEqual(['only'])
		// standard_conforming_strings: a backslash prints as itself; an E'' literal escapes it
		expect(parseEnumCheck(`CHECK ((VALUE = ANY (ARRAY['a\\b'::text])))`)).toEqual(['a\\b'])
		expect(parseEnumCheck(`CHECK ((VALUE = ANY (ARRAY[E'a\\\\b'::text])))`)).toEqual(['a\\b'])
		expect(parseEnumCheck(`CHECK ((length(VALUE) > 2))`)).toEqual([])
		expect(parseEnumCheck(`CHECK ((x > 2))`)).toBeUndefined()
	})
})

const id = { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false } as const
const entity = (name: string, tableName: string, fields: Entity['fields'], extra: Partial<Entity> = {}): Entity => ({
	name, primary: 'id', primaryColumn: 'id', tableName, fields: { id, ...fields }, unique: [], indexes: [], eventLog: { enabled: true }, ...extra,
})

const schema: Schema = {
	...emptySchema,
	model: {
		enums: { Mood: ['calm', 'busy'] },
		entities: {
			Author: entity('Author', 'author', {
				mood: { name: 'mood', columnName: 'mood', type: 'Enum', columnType: 'Mood', nullable: true, list: true },
				score: { name: 'score', columnName: 'score', type: 'Integer', columnType: 'integer', nullable: false, sequence: { precedence: 'BY DEFAULT' } },
				profile: { name: 'profile', type: 'OneHasOne', target: 'Profile', nullable: true, joiningColumn: { columnName: 'profile_id', onDelete: 'set null' } },
			}, { unique: [{ fields: ['score', 'mood'] }] }),
			Profile: entity('Profile', 'profile', {}),
			Post: entity('Post', 'post', {
				author: { name: 'author', type: 'ManyHasOne', target: 'Author', nullable: false, joiningColumn: { columnName: 'author_id', onDelete: 'restrict' } },
				tags: { name: 'tags', type: 'ManyHasMany', target: 'Tag', joiningTable: { tableName: 'post_tags', joiningColumn: { columnName: 'post_id', onDelete: 'cascade' }, inverseJoiningColumn: { columnName: 'tag_id', onDelete: 'cascade' }, eventLog: { enabled: true } } },
				stats: { name: 'stats', type: 'ManyHasOne', target: 'Stats', nullable: true, joiningColumn: { columnName: 'stats_id', onDelete: 'restrict' } },
			}, { indexes: [{ fields: ['author'], include: ['id'] }] }),
			Tag: entity('Tag', 'tag', {}),
			Stats: entity('Stats', 'stats', {}, { view: { sql: 'SELECT 1', materialized: true }, unique: [{ fields: ['id'], index: true }, { fields: ['id'] }] }),
		},
	},
}

describe('expectedCatalog', () => {
	const catalog = expectedCatalog(schema)
	it('derives columns, junction tables and views', () => {
		expect(catalog.tables.author!.columns).toEqual({
			id: { type: 'uuid', nullable: false },
			mood: { type: '"Mood"[]', nullable: true },
			score: { type: 'integer', nullable: false, identity: 'BY DEFAULT' },
			profile_id: { type: 'uuid', nullable: true },
		})
		expect(catalog.tables.post_tags).toEqual({ columns: { post_id: { type: 'uuid', nullable: false }, tag_id: { type: 'uuid', nullable: false } }, primaryKey: ['post_id', 'tag_id'] })
		expect(catalog.views).toEqual({ stats: { materialized: true } })
		expect(Object.keys(catalog.tables).sort()).toEqual(['author', 'post', 'post_tags', 'profile', 'tag'])
	})
	it('derives keys: restrict is NO ACTION, junction FKs cascade, no FK to a view', () => {
		expect(catalog.foreignKeys).toEqual(expect.arrayContaining([
			{ table: 'author', column: 'profile_id', refTable: 'profile', refColumn: 'id', onDelete: 'set null' },
			{ table: 'post', column: 'author_id', refTable: 'author', refColumn: 'id', onDelete: 'no action' },
			{ table: 'post_tags', column: 'post_id', refTable: 'post', refColumn: 'id', onDelete: 'cascade' },
			{ table: 'post_tags', column: 'tag_id', refTable: 'tag', refColumn: 'id', onDelete: 'cascade' },
		]))
		expect(catalog.foreignKeys).toHaveLength(4)
		// one-has-one: a unique key; the materialized view: only its index-form unique
		expect(catalog.uniques).toEqual(expect.arrayContaining([
			{ table: 'author', columns: ['profile_id'], unique: { form: 'constraint', timing: 'immediate', nullsNotDistinct: false, method: 'btree' } },
			{ table: 'author', columns: ['score', 'mood'], unique: { form: 'constraint', timing: 'immediate', nullsNotDistinct: false, method: 'btree' } },
			{ table: 'stats', columns: ['id'], unique: { form: 'index', timing: 'immediate', nullsNotDistinct: false, method: 'btree' } },
		]))
		expect(catalog.uniques).toHaveLength(3)
		// many-has-one: an index on the joining column, plus the declared one (key + include columns)
		expect(catalog.indexes).toEqual(expect.arrayContaining([
			expect.objectContaining({ table: 'post', columns: ['author_id'], expected: expect.objectContaining({ method: 'btree', include: [] }) }),
			expect.objectContaining({ table: 'post', columns: ['stats_id'] }),
			expect.objectContaining({ table: 'post', columns: ['author_id', 'id'], expected: expect.objectContaining({ include: ['id'] }) }),
		]))
	})
	it('finds no drift against itself', () => {
		expect(compareCatalogs(catalog, catalog)).toEqual([])
	})
})

describe('compareCatalogs', () => {
	const base: Catalog = expectedCatalog(schema)
	it('counts identical indexes: a duplicate is an extra index', () => {
		const actual = { ...base, indexes: [...base.indexes, { table: 'post', columns: ['author_id'] }] }
		expect(compareCatalogs(base, actual).map(item => [item.kind, item.object])).toEqual([['extraIndex', 'post(author_id)']])
	})
	it('counts a live RESTRICT key as the schema\'s restrict (created as NO ACTION); other actions differ', () => {
		const withAction = (action: string): Catalog => ({ ...base, foreignKeys: base.foreignKeys.map(fk => (fk.onDelete === 'no action' ? { ...fk, onDelete: action } : fk)) })
		expect(base.foreignKeys.some(fk => fk.onDelete === 'no action')).toBe(true)
		expect(compareCatalogs(base, withAction('restrict'))).toEqual([])
		expect(compareCatalogs(base, withAction('set default')).map(item => [item.kind, item.expected, item.actual])).toEqual([['foreignKeyOnDelete', 'on delete no action', 'on delete set default']])
	})
	it('compares unique definitions, not names: form, timing, NULLS NOT DISTINCT and method', () => {
		const changed = (change: Partial<NonNullable<CatalogKey['unique']>>): Catalog => ({
			...base,
			uniques: base.uniques.map(key => (key.table === 'author' && key.columns.length === 2 ? { ...key, unique: { ...key.unique!, ...change } } : key)),
		})
		const report = (actual: Catalog) => compareCatalogs(base, actual).map(item => [item.kind, item.object, item.expected, item.actual])
		expect(report(changed({ timing: 'deferred' }))).toEqual([
			['uniqueDefinition', 'author(mood, score)', 'unique constraint (score, mood)', 'unique constraint (score, mood) DEFERRABLE INITIALLY DEFERRED'],
		])
		expect(report(changed({ form: 'index', nullsNotDistinct: true, method: 'hash' }))).toEqual([
			['uniqueDefinition', 'author(mood, score)', 'unique constraint (score, mood)', 'unique index USING hash (score, mood) NULLS NOT DISTINCT'],
		])
		// the same definition under another column order is the same key
		expect(report({ ...base, uniques: base.uniques.map(key => (key.columns.length === 2 ? { ...key, columns: [...key.columns].reverse() } : key)) })).toEqual([])
	})
	it('reports a view that became a table, and a materialized view that became a plain one', () => {
		const actual: Catalog = { ...base, views: { stats: { materialized: false } }, uniques: base.uniques.filter(key => key.table !== 'stats') }
		expect(compareCatalogs(base, actual).map(item => item.kind)).toEqual(['viewKind', 'missingUnique'])
		const asTable: Catalog = { ...base, views: {}, tables: { ...base.tables, stats: { columns: {} } } }
		expect(compareCatalogs(base, asTable).map(item => [item.kind, item.expected, item.actual])).toEqual([
			['extraTable', 'materialized view', 'table with 0 column(s)'],
			['missingView', 'materialized view', 'table'],
		])
	})
	it('reports an identity that was dropped and an enum without a CHECK', () => {
		const author = base.tables.author!
		const actual: Catalog = {
			...base,
			tables: { ...base.tables, author: { ...author, columns: { ...author.columns, score: { type: 'integer', nullable: false } } } },
			enums: { Mood: undefined },
		}
		expect(compareCatalogs(base, actual).map(item => [item.kind, item.object, item.expected, item.actual])).toEqual([
			['columnIdentity', 'author.score', 'GENERATED BY DEFAULT AS IDENTITY', 'no identity'],
			['enumValues', 'enum Mood', 'calm, busy', 'no CHECK (VALUE IN …) constraint'],
		])
	})
	it('treats enum values as a set (order is not drift)', () => {
		expect(compareCatalogs(base, { ...base, enums: { Mood: ['busy', 'calm'] } })).toEqual([])
	})
})

describe('ignore globs', () => {
	it('match within one name', () => {
		expect(globToRegExp('audit_*').test('audit_log')).toBe(true)
		expect(globToRegExp('audit_*').test('audit_log.id')).toBe(false)
		expect(globToRegExp('*.legacy_?').test('post.legacy_a')).toBe(true)
		expect(globToRegExp('post.(x)').test('post.(x)')).toBe(true)
		expect(globToRegExp('a+b').test('aab')).toBe(false)
	})
	it('drop an item when any of its targets matches', () => {
		const items = compareCatalogs(expectedCatalog(schema), { ...expectedCatalog(emptySchema), tables: {} })
		// enum items are matched by the enum name
		expect(applyIgnores(items, ['author', 'p*', 'tag', 'stats'])).toEqual(items.filter(item => item.kind === 'missingEnum'))
		expect(applyIgnores(items, ['*'])).toEqual([])
	})
})
