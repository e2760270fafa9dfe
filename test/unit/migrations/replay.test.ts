/**
 * Replay through the file layer: the real Contember histories read from disk replay to their
 * expected schemas; failures name the file, modification index and id; skippedErrors apply.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readMigrations, parseMigration, type MigrationFile } from '../../../src/migrations/files.js'
import { MigrationReplayError, replay, validateHistory } from '../../../src/migrations/replay.js'
import { schemaDifferences } from '../../../src/schema/compare.js'
import { emptySchema } from '../../../src/schema/model.js'
import { loadHistories } from '../../helpers/conformance.js'

const histories = loadHistories()

describe('real histories', () => {
	it.each(histories.filter(it => !it.expectedFailure).map(it => [it.name, it] as const))('%s replays to its expected schema', async (_name, history) => {
		const files = await readMigrations(join(history.dir, 'migrations'))
		expect(files.map(it => it.name)).toEqual(history.migrations.map(it => it.name))
		expect(schemaDifferences(history.expectedSchema, replay(files))).toEqual([])
	})

	it('pilsner fails naming the file, the modification index and id', async () => {
		const history = histories.find(it => it.expectedFailure)!
		const files = await readMigrations(join(history.dir, 'migrations'))
		const failure = history.expectedFailure!
		let error: unknown
		try {
			replay(files)
		} catch (caught) {
			error = caught
		}
		expect(error).toBeInstanceOf(MigrationReplayError)
		const replayError = error as MigrationReplayError
		expect(replayError.file).toBe(`${failure.migration}.json`)
		expect(replayError.modificationIndex).toBe(failure.modificationIndex)
		expect(replayError.modificationId).toBe('createRelationInverseSide')
		expect(replayError.message).toMatch(new RegExp(`^Migration ${failure.migration}\\.json cannot be replayed: modification #6 \\(createRelationInverseSide\\) failed: .*not found`, 'i'))
		expect(replayError.message).not.toMatch(/\n\s+at /)
	})

	it('pomahejukrajine validates with its skippedErrors', async () => {
		const history = histories.find(it => it.name.startsWith('cesko-digital'))!
		const files = await readMigrations(join(history.dir, 'migrations'))
		expect(files.some(it => it.skippedErrors?.length)).toBe(true)
		expect(validateHistory(files, { each: true }).problems).toEqual([])
	})
})

const file = (name: string, content: object): MigrationFile => parseMigration(name, JSON.stringify(content))
const createEntity = (name: string) => ({
	modification: 'createEntity',
	entity: { name, primary: 'id', primaryColumn: 'id', tableName: name.toLowerCase(), fields: { id: { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false } }, unique: [], indexes: [], eventLog: { enabled: true } },
})

describe('replay options', () => {
	const files = [
		file('2024-01-01-000000-a', { formatVersion: 6, modifications: [createEntity('A')] }),
		file('2024-01-02-000000-b', { formatVersion: 6, modifications: [createEntity('B')] }),
		file('2024-01-03-000000-c', { formatVersion: 6, modifications: [createEntity('C')] }),
	]
	const entities = (schema: { model: { entities: object } }) => Object.keys(schema.model.entities)

	it('replays all, until (inclusive) and before (exclusive), by version or name', () => {
		expect(entities(replay(files))).toEqual(['A', 'B', 'C'])
		expect(entities(replay(files, { until: '2024-01-02-000000' }))).toEqual(['A', 'B'])
		expect(entities(replay(files, { before: '2024-01-02-000000-b' }))).toEqual(['A'])
		expect(entities(replay([]))).toEqual([])
	})

	it('starts from a given schema', () => {
		const initial = replay(files.slice(0, 1))
		expect(entities(replay(files.slice(1), { initial }))).toEqual(['A', 'B', 'C'])
		expect(replay([], { initial })).toBe(initial)
		expect(replay([])).toBe(emptySchema)
	})

	it('names file, index and id when a modification does not apply', () => {
		const broken = [...files, file('2024-01-04-000000-d', { formatVersion: 6, modifications: [createEntity('D'), { modification: 'removeEntity', entityName: 'Nope' }] })]
		expect(() => replay(broken)).toThrow(/^Migration 2024-01-04-000000-d\.json cannot be replayed: modification #1 \(removeEntity\) failed: .*Nope/)
	})

	it('uses each file\'s own formatVersion', () => {
		const post = createEntity('Post').entity
		const entity = { ...post, fields: { ...post.fields, title: { name: 'title', columnName: 'title', type: 'String', columnType: 'text', nullable: true } }, unique: [{ fields: ['title'] }] }
		const uniqueAfterRename = (formatVersion: number) => {
			const schema = replay([
				file('2024-01-01-000000-a', { formatVersion: 6, modifications: [{ modification: 'createEntity', entity }] }),
				file('2024-01-02-000000-b', { formatVersion, modifications: [{ modification: 'updateFieldName', entityName: 'Post', fieldName: 'title', newFieldName: 'headline' }] }),
			])
			return schema.model.entities.Post!.unique.map(it => it.fields)
		}
		// format 2 started renaming the field inside unique constraints
		expect(uniqueAfterRename(1)).toEqual([['title']])
		expect(uniqueAfterRename(2)).toEqual([['headline']])
	})
})

describe('skippedErrors', () => {
	const invalid = { modification: 'createEnum', enumName: 'Color', values: ['red', 'red'] }
	const fix = { modification: 'updateEnum', enumName: 'Color', values: ['red'] }
	const history = (skips?: object[], fixIt = true) => [
		file('2024-01-01-000000-a', { formatVersion: 6, modifications: [invalid], ...(skips ? { skippedErrors: skips } : {}) }),
		file('2024-01-02-000000-b', { formatVersion: 6, modifications: fixIt ? [fix] : [] }),
	]

	it('reports a problem with the first migration that produced it', () => {
		const { problems } = validateHistory(history(), { each: true })
		expect(problems).toHaveLength(1)
		expect(problems[0]).toMatchObject({ file: '2024-01-01-000000-a.json', code: 'MODEL_DUPLICATE_ENUM_VALUE' })
		expect(problems[0]!.message).toMatch(/^the schema after this migration is invalid: /)
	})

	it('a skip covers its own migration; skipUntil extends it', () => {
		expect(validateHistory(history([{ code: 'MODEL_DUPLICATE_ENUM_VALUE' }]), { each: true }).problems).toEqual([])
		const lingering = validateHistory(history([{ code: 'MODEL_DUPLICATE_ENUM_VALUE' }], false), { each: true }).problems
		expect(lingering.map(it => it.file)).toEqual(['2024-01-02-000000-b.json'])
		expect(validateHistory(history([{ code: 'MODEL_DUPLICATE_ENUM_VALUE', skipUntil: '2024-01-02-000000' }], false), { each: true }).problems).toEqual([])
	})

	it('a skip with a path only covers that path', () => {
		expect(validateHistory(history([{ code: 'MODEL_DUPLICATE_ENUM_VALUE', path: 'model.enums.Other' }]), { each: true }).problems).toHaveLength(1)
	})

	it('by default validates the final schema and attributes each problem by bisection', () => {
		expect(validateHistory(history(), {}).problems).toEqual([])
		const final = validateHistory([...history(undefined, false), file('2024-01-03-000000-c', { formatVersion: 6, modifications: [] })], {}).problems
		expect(final).toHaveLength(1)
		expect(final[0]).toMatchObject({ file: '2024-01-01-000000-a.json', code: 'MODEL_DUPLICATE_ENUM_VALUE' })
		expect(final[0]!.message).toMatch(/^the schema after this migration is invalid: /)
		expect(validateHistory(history([{ code: 'MODEL_DUPLICATE_ENUM_VALUE', skipUntil: '2024-01-02-000000' }], false), {}).problems).toEqual([])
	})

	it('validates the initial schema of an empty history', () => {
		expect(validateHistory([], {}).problems).toEqual([])
	})
})

describe('conflicts: creating what exists, removing what does not', () => {
	const column = (name: string, columnType = 'text', type = 'String') => ({ name, columnName: name, type, columnType, nullable: true })
	const addColumn = (entityName: string, field: object) => ({ modification: 'createColumn', entityName, field })
	const base = file('2024-01-01-000000-init', { formatVersion: 6, modifications: [createEntity('Tag'), addColumn('Tag', column('weight', 'integer', 'Integer'))] })
	const conflictOf = (files: MigrationFile[]): MigrationReplayError => {
		try {
			replay(files)
		} catch (error) {
			expect(error).toBeInstanceOf(MigrationReplayError)
			return error as MigrationReplayError
		}
		throw new Error('replay did not fail')
	}

	it('a second createColumn of a field (another type) names both migrations', () => {
		const rebased = file('2024-01-02-000000-weight', { formatVersion: 6, modifications: [addColumn('Tag', column('label')), addColumn('Tag', column('weight', 'double precision', 'Double'))] })
		const error = conflictOf([base, rebased])
		expect(error.code).toBe('REPLAY_OBJECT_EXISTS')
		expect([error.file, error.modificationIndex, error.modificationId]).toEqual(['2024-01-02-000000-weight.json', 1, 'createColumn'])
		expect(error.conflict).toEqual({
			code: 'REPLAY_OBJECT_EXISTS',
			object: { kind: 'field', entityName: 'Tag', fieldName: 'weight' },
			path: 'model.entities.Tag.fields.weight',
			origin: { file: '2024-01-01-000000-init.json', modificationIndex: 1, modificationId: 'createColumn' },
		})
		expect(error.message).toBe(
			'Migration 2024-01-02-000000-weight.json cannot be replayed: modification #1 (createColumn) failed: Field Tag::weight already exists; '
				+ 'field Tag.weight was created by 2024-01-01-000000-init.json, modification #1 (createColumn)',
		)
	})

	it('names the latest creator: a rename into the name, or an earlier modification of the same migration', () => {
		const renamed = file('2024-01-02-000000-rename', { formatVersion: 6, modifications: [addColumn('Tag', column('label')), { modification: 'updateFieldName', entityName: 'Tag', fieldName: 'label', newFieldName: 'title' }] })
		const twice = file('2024-01-03-000000-twice', { formatVersion: 6, modifications: [addColumn('Tag', column('title'))] })
		expect(conflictOf([base, renamed, twice]).conflict?.origin).toEqual({ file: '2024-01-02-000000-rename.json', modificationIndex: 1, modificationId: 'updateFieldName' })
		const same = file('2024-01-02-000000-same', { formatVersion: 6, modifications: [addColumn('Tag', column('label')), addColumn('Tag', column('label'))] })
		expect(conflictOf([base, same]).conflict?.origin).toEqual({ file: '2024-01-02-000000-same.json', modificationIndex: 0, modificationId: 'createColumn' })
	})

	const post = createEntity('Post').entity
	const view = { ...createEntity('Stats').entity, view: { sql: 'SELECT 1 AS id' } }
	const inverse = { name: 'posts', type: 'OneHasMany', target: 'Post', ownedBy: 'tag' }
	const owning = { name: 'tag', type: 'ManyHasOne', target: 'Tag', nullable: true, joiningColumn: { columnName: 'tag_id', onDelete: 'restrict' } }
	it.each([
		['createEntity', [createEntity('Post')], { kind: 'entity', entityName: 'Post' }, 'model.entities.Post'],
		['createView', [{ modification: 'createView', entity: view }], { kind: 'view', entityName: 'Stats' }, 'model.entities.Stats'],
		['createEnum', [{ modification: 'createEnum', enumName: 'Color', values: ['blue'] }], { kind: 'enum', enumName: 'Color' }, 'model.enums.Color'],
		['createUniqueConstraint (the name does not count)', [{ modification: 'createUniqueConstraint', entityName: 'Tag', unique: { fields: ['weight'], name: 'other' } }],
			{ kind: 'unique', entityName: 'Tag', unique: { fields: ['weight'], name: 'other' } }, 'model.entities.Tag.unique'],
		['createIndex (the name does not count)', [{ modification: 'createIndex', entityName: 'Tag', index: { fields: ['weight'], name: 'other' } }],
			{ kind: 'index', entityName: 'Tag', index: { fields: ['weight'], name: 'other' } }, 'model.entities.Tag.indexes'],
		['createRelation (its inverse side)', [{ modification: 'createRelation', entityName: 'Post', owningSide: { ...owning, name: 'mainTag', inversedBy: 'posts' }, inverseSide: { ...inverse, ownedBy: 'mainTag' } }],
			{ kind: 'field', entityName: 'Tag', fieldName: 'posts' }, 'model.entities.Tag.fields.posts'],
		['createRelationInverseSide', [{ modification: 'createRelationInverseSide', entityName: 'Tag', relation: inverse }], { kind: 'field', entityName: 'Tag', fieldName: 'posts' }, 'model.entities.Tag.fields.posts'],
	])('%s of an existing object is refused', (_what, again, object, path) => {
		const earlier = file('2024-01-02-000000-earlier', {
			formatVersion: 6,
			modifications: [
				{ modification: 'createEntity', entity: post },
				{ modification: 'createView', entity: view },
				{ modification: 'createEnum', enumName: 'Color', values: ['red'] },
				{ modification: 'createUniqueConstraint', entityName: 'Tag', unique: { fields: ['weight'] } },
				{ modification: 'createIndex', entityName: 'Tag', index: { fields: ['weight'], name: 'tag_weight' } },
				{ modification: 'createRelation', entityName: 'Post', owningSide: owning },
				{ modification: 'createRelationInverseSide', entityName: 'Tag', relation: inverse },
			],
		})
		const error = conflictOf([base, earlier, file('2024-01-03-000000-again', { formatVersion: 6, modifications: again })])
		expect(error.code).toBe('REPLAY_OBJECT_EXISTS')
		expect(error.conflict).toMatchObject({ object, path })
		expect(error.conflict?.origin?.file).toBe('2024-01-02-000000-earlier.json')
		expect(error.message).toMatch(/already exists; .* was created by 2024-01-02-000000-earlier\.json, modification #\d \(\w+\)$/)
	})

	it('removing or changing what an earlier migration removed names that migration', () => {
		const drop = file('2024-01-02-000000-drop', { formatVersion: 6, modifications: [{ modification: 'removeField', entityName: 'Tag', fieldName: 'weight' }] })
		const change = file('2024-01-03-000000-change', { formatVersion: 6, modifications: [{ modification: 'updateColumnDefinition', entityName: 'Tag', fieldName: 'weight', definition: { type: 'Double', columnType: 'double precision', nullable: true } }] })
		const error = conflictOf([base, drop, change])
		expect(error.code).toBe('REPLAY_OBJECT_MISSING')
		expect(error.message).toMatch(/failed: Field Tag::weight not found; field Tag\.weight was removed by 2024-01-02-000000-drop\.json, modification #0 \(removeField\)$/)
		const index = { modification: 'createIndex', entityName: 'Tag', index: { fields: ['weight'], method: 'hash' } }
		const dropIndex = { modification: 'removeIndex', entityName: 'Tag', fields: ['weight'], method: 'hash' }
		const indexGone = conflictOf([base, file('2024-01-02-000000-index', { formatVersion: 6, modifications: [index, dropIndex] }), file('2024-01-03-000000-drop-again', { formatVersion: 6, modifications: [dropIndex] })])
		expect(indexGone.code).toBe('REPLAY_OBJECT_MISSING')
		expect(indexGone.conflict?.origin).toEqual({ file: '2024-01-02-000000-index.json', modificationIndex: 1, modificationId: 'removeIndex' })
		const never = conflictOf([base, file('2024-01-02-000000-enum', { formatVersion: 6, modifications: [{ modification: 'removeEnum', enumName: 'Nope' }] })])
		expect([never.code, never.conflict?.origin]).toEqual(['REPLAY_OBJECT_MISSING', undefined])
		expect(never.message).toMatch(/failed: Enum Nope not found$/)
	})

	describe('skippedErrors naming REPLAY_OBJECT_EXISTS (an executed history that relied on the overwrite)', () => {
		const again = (skips?: object[]) => file('2024-01-02-000000-again', {
			formatVersion: 6,
			modifications: [addColumn('Tag', column('weight', 'double precision', 'Double')), { modification: 'createIndex', entityName: 'Tag', index: { fields: ['weight'] } }, { modification: 'createIndex', entityName: 'Tag', index: { fields: ['weight'] } }],
			...(skips ? { skippedErrors: skips } : {}),
		})

		it('replay as Contember does: the later definition wins, duplicates are not kept', () => {
			const schema = replay([base, again([{ code: 'REPLAY_OBJECT_EXISTS' }])])
			expect(schema.model.entities.Tag!.fields.weight).toMatchObject({ type: 'Double', columnType: 'double precision' })
			expect(schema.model.entities.Tag!.indexes).toEqual([{ fields: ['weight'] }])
			expect(validateHistory([base, again([{ code: 'REPLAY_OBJECT_EXISTS' }])], { each: true }).problems).toEqual([])
		})

		it('a path limits the skip to that object; without a skip validateHistory throws the conflict', () => {
			const onlyField = again([{ code: 'REPLAY_OBJECT_EXISTS', path: 'model.entities.Tag.fields.weight' }])
			expect(conflictOf([base, onlyField]).conflict).toMatchObject({ path: 'model.entities.Tag.indexes', origin: { file: '2024-01-02-000000-again.json', modificationIndex: 1 } })
			expect(() => replay([base, again([{ code: 'REPLAY_OBJECT_EXISTS', path: '/model/entities/Tag/fields/weight' }, { code: 'REPLAY_OBJECT_EXISTS', path: 'model.entities.Tag.indexes' }])])).not.toThrow()
			expect(() => validateHistory([base, again()])).toThrow(/Field Tag::weight already exists; field Tag\.weight was created by 2024-01-01-000000-init\.json/)
		})

		it('skipUntil carries the skip to later migrations', () => {
			const later = file('2024-01-03-000000-later', { formatVersion: 6, modifications: [addColumn('Tag', column('weight'))] })
			const skipping = (skipUntil?: string) => file('2024-01-02-000000-skip', { formatVersion: 6, modifications: [], skippedErrors: [{ code: 'REPLAY_OBJECT_EXISTS', ...(skipUntil ? { skipUntil } : {}) }] })
			expect(() => replay([base, skipping(), later])).toThrow(MigrationReplayError)
			expect(replay([base, skipping('2024-01-03-000000'), later]).model.entities.Tag!.fields.weight).toMatchObject({ type: 'String' })
		})
	})
})
