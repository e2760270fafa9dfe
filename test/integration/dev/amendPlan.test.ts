/**
 * planAmend, pure: the amended content is a fresh diff from the schema before the target (so
 * reverted edits cancel out), the delta is what runs on the local database, and later
 * migrations must still replay to exactly the declared schema.
 */
import { describe, expect, it } from 'vitest'
import { diffSchemas } from '../../../src/diff/diffSchemas.js'
import { StrataError } from '../../../src/errors.js'
import { planAmend } from '../../../src/migrations/amend.js'
import { parseMigration, serializeMigration, type MigrationFile } from '../../../src/migrations/files.js'
import { replay } from '../../../src/migrations/replay.js'
import { schemaDifferences } from '../../../src/schema/compare.js'
import { answerKinds, baseSchema, edit, furtherEdit, historyFor, migrationFile } from './amendScenarios.js'
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

/** amends the latest migration of `files` to `declared`, returning the files as they are afterwards */
const amendLatest = (files: MigrationFile[], declared: ReturnType<typeof schemaOf>, answers?: Parameters<typeof planAmend>[3]) => {
	const plan = planAmend(files, declared, undefined, answers)
	if (plan.kind !== 'amend') throw new Error('expected an amendment')
	return { plan, files: [...files.slice(0, -1), migrationFile(plan.target.name, plan.amended)] }
}

