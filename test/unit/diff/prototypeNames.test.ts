/**
 * Names like Object.prototype's members (`constructor`, `toString`, `hasOwnProperty`,
 * `__proto__`) are names like any other for entities, fields, enums, triggers, targets and rename
 * answers: the differ must not take them as "already there". The schemas go through JSON.parse,
 * as loaded schemas do, so `__proto__` is an own key.
 */
import { describe, expect, it } from 'vitest'
import { diffSchemas } from '../../../src/diff/diffSchemas.js'
import { withoutEmptyRelationOrderBy } from '../../../src/diff/helpers.js'
import { splitRenameAnswers } from '../../../src/migrations/amendAnswers.js'
import { applyModifications } from '../../../src/modifications/fold.js'
import { FORMAT_VERSION_LATEST } from '../../../src/modifications/versions.js'
import { schemaDifferences } from '../../../src/schema/compare.js'
import { emptySchema, type Field, type Schema } from '../../../src/schema/model.js'
import { column, entity } from './fixtures.js'

const NAMES = ['constructor', 'toString', 'hasOwnProperty', '__proto__'] as const

/** Object.fromEntries defines `__proto__` as an own key; the JSON round trip mimics a loaded schema */
const parsed = (schema: unknown): Schema => JSON.parse(JSON.stringify(schema)) as Schema

const prototypeEntity = (name: string, fields: readonly string[] = NAMES) => {
	const base = entity(name, [
		...fields.map(it => column(it, 'String')),
		column('status', 'Enum', { columnType: '__proto__' }),
	])
	return { ...base, tableName: `t_${name}`, fields: Object.fromEntries(Object.values(base.fields).map((it: Field) => [it.name, it])) }
}

const schemaWith = (entities: ReturnType<typeof prototypeEntity>[]): Schema => parsed({
	...emptySchema,
	model: {
		enums: Object.fromEntries(NAMES.map(it => [it, [`${it}_a`, `${it}_b`]])),
		entities: Object.fromEntries(entities.map(it => [it.name, it])),
	},
})

const full = parsed({
	...schemaWith(NAMES.map(it => prototypeEntity(it))),
	actions: {
		triggers: Object.fromEntries(NAMES.map(it => [it, { name: it, type: 'basic', entity: it }])),
		targets: Object.fromEntries(NAMES.map(it => [it, { name: it, type: 'webhook', url: `https://example.test/${it}` }])),
	},
})

const named = (result: { modifications: readonly Record<string, unknown>[] }, id: string, name: (it: Record<string, unknown>) => unknown) =>
	result.modifications.filter(it => it.modification === id).map(name).sort()

const replays = (from: Schema, to: Schema, modifications: Parameters<typeof applyModifications>[1]) =>
	expect(schemaDifferences(withoutEmptyRelationOrderBy(to), withoutEmptyRelationOrderBy(applyModifications(from, modifications, FORMAT_VERSION_LATEST)))).toEqual([])

