/**
 * planAmend, pure: the amended content is a fresh diff from the schema before the target (so
 * reverted edits cancel out), the delta is what runs on the local database, and later
 * migrations must still replay to exactly the declared schema.
 */
import { describe, expect, it } from 'vitest'
import { StrataError } from '../../../src/errors.js'
import { planAmend } from '../../../src/migrations/amend.js'
import { parseMigration, serializeMigration, type MigrationFile } from '../../../src/migrations/files.js'
import { replay } from '../../../src/migrations/replay.js'
import { schemaDifferences } from '../../../src/schema/compare.js'
import { entity, schemaOf } from './project.js'

const file = (name: string, modifications: object[], formatVersion = 6): MigrationFile =>
	parseMigration(name, serializeMigration({ formatVersion, modifications: modifications as MigrationFile['modifications'] }))

const column = (entityName: string, name: string) => ({
	modification: 'createColumn',
	entityName,
	field: { name, columnName: name, type: 'String', columnType: 'text', nullable: true },
})
const idOnly = (name: string) => ({ ...entity(name), fields: { id: entity(name).fields.id } })

const init = file('2024-01-01-000000-init', [{ modification: 'createEntity', entity: idOnly('Post') }, column('Post', 'title')])
const addAB = file('2024-01-02-000000-add-ab', [column('Post', 'a'), column('Post', 'b')])
const addTag = file('2024-01-03-000000-add-tag', [{ modification: 'createEntity', entity: idOnly('Tag') }, column('Tag', 'label')])

const summary = (modifications: readonly { modification: string; [key: string]: unknown }[]) =>
	modifications.map(it => `${it.modification} ${String(it.entityName ?? '')}.${String((it.field as { name?: string } | undefined)?.name ?? it.fieldName ?? '')}`)

const amendOf = (files: MigrationFile[], declared: ReturnType<typeof schemaOf>, target?: string) => {
	const plan = planAmend(files, declared, target)
	if (plan.kind !== 'amend') throw new Error('expected an amendment')
	return plan
}

describe('planAmend', () => {
	it('a further edit: the delta is the edit, the amended migration holds both', () => {
		const plan = amendOf([init, addAB], schemaOf(entity('Post', { title: {}, a: {}, b: {}, c: {} })))
		expect(plan.target.name).toBe(addAB.name)
		expect(summary(plan.delta)).toEqual(['createColumn Post.c'])
		expect(summary(plan.amended)).toEqual(['createColumn Post.a', 'createColumn Post.b', 'createColumn Post.c'])
	})

	it('a partly reverted edit cancels out instead of adding and dropping', () => {
		const plan = amendOf([init, addAB], schemaOf(entity('Post', { title: {}, a: {}, c: {} })))
		expect(summary(plan.delta).sort()).toEqual(['createColumn Post.c', 'removeField Post.b'])
		expect(summary(plan.amended)).toEqual(['createColumn Post.a', 'createColumn Post.c'])
	})

	it('a fully reverted migration becomes empty', () => {
		const plan = amendOf([init, addAB], schemaOf(entity('Post', { title: {} })))
		expect(plan.amended).toEqual([])
		expect(summary(plan.delta).sort()).toEqual(['removeField Post.a', 'removeField Post.b'])
	})

	it('a named older migration with later ones: later files replay on top to the declared schema', () => {
		const declared = schemaOf(entity('Post', { title: {}, a: {}, b: {}, rating: {} }), entity('Tag', { label: {} }))
		const plan = amendOf([init, addAB, addTag], declared, 'add-ab')
		expect(plan.later.map(it => it.name)).toEqual([addTag.name])
		expect(summary(plan.amended)).toEqual(['createColumn Post.a', 'createColumn Post.b', 'createColumn Post.rating'])
		const amendedFile = file(addAB.name, [...plan.amended])
		expect(schemaDifferences(declared, replay([init, amendedFile, addTag]))).toEqual([])
	})

	it('refuses edits that only fit after a later migration', () => {
		// the new column belongs to Tag, which a later migration creates
		const declared = schemaOf(entity('Post', { title: {}, a: {}, b: {} }), entity('Tag', { label: {}, colour: {} }))
		expect(() => planAmend([init, addAB, addTag], declared, 'init')).toThrow(/Cannot amend 2024-01-01-000000-init: the new edits do not apply/)
	})

	it('refuses when a later migration no longer replays on top', () => {
		const declared = schemaOf(entity('Post', { title: {}, a: {}, b: {} }))
		expect(() => planAmend([init, addAB, addTag], declared, 'init')).toThrow(StrataError)
	})

	it('refuses a migration of an older formatVersion', () => {
		const old = file('2024-01-01-000000-init', init.modifications, 5)
		expect(() => planAmend([old], schemaOf(entity('Post', { title: {}, x: {} })))).toThrow(/formatVersion 5, older than the 6/)
	})

	it('nothing to do when the declared schema matches', () => {
		expect(planAmend([init, addAB], schemaOf(entity('Post', { title: {}, a: {}, b: {} }))).kind).toBe('nothing-to-do')
	})

	it('no migrations: nothing to amend', () => {
		expect(() => planAmend([], schemaOf(entity('Post')))).toThrow(/No migration to amend/)
	})
})