describe('planAmend keeps the answers the migration holds', () => {
	for (const kind of answerKinds()) {
		it(`${kind.name}: survives one amend and a second one`, () => {
			const history = historyFor(kind)
			expect(kind.held(history[1]!.modifications)).toBe(true)
			const once = amendLatest(history, furtherEdit(kind.declared, 1))
			expect(kind.held(once.plan.amended)).toBe(true)
			const twice = amendLatest(once.files, furtherEdit(kind.declared, 2))
			expect(kind.held(twice.plan.amended)).toBe(true)
			expect(twice.plan.amended.filter(mod => mod.modification === 'createEntity').map(mod => (mod.entity as { name: string }).name)).toEqual(['Extra1', 'Extra2'])
			expect(schemaDifferences(furtherEdit(kind.declared, 2), replay(twice.files))).toEqual([])
			// what was carried is listed, and nothing is left unanswered
			const answered = [...Object.keys(kind.answers.renames ?? {}), ...Object.keys(kind.answers.fills ?? {})]
			expect([...twice.plan.carried.renames, ...twice.plan.carried.fills].map(it => it.key).sort()).toEqual(answered.sort())
			expect(twice.plan.renameCandidates).toEqual([])
			expect(twice.plan.missingFills).toEqual([])
		})
	}

	const leadRenamed = () => answerKinds().find(it => it.name === 'field rename')!
	const renameSummary = (schema: ReturnType<typeof baseSchema>, to: string) => edit(schema, d => {
		const { summary, ...rest } = d.model.entities.Post!.fields
		d.model.entities.Post!.fields = { ...rest, [to]: { ...summary, name: to, columnName: to } }
	})

	it('a carried rename follows a further rename in the new edits (lead → summary → abstract)', () => {
		const kind = leadRenamed()
		const { plan } = amendLatest(historyFor(kind), renameSummary(kind.declared, 'abstract'), { renames: { 'Post.summary': 'abstract' } })
		expect(plan.delta).toEqual([expect.objectContaining({ modification: 'updateFieldName', fieldName: 'summary', newFieldName: 'abstract' })])
		expect(plan.amended).toEqual([expect.objectContaining({ modification: 'updateFieldName', fieldName: 'lead', newFieldName: 'abstract' })])
		expect(plan.carried.renames).toEqual([{ key: 'Post.lead', to: 'abstract' }])
	})

	it('an answer named as before the target is translated to the local run (--rename Post.lead:abstract)', () => {
		const kind = leadRenamed()
		const { plan } = amendLatest(historyFor(kind), renameSummary(kind.declared, 'abstract'), { renames: { 'Post.lead': 'abstract' } })
		expect(plan.delta).toEqual([expect.objectContaining({ modification: 'updateFieldName', fieldName: 'summary', newFieldName: 'abstract' })])
		expect(plan.amended).toEqual([expect.objectContaining({ modification: 'updateFieldName', fieldName: 'lead', newFieldName: 'abstract' })])
	})

	it('the rename the target holds may be given again (--rename Post.lead:summary) without effect', () => {
		const kind = leadRenamed()
		const declared = furtherEdit(kind.declared, 1)
		const given = amendLatest(historyFor(kind), declared, { renames: { 'Post.lead': 'summary' } })
		expect(given.plan.amended).toEqual(amendLatest(historyFor(kind), declared).plan.amended)
		// with nothing else to do, giving it again changes nothing
		expect(planAmend(historyFor(kind), kind.declared, undefined, { renames: { 'Post.lead': 'summary' } }).kind).toBe('nothing-to-do')
	})

	it('a rename that fits neither the new edits nor the amended migration is refused, naming it', () => {
		const kind = leadRenamed()
		expect(() => planAmend(historyFor(kind), furtherEdit(kind.declared, 1), undefined, { renames: { 'Post.nothing': 'else' } }))
			.toThrow(/Rename Post.nothing → else does not apply/)
	})

	it('a drop + create in the target is an open candidate; answering it turns the migration into a rename', () => {
		const kind = leadRenamed()
		const [init] = historyFor(kind)
		const dropped = migrationFile('2024-01-02-000000-target', diffSchemas(baseSchema(), kind.declared).modifications)
		const declared = furtherEdit(kind.declared, 1)
		const open = amendLatest([init!, dropped], declared).plan
		expect(open.renameCandidates).toEqual([{ kind: 'field', entityName: 'Post', from: 'lead', to: ['summary'] }])
		expect(open.amended.map(mod => mod.modification)).toContain('removeField')
		const answered = amendLatest([init!, dropped], declared, { renames: { 'Post.lead': 'summary' } }).plan
		expect(answered.renameCandidates).toEqual([])
		expect(kind.held(answered.amended)).toBe(true)
		expect(answered.delta.map(mod => mod.modification)).toEqual(['createEntity', 'createColumn'])
		// with no schema edit, the answer alone rewrites the file (the local database already matches)
		const only = planAmend([init!, dropped], kind.declared, undefined, { renames: { 'Post.lead': 'summary' } })
		expect(only.kind === 'amend' && only.delta).toEqual([])
		expect(only.kind === 'amend' && kind.held(only.amended)).toBe(true)
	})

	it('a fill value the target lacks is taken for the amended migration (--fill Tag.color=grey)', () => {
		const kind = answerKinds().find(it => it.name === 'fill value of a new NOT NULL column')!
		const [init] = historyFor(kind)
		const unfilled = migrationFile('2024-01-02-000000-target', diffSchemas(baseSchema(), kind.declared).modifications)
		const declared = furtherEdit(kind.declared, 1)
		const open = amendLatest([init!, unfilled], declared).plan
		expect(open.missingFills.map(it => it.key)).toEqual(['Tag.color'])
		expect(open.fillable.map(it => it.key)).toEqual(['Tag.color'])
		const filled = amendLatest([init!, unfilled], declared, { fills: { 'Tag.color': { value: 'grey' } } }).plan
		expect(kind.held(filled.amended)).toBe(true)
		expect(filled.missingFills).toEqual([])
	})

	it('a --copy source that PostgreSQL cannot cast into the column is refused, naming the fields that can be copied', () => {
		const kind = answerKinds().find(it => it.name === 'fill value of a new NOT NULL column')!
		const [init] = historyFor(kind)
		const unfilled = migrationFile('2024-01-02-000000-target', diffSchemas(baseSchema(), kind.declared).modifications)
		const declared = furtherEdit(kind.declared, 1)
		// Tag.color is text: its id (uuid) casts into text and is offered, a missing field is not
		const refused = () => amendLatest([init!, unfilled], declared, { fillFlags: [{ key: 'Tag.color', kind: 'copy', text: 'nope' }] })
		expect(refused).toThrowError(/--copy Tag\.color=nope: Tag has no field "nope"\. It can be copied from .*label/)
		const copied = amendLatest([init!, unfilled], declared, { fillFlags: [{ key: 'Tag.color', kind: 'copy', text: 'label' }] }).plan
		expect(copied.amended).toEqual(expect.arrayContaining([expect.objectContaining({ modification: 'createColumn', copyValue: 'label' })]))
	})

	it('a carried fill follows a rename of its column and is dropped, and said so, when the column no longer needs one', () => {
		const kind = answerKinds().find(it => it.name === 'fill value of a new NOT NULL column')!
		const renamed = edit(kind.declared, d => {
			const { color, ...rest } = d.model.entities.Tag!.fields
			d.model.entities.Tag!.fields = { ...rest, colour: { ...color, name: 'colour', columnName: 'colour' } }
		})
		const followed = amendLatest(historyFor(kind), renamed, { renames: { 'Tag.color': 'colour' } }).plan
		expect(followed.amended).toEqual([expect.objectContaining({ modification: 'createColumn', field: expect.objectContaining({ name: 'colour' }), fillValue: 'grey' })])
		const nullable = edit(kind.declared, d => { d.model.entities.Tag!.fields.color!.nullable = true })
		const gone = amendLatest(historyFor(kind), nullable).plan
		expect(gone.amended).toEqual([expect.objectContaining({ modification: 'createColumn' })])
		expect(gone.amended[0]!.fillValue).toBeUndefined()
		expect(gone.carried.dropped).toEqual([{ answer: 'fill Tag.color = "grey"', reason: 'Tag.color needs no value for existing rows any more' }])
	})
})
