/**
 * One migration per kind of answer a diff takes (renames of entities, fields, columns and
 * enums; fill values and copies for new NOT NULL columns, for columns and relations made NOT
 * NULL; the conversion of a type change PostgreSQL cannot cast), on a base schema whose tables
 * hold rows. Shared by the amend planning tests and the
 * tests that execute the amended files on PostgreSQL.
 */
import { diffSchemas, type DiffOptions } from '../../../src/diff/diffSchemas.js'
import type { Modification } from '../../../src/modifications/types.js'
import { parseMigration, serializeMigration, type MigrationFile } from '../../../src/migrations/files.js'
import { withConversions, type ConversionAnswers } from '../../../src/diff/conversions.js'
import { markedExtension } from '../../../src/migrations/strataOnly.js'
import type { Schema } from '../../../src/schema/model.js'
import { entity, schemaOf } from './project.js'

/** a schema under edit: plain mutable JSON */
interface Draft {
	model: { enums: Record<string, string[]>; entities: Record<string, { name: string; tableName: string; fields: Record<string, Record<string, unknown>> }> }
}

/** a deep copy of `schema` changed by `change` */
export const edit = (schema: Schema, change: (draft: Draft) => void): Schema => {
	const draft = structuredClone(schema) as unknown as Draft
	change(draft)
	return draft as unknown as Schema
}

export const AUTHOR_ID = '0b7c8d2e-1f3a-4c5b-8d6e-7f8091a2b3c4'

/** Post (title, lead, mood: Mood, author → Author), Tag (label, votes), Author (name) */
export const baseSchema = (): Schema =>
	edit(schemaOf(entity('Post', { title: {}, lead: {} }), entity('Tag', { label: {}, votes: { type: 'Integer' } }), entity('Author', { name: {} })), d => {
		d.model.enums = { Mood: ['happy', 'sad'] }
		d.model.entities.Post!.fields.mood = { name: 'mood', columnName: 'mood', type: 'Enum', columnType: 'Mood', nullable: true }
		d.model.entities.Post!.fields.author = { name: 'author', type: 'ManyHasOne', target: 'Author', nullable: true, joiningColumn: { columnName: 'author_id', onDelete: 'restrict' } }
	})

/** rows for the base tables: one post misses its title and its author */
export const baseRows = [
	`INSERT INTO author (id, name) VALUES ('${AUTHOR_ID}', 'Ann')`,
	`INSERT INTO post (id, title, lead, mood, author_id) VALUES ('11111111-1111-4111-8111-111111111111', 'Hello', 'First lead', 'happy', '${AUTHOR_ID}')`,
	`INSERT INTO post (id, title, lead, mood, author_id) VALUES ('22222222-2222-4222-8222-222222222222', NULL, 'Second lead', 'sad', NULL)`,
	`INSERT INTO tag (id, label, votes) VALUES ('33333333-3333-4333-8333-333333333333', 'news', 7)`,
]

export interface AnswerKind {
	readonly name: string
	/** the declared schema the target migration was diffed to */
	readonly declared: Schema
	/** what the author answered when diffing it */
	readonly answers: Pick<DiffOptions, 'renames' | 'fills'> & { readonly conversions?: ConversionAnswers }
	/** the answer, as it shows in a migration's modifications */
	readonly held: (modifications: readonly Modification[]) => boolean
}

const has = (wanted: Record<string, unknown>) => (modifications: readonly Modification[]) =>
	modifications.some(mod => Object.entries(wanted).every(([key, value]) => JSON.stringify(key === 'field' ? (mod.field as { name?: string })?.name : mod[key]) === JSON.stringify(value)))

const notNull = (d: Draft, entityName: string, field: string, extra: Record<string, unknown> = {}) => {
	d.model.entities[entityName]!.fields[field] = { name: field, columnName: field, type: 'String', columnType: 'text', nullable: false, ...extra }
}

