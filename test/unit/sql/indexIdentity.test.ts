import { describe, expect, it } from 'vitest'
import {
	chooseIndexToDrop,
	chooseUniqueConstraintToDrop,
	compareIndex,
	describeIndexDefinition,
	type ExpectedIndex,
	expectedKey,
	normalizePredicate,
} from '../../../src/sql/indexIdentity.js'
import type { IndexDefinition, IndexKeyMetadata, IndexMetadata, UniqueConstraintMetadata } from '../../../src/sql/metadata.js'

const key = (column: string, extra: Partial<IndexKeyMetadata> = {}): IndexKeyMetadata => ({
	column, expression: false, opClass: 'int4_ops', defaultOpClass: true, descending: false, nullsFirst: false, ...extra,
})

const definition = (oid: number, extra: Partial<IndexDefinition> = {}): IndexDefinition => ({
	oid, method: 'btree', keys: [key('category_id')], include: [], predicate: null, nullsNotDistinct: false, ...extra,
})

const index = (indexName: string, def: IndexDefinition | undefined, extra: Partial<IndexMetadata> = {}): IndexMetadata => ({
	indexName,
	tableName: 'slot',
	columnNames: def ? [...def.keys.filter(it => !it.expression).map(it => it.column), ...def.include] : ['category_id'],
	unique: false,
	...(def ? { definition: def } : {}),
	...extra,
})

const plain: ExpectedIndex = { tableName: 'slot', keys: [expectedKey('category_id')], include: [], method: 'btree', unique: false, nullsNotDistinct: false }

describe('compareIndex', () => {
	it('matches the whole definition: a difference in any part makes another index', () => {
		expect(compareIndex(index('a', definition(1)), plain)).toBe('same')
		const variants: Partial<IndexDefinition>[] = [
			{ method: 'hash' },
			{ keys: [key('category_id', { descending: true, nullsFirst: true })] },
			{ keys: [key('category_id', { nullsFirst: true })] },
			{ keys: [key('category_id', { opClass: 'int4_minmax_ops', defaultOpClass: false })] },
			{ keys: [key('category_id'), key('slot')] },
			{ keys: [key('lower(category_id)', { expression: true })] },
			{ include: ['slot'] },
			{ predicate: 'category_id IS NOT NULL' },
			{ nullsNotDistinct: true },
		]
		for (const variant of variants) expect(compareIndex(index('a', definition(1, variant)), plain), JSON.stringify(variant)).toBe('different')
		expect(compareIndex(index('a', definition(1), { unique: true }), plain)).toBe('different')
		expect(compareIndex(index('a', definition(1), { tableName: 'other' }), plain)).toBe('different')
	})

	it('reads order, nulls and operator classes as PostgreSQL defaults them', () => {
		const desc = { ...plain, keys: [expectedKey('category_id', { order: 'desc' })] }
		expect(compareIndex(index('a', definition(1, { keys: [key('category_id', { descending: true, nullsFirst: true })] })), desc)).toBe('same')
		const descNullsLast = { ...plain, keys: [expectedKey('category_id', { order: 'desc', nulls: 'last' })] }
		expect(compareIndex(index('a', definition(1, { keys: [key('category_id', { descending: true })] })), descNullsLast)).toBe('same')
		const pattern = { ...plain, keys: [expectedKey('category_id', { opClass: 'public.Text_Pattern_Ops' })] }
		expect(compareIndex(index('a', definition(1, { keys: [key('category_id', { opClass: 'text_pattern_ops', defaultOpClass: false })] })), pattern)).toBe('same')
		const explicitDefault = { ...plain, keys: [expectedKey('category_id', { opClass: 'int4_ops' })] }
		expect(compareIndex(index('a', definition(1)), explicitDefault)).toBe('same')
	})

	it('compares predicates as PostgreSQL prints them back, and is unsure when the text still differs', () => {
		const partial = { ...plain, where: "status = 'active' AND deleted_at IS NULL" }
		expect(compareIndex(index('a', definition(1, { predicate: "status = 'active'::text AND deleted_at IS NULL" })), partial)).toBe('same')
		expect(compareIndex(index('a', definition(1, { predicate: "status = 'archived'::text AND deleted_at IS NULL" })), partial)).toBe('unsure')
		expect(compareIndex(index('a', definition(1)), partial)).toBe('different')
	})

	it('knows snapshot metadata (no definition) by its column set only', () => {
		expect(compareIndex(index('a', undefined), plain)).toBe('unknown')
		expect(compareIndex(index('a', undefined, { columnNames: ['other'] }), plain)).toBe('different')
		expect(compareIndex({ indexName: 'a', tableName: 'slot', columnNames: ['category_id'] } as never, plain)).toBe('unknown')
	})
})

describe('normalizePredicate', () => {
	it('drops casts, parentheses, case and spacing outside quotes, keeps literals', () => {
		expect(normalizePredicate("(Status = 'Active'::character varying(10))")).toBe(normalizePredicate("status='Active'"))
		expect(normalizePredicate("\"kind\" != 'x'")).toBe(normalizePredicate("(kind <> 'x'::text)"))
		expect(normalizePredicate("at > now() - '1 day'::interval")).toBe(normalizePredicate("(at > (now() - '1 day'::interval))"))
		expect(normalizePredicate("created::timestamp with time zone > x AND y")).toBe(normalizePredicate('created > x and y'))
		expect(normalizePredicate("s = 'A'")).not.toBe(normalizePredicate("s = 'a'"))
		expect(normalizePredicate('"Kind" = 1')).not.toBe(normalizePredicate('kind = 1'))
	})
})

