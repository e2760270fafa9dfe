/**
 * The SQL the drop handlers choose from catalog metadata that carries whole index definitions:
 * removeIndex, removeUniqueConstraint and the relation conversions drop exactly the object
 * with the schema's definition, and one of identical duplicates, naming it.
 */
import { describe, expect, it } from 'vitest'
import type { Field } from '../../../src/schema/model.js'
import type { IndexDefinition, IndexKeyMetadata, IndexMetadata, UniqueConstraintMetadata } from '../../../src/sql/metadata.js'
import { emptyMetadata, entity, schemaOf, sqlOf, text } from '../modifications/entities/fixtures.js'

const key = (column: string, extra: Partial<IndexKeyMetadata> = {}): IndexKeyMetadata => ({
	column, expression: false, opClass: 'uuid_ops', defaultOpClass: true, descending: false, nullsFirst: false, ...extra,
})
const definition = (oid: number, extra: Partial<IndexDefinition> = {}): IndexDefinition => ({
	oid, method: 'btree', keys: [key('category_id')], include: [], predicate: null, nullsNotDistinct: false, ...extra,
})
const index = (indexName: string, def: IndexDefinition, unique = false): IndexMetadata => ({
	indexName, tableName: 'slot', columnNames: [...def.keys.map(it => it.column), ...def.include], unique, definition: def,
})
const constraint = (constraintName: string, oid: number, extra: Partial<UniqueConstraintMetadata> = {}): UniqueConstraintMetadata => ({
	constraintName, tableName: 'slot', columnNames: ['category_id'], deferrable: false, deferred: false, definition: definition(oid), ...extra,
})

const relation = (type: 'ManyHasOne' | 'OneHasOne'): Field =>
	({ name: 'category', type, target: 'Category', joiningColumn: { columnName: 'category_id', onDelete: 'restrict' }, nullable: true }) as Field
const category = entity('Category', [])

