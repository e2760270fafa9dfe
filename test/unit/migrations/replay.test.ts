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