describe('chooseIndexToDrop', () => {
	it('drops the newest of identical indexes and names the ones kept', () => {
		const relation = index('slot_category_id_idx', definition(100))
		const schemaIndex = index('slot_category_id_idx1', definition(200))
		for (const order of [[relation, schemaIndex], [schemaIndex, relation]]) {
			expect(chooseIndexToDrop(order, plain)).toEqual({ kind: 'drop', target: schemaIndex, kept: [relation], verdict: 'same' })
		}
	})

	it('picks the index with the schema definition among siblings on the same column', () => {
		const relation = index('slot_category_id_idx', definition(100))
		const partial = index('slot_category_id_idx1', definition(300, { predicate: 'category_id IS NOT NULL' }))
		const hash = index('slot_category_id_idx2', definition(400, { method: 'hash' }))
		const all = [relation, partial, hash]
		expect(chooseIndexToDrop(all, plain)).toEqual({ kind: 'drop', target: relation, kept: [], verdict: 'same' })
		expect(chooseIndexToDrop(all, { ...plain, where: 'category_id is not null' })).toEqual({ kind: 'drop', target: partial, kept: [], verdict: 'same' })
		expect(chooseIndexToDrop(all, { ...plain, method: 'hash' })).toEqual({ kind: 'drop', target: hash, kept: [], verdict: 'same' })
		expect(chooseIndexToDrop(all, { ...plain, method: 'brin' })).toEqual({ kind: 'none', others: all })
	})

	it('takes the only partial index when the predicate reads differently, refuses to guess between different ones', () => {
		const inList = { ...plain, where: 'category_id IN (1, 2)' }
		const printed = index('p1', definition(10, { predicate: 'category_id = ANY (ARRAY[1, 2])' }))
		expect(chooseIndexToDrop([index('r', definition(5)), printed], inList)).toEqual({ kind: 'drop', target: printed, kept: [], verdict: 'unsure' })
		const other = index('p2', definition(11, { predicate: 'category_id = ANY (ARRAY[3])' }))
		expect(chooseIndexToDrop([printed, other], inList)).toEqual({ kind: 'ambiguous', candidates: [printed, other] })
		const twin = index('p3', definition(12, { predicate: 'category_id = ANY (ARRAY[1, 2])' }))
		expect(chooseIndexToDrop([printed, twin], inList)).toEqual({ kind: 'drop', target: twin, kept: [printed], verdict: 'unsure' })
	})

	it('snapshot metadata: the single match is dropped, two cannot be told apart', () => {
		const a = index('a', undefined)
		const b = index('b', undefined)
		expect(chooseIndexToDrop([a], plain)).toEqual({ kind: 'drop', target: a, kept: [], verdict: 'unknown' })
		expect(chooseIndexToDrop([a, b], plain).kind).toBe('ambiguous')
		expect(chooseIndexToDrop([], plain)).toEqual({ kind: 'none', others: [] })
	})
})

describe('chooseUniqueConstraintToDrop', () => {
	const constraint = (constraintName: string, oid: number, extra: Partial<UniqueConstraintMetadata> = {}): UniqueConstraintMetadata => ({
		constraintName, tableName: 'slot', columnNames: ['category_id'], deferrable: false, deferred: false, definition: definition(oid), ...extra,
	})
	const expected = { tableName: 'slot', columns: ['category_id'], deferrable: false, deferred: false }

	it('drops one of identical constraints (the newest), never all of them', () => {
		const relation = constraint('slot_category_id_key', 1)
		const schemaUnique = constraint('slot_category_id_key1', 2)
		expect(chooseUniqueConstraintToDrop([relation, schemaUnique], expected)).toEqual({ kind: 'drop', target: schemaUnique, kept: [relation], verdict: 'same' })
	})

	it('tells constraints apart by timing, column order and NULLS NOT DISTINCT', () => {
		const plainKey = constraint('k', 1)
		const deferrable = constraint('k1', 2, { deferrable: true })
		const deferred = constraint('k2', 3, { deferrable: true, deferred: true })
		const all = [plainKey, deferrable, deferred]
		expect(chooseUniqueConstraintToDrop(all, expected)).toMatchObject({ kind: 'drop', target: plainKey, kept: [] })
		expect(chooseUniqueConstraintToDrop(all, { ...expected, deferrable: true })).toMatchObject({ kind: 'drop', target: deferrable, kept: [] })
		expect(chooseUniqueConstraintToDrop(all, { ...expected, deferrable: true, deferred: true })).toMatchObject({ kind: 'drop', target: deferred, kept: [] })
		const pair = constraint('pair', 4, { columnNames: ['a', 'b'], definition: definition(4, { keys: [key('a'), key('b')] }) })
		expect(chooseUniqueConstraintToDrop([pair], { ...expected, columns: ['b', 'a'] })).toEqual({ kind: 'none', others: [pair] })
		const notDistinct = constraint('nnd', 5, { definition: definition(5, { nullsNotDistinct: true }) })
		expect(chooseUniqueConstraintToDrop([notDistinct], expected)).toEqual({ kind: 'none', others: [notDistinct] })
	})
})

describe('describeIndexDefinition', () => {
	it('prints what differs from the defaults, or the columns when the definition is unknown', () => {
		const def = definition(1, {
			method: 'gin',
			keys: [key('tags', { opClass: 'jsonb_path_ops', defaultOpClass: false }), key('lower(name)', { expression: true, descending: true })],
			include: ['id'],
			predicate: 'tags IS NOT NULL',
		})
		expect(describeIndexDefinition(def, [])).toBe('USING gin (tags jsonb_path_ops, (lower(name)) DESC NULLS LAST) INCLUDE (id) WHERE (tags IS NOT NULL)')
		expect(describeIndexDefinition(undefined, ['a', 'b'])).toBe('(a, b)')
	})
})