describe('removeIndex on a many-has-one column that also has the relation index', () => {
	const slot = entity('Slot', [relation('ManyHasOne'), text('note')], {
		indexes: [{ fields: ['category'] }, { fields: ['category'], where: 'note IS NOT NULL' }],
	})
	const schema = schemaOf([category, slot])
	const relationIndex = index('slot_category_id_idx', definition(100))
	const schemaIndex = index('slot_category_id_idx1', definition(200))
	const partialIndex = index('slot_category_id_idx2', definition(300, { predicate: 'note IS NOT NULL' }))

	it('drops the newest of the identical pair and says which one stays', () => {
		const sql = sqlOf(schema, 'removeIndex', { entityName: 'Slot', fields: ['category'] }, { metadata: { ...emptyMetadata, indexes: [relationIndex, schemaIndex, partialIndex] } })
		expect(sql.statements).toEqual(['DROP INDEX "slot_category_id_idx1"'])
		expect(sql.toString()).toMatch(/^-- "slot_category_id_idx1" and "slot_category_id_idx" are identical, both \(category_id\): the newest, "slot_category_id_idx1", is dropped and "slot_category_id_idx" kept$/m)
	})

	it('drops the partial index for the partial schema index, whatever the oids', () => {
		const sql = sqlOf(schema, 'removeIndex', { entityName: 'Slot', fields: ['category'], where: 'note IS NOT NULL' }, {
			metadata: { ...emptyMetadata, indexes: [index('z_partial', definition(1, { predicate: 'note IS NOT NULL' })), relationIndex, schemaIndex] },
		})
		expect(sql.statements).toEqual(['DROP INDEX "z_partial"'])
	})

	it('never drops an index with another definition: the relation index alone stays', () => {
		const sql = sqlOf(schema, 'removeIndex', { entityName: 'Slot', fields: ['category'], where: 'note IS NOT NULL' }, { metadata: { ...emptyMetadata, indexes: [relationIndex] } })
		expect(sql.statements).toEqual([])
		expect(sql.toString()).toBe('-- no index on "slot" (category_id) with this definition exists in the database; nothing to drop (kept, as they differ: "slot_category_id_idx" (category_id))')
	})

	it('refuses to guess between partial indexes whose predicates differ from each other and from the schema text', () => {
		const schemaIn = schemaOf([category, { ...slot, indexes: [{ fields: ['category'], where: 'note IN (\'a\')' }] }])
		const metadata = {
			...emptyMetadata,
			indexes: [index('p1', definition(1, { predicate: "note = ANY (ARRAY['a'::text])" })), index('p2', definition(2, { predicate: "note = ANY (ARRAY['b'::text])" }))],
		}
		expect(() => sqlOf(schemaIn, 'removeIndex', { entityName: 'Slot', fields: ['category'], where: "note IN ('a')" }, { metadata }))
			.toThrow(/Cannot tell which index on "slot" \(category_id\) to drop: the database has "p1" \(category_id\) WHERE .*"p2"/)
		const single = { ...emptyMetadata, indexes: [metadata.indexes[0]!] }
		const sql = sqlOf(schemaIn, 'removeIndex', { entityName: 'Slot', fields: ['category'], where: "note IN ('a')" }, { metadata: single })
		expect(sql.statements).toEqual(['DROP INDEX "p1"'])
		expect(sql.toString()).toMatch(/^-- "p1" \(category_id\) WHERE .* is the only index on "slot" \(category_id\) that fits; its predicate is taken to be the schema's \(note IN \('a'\)\)$/m)
	})
})

describe('removeUniqueConstraint with a duplicated unique', () => {
	const slot = entity('Slot', [relation('OneHasOne'), text('code')], {
		unique: [{ fields: ['category'] }, { fields: ['code'], index: true }],
	})
	const schema = schemaOf([category, slot])

	it('drops one of two identical unique constraints, not both', () => {
		const metadata = { ...emptyMetadata, uniqueConstraints: [constraint('slot_category_id_key', 10), constraint('slot_category_id_key1', 20)] }
		const sql = sqlOf(schema, 'removeUniqueConstraint', { entityName: 'Slot', fields: ['category'] }, { metadata })
		expect(sql.statements).toEqual(['ALTER TABLE "slot" DROP CONSTRAINT "slot_category_id_key1"'])
		expect(sql.toString()).toContain('-- "slot_category_id_key1" and "slot_category_id_key" are identical, both UNIQUE (category_id): the newest, "slot_category_id_key1", is dropped and "slot_category_id_key" kept')
	})

	it('drops the constraint with the schema timing, not an identical-looking deferrable one', () => {
		const metadata = { ...emptyMetadata, uniqueConstraints: [constraint('a_deferrable', 30, { deferrable: true }), constraint('b_plain', 10)] }
		expect(sqlOf(schema, 'removeUniqueConstraint', { entityName: 'Slot', fields: ['category'] }, { metadata }).statements)
			.toEqual(['ALTER TABLE "slot" DROP CONSTRAINT "b_plain"'])
	})

	it('drops one of two identical unique indexes, and not one with NULLS NOT DISTINCT', () => {
		const code = (oid: number, extra: Partial<IndexDefinition> = {}) => definition(oid, { keys: [key('code', { opClass: 'text_ops' })], ...extra })
		const indexes = [index('slot_code_idx', code(1), true), index('slot_code_idx1', code(2), true), index('slot_code_idx2', code(3, { nullsNotDistinct: true }), true)]
		const sql = sqlOf(schema, 'removeUniqueConstraint', { entityName: 'Slot', fields: ['code'] }, { metadata: { ...emptyMetadata, indexes } })
		expect(sql.statements).toEqual(['DROP INDEX "slot_code_idx1"'])
	})
})

describe('relation conversions drop only the relation\'s own index or unique key', () => {
	it('convertOneHasManyToOneHasOneRelation keeps a schema index on the joining column', () => {
		const slot = entity('Slot', [relation('ManyHasOne'), text('note')], { indexes: [{ fields: ['category'], where: 'note IS NOT NULL' }] })
		const indexes = [index('slot_category_id_idx', definition(100)), index('slot_category_id_idx1', definition(200, { predicate: 'note IS NOT NULL' }))]
		const sql = sqlOf(schemaOf([category, slot]), 'convertOneHasManyToOneHasOneRelation', { entityName: 'Slot', fieldName: 'category' }, { metadata: { ...emptyMetadata, indexes } })
		expect(sql.statements).toEqual(['DROP INDEX "slot_category_id_idx"', 'ALTER TABLE "slot" ADD UNIQUE ("category_id")'])
	})

	it('convertOneToManyRelation keeps a deferrable schema unique on the joining column', () => {
		const slot = entity('Slot', [relation('OneHasOne')], { unique: [{ fields: ['category'], timing: 'deferrable' }] })
		const uniqueConstraints = [constraint('slot_category_id_key', 10), constraint('slot_category_id_key1', 20, { deferrable: true })]
		const sql = sqlOf(schemaOf([category, slot]), 'convertOneToManyRelation', { entityName: 'Slot', fieldName: 'category' }, { metadata: { ...emptyMetadata, uniqueConstraints } })
		expect(sql.statements).toEqual(['CREATE INDEX ON "slot" ("category_id")', 'ALTER TABLE "slot" DROP CONSTRAINT "slot_category_id_key"'])
	})
})