export const answerKinds = (): AnswerKind[] => {
	const base = baseSchema()
	return [
		{
			name: 'field rename',
			declared: edit(base, d => {
				const { lead, ...rest } = d.model.entities.Post!.fields
				d.model.entities.Post!.fields = { ...rest, summary: { ...lead, name: 'summary', columnName: 'summary' } }
			}),
			answers: { renames: { 'Post.lead': 'summary' } },
			held: has({ modification: 'updateFieldName', entityName: 'Post', fieldName: 'lead', newFieldName: 'summary' }),
		},
		{
			name: 'entity rename',
			declared: edit(base, d => {
				const { Tag, ...rest } = d.model.entities
				d.model.entities = { ...rest, Label: { ...Tag!, name: 'Label', tableName: 'label' } }
			}),
			answers: { renames: { Tag: 'Label' } },
			held: has({ modification: 'updateEntityName', entityName: 'Tag', newEntityName: 'Label' }),
		},
		{
			name: 'column rename',
			declared: edit(base, d => { d.model.entities.Post!.fields.title!.columnName = 'heading' }),
			answers: {},
			held: has({ modification: 'updateColumnName', entityName: 'Post', fieldName: 'title', columnName: 'heading' }),
		},
		{
			name: 'enum rename',
			declared: edit(base, d => {
				d.model.enums = { Feeling: ['happy', 'sad'] }
				d.model.entities.Post!.fields.mood!.columnType = 'Feeling'
			}),
			answers: {},
			held: mods => has({ modification: 'createEnum', enumName: 'Feeling' })(mods) && has({ modification: 'updateColumnDefinition', entityName: 'Post', fieldName: 'mood' })(mods)
				&& !mods.some(mod => mod.modification === 'removeField'),
		},
		{
			name: 'fill value of a new NOT NULL column',
			declared: edit(base, d => notNull(d, 'Tag', 'color')),
			answers: { fills: { 'Tag.color': { value: 'grey' } } },
			held: has({ modification: 'createColumn', entityName: 'Tag', field: 'color', fillValue: 'grey' }),
		},
		{
			name: 'copy into a new NOT NULL column',
			declared: edit(base, d => notNull(d, 'Tag', 'slug')),
			answers: { fills: { 'Tag.slug': { copy: 'label' } } },
			held: has({ modification: 'createColumn', entityName: 'Tag', field: 'slug', copyValue: 'label' }),
		},
		{
			name: 'fill value of a column made NOT NULL',
			declared: edit(base, d => { d.model.entities.Post!.fields.title!.nullable = false }),
			answers: { fills: { 'Post.title': { value: 'untitled' } } },
			held: has({ modification: 'updateColumnDefinition', entityName: 'Post', fieldName: 'title', fillValue: 'untitled' }),
		},
		{
			name: 'fill value of a relation made NOT NULL',
			declared: edit(base, d => { d.model.entities.Post!.fields.author!.nullable = false }),
			answers: { fills: { 'Post.author': { value: AUTHOR_ID } } },
			held: has({ modification: 'makeRelationNotNull', entityName: 'Post', fieldName: 'author', fillValue: AUTHOR_ID }),
		},
		{
			name: 'conversion of a type change PostgreSQL cannot cast',
			declared: edit(base, d => { Object.assign(d.model.entities.Tag!.fields.votes!, { type: 'Uuid', columnType: 'uuid' }) }),
			answers: { conversions: { 'Tag.votes': 'md5("votes"::text)::uuid' } },
			held: has({ modification: 'updateColumnDefinition', entityName: 'Tag', fieldName: 'votes', conversion: 'md5("votes"::text)::uuid' }),
		},
	]
}

/** the declared schema after the n-th further edit: a new entity Extra<n> each time (n = 1, 2, …) */
export const furtherEdit = (declared: Schema, n: number): Schema =>
	edit(declared, d => {
		for (let i = 1; i <= n; i++) d.model.entities[`Extra${i}`] = entity(`Extra${i}`, { note: {} }) as unknown as Draft['model']['entities'][string]
	})

export const migrationFile = (name: string, modifications: readonly Modification[]): MigrationFile => {
	const strata = markedExtension(undefined, modifications)
	return parseMigration(name, serializeMigration({ formatVersion: 6, modifications: [...modifications], ...(strata ? { strata } : {}) }))
}

/** init (the base schema) and the target migration diffed with the kind's answers */
export const historyFor = (kind: AnswerKind): MigrationFile[] => {
	const base = baseSchema()
	const init = diffSchemas(schemaOf(), base).modifications
	const target = diffSchemas(base, kind.declared, kind.answers)
	const converted = withConversions(base, target.modifications, 6, kind.answers.conversions ?? {})
	return [migrationFile('2024-01-01-000000-init', init), migrationFile('2024-01-02-000000-target', converted)]
}