describe('names shared with Object.prototype', () => {
	it('the fixture really holds them as own keys', () => {
		for (const name of NAMES) {
			expect(Object.hasOwn(full.model.entities, name)).toBe(true)
			expect(Object.hasOwn(full.model.enums, name)).toBe(true)
			expect(Object.hasOwn(full.model.entities[name]!.fields, name)).toBe(true)
		}
	})

	it('creates every entity, field and enum from an empty schema', () => {
		const result = diffSchemas(emptySchema, full)
		const created = result.modifications.filter(it => it.modification === 'createEntity').map(it => (it as unknown as { entity: { name: string } }).entity.name)
		expect(created.sort()).toEqual([...NAMES].sort())
		const enums = result.modifications.filter(it => it.modification === 'createEnum').map(it => (it as unknown as { enumName: string }).enumName)
		expect(enums.sort()).toEqual([...NAMES].sort())
		expect(named(result, 'createTrigger', it => (it.trigger as { name: string }).name)).toEqual([...NAMES].sort())
		expect(named(result, 'createTarget', it => (it.target as { name: string }).name)).toEqual([...NAMES].sort())
		replays(emptySchema, full, result.modifications)
	})

	it('removes them all again', () => {
		const result = diffSchemas(full, emptySchema)
		const removed = result.modifications.filter(it => it.modification === 'removeEntity').map(it => (it as unknown as { entityName: string }).entityName)
		expect(removed.sort()).toEqual([...NAMES].sort())
		const enums = result.modifications.filter(it => it.modification === 'removeEnum').map(it => (it as unknown as { enumName: string }).enumName)
		expect(enums.sort()).toEqual([...NAMES].sort())
		expect(named(result, 'removeTrigger', it => it.name)).toEqual([...NAMES].sort())
		expect(named(result, 'removeTarget', it => it.name)).toEqual([...NAMES].sort())
		replays(full, emptySchema, result.modifications)
	})

	it('adds and removes fields with those names on an existing entity', () => {
		const bare = schemaWith([prototypeEntity('Post', [])])
		const rich = schemaWith([prototypeEntity('Post')])
		const added = diffSchemas(bare, rich)
		expect(added.modifications.map(it => (it as unknown as { field?: { name: string } }).field?.name).sort()).toEqual([...NAMES].sort())
		replays(bare, rich, added.modifications)
		const removed = diffSchemas(rich, bare)
		expect(removed.modifications.map(it => (it as unknown as { fieldName?: string }).fieldName).sort()).toEqual([...NAMES].sort())
		replays(rich, bare, removed.modifications)
	})

	it('offers and applies renames between two such names', () => {
		const before = schemaWith([prototypeEntity('constructor', ['constructor'])])
		const after = schemaWith([prototypeEntity('__proto__', ['constructor'])])
		expect(diffSchemas(before, after).renameCandidates).toEqual([{ kind: 'entity', from: 'constructor', to: ['__proto__'] }])
		const renamed = diffSchemas(before, after, { renames: JSON.parse('{"constructor":"__proto__"}') as Record<string, string> })
		expect(renamed.modifications.map(it => it.modification)).toEqual(['updateEntityName'])
		replays(before, after, renamed.modifications)

		const fieldBefore = schemaWith([prototypeEntity('Post', ['toString'])])
		const fieldAfter = schemaWith([prototypeEntity('Post', ['hasOwnProperty'])])
		expect(diffSchemas(fieldBefore, fieldAfter).renameCandidates).toEqual([{ kind: 'field', entityName: 'Post', from: 'toString', to: ['hasOwnProperty'] }])
		const fieldRenamed = diffSchemas(fieldBefore, fieldAfter, { renames: { 'Post.toString': 'hasOwnProperty' } })
		expect(fieldRenamed.modifications.map(it => it.modification)).toEqual(['updateFieldName'])
		replays(fieldBefore, fieldAfter, fieldRenamed.modifications)
	})

	it('amend keeps a rename answer keyed __proto__', () => {
		const before = schemaWith([prototypeEntity('__proto__', ['constructor'])])
		const after = schemaWith([prototypeEntity('constructor', ['constructor'])])
		const split = splitRenameAnswers(JSON.parse('{"__proto__":"constructor"}') as Record<string, string>, [], { original: before, updated: after })
		expect(Object.hasOwn(split.local, '__proto__')).toBe(true)
		expect(Object.getOwnPropertyDescriptor(split.local, '__proto__')?.value).toBe('constructor')
	})

	it('a trigger or target of such a name that is not there cannot be removed', () => {
		for (const name of NAMES) {
			expect(() => applyModifications(emptySchema, [{ modification: 'removeTrigger', name }], FORMAT_VERSION_LATEST)).toThrow(/Trigger .* not found/)
			expect(() => applyModifications(emptySchema, [{ modification: 'removeTarget', name }], FORMAT_VERSION_LATEST)).toThrow(/Target .* not found/)
		}
	})

	it('finds nothing between the schema and itself', () => {
		expect(diffSchemas(full, parsed(full)).modifications).toEqual([])
	})
})
