/**
 * Issue 9 item 3: each real history whose replay keeps legacy names on uniques and indexes
 * (files of formatVersion ≤ 4 named them, e.g. `unique_Form_slug_e3207a`) is in sync with its own
 * expected-schema.json, which holds the very same names. The differ must find nothing: no
 * removeIndexNames, no drop and re-add of a named unique. The spawned-CLI side of the same check
 * is test/cli/histories-in-sync.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { diffSchemas } from '../../src/diff/diffSchemas.js'
import { foldModifications } from '../../src/modifications/fold.js'
import { schemaDifferences } from '../../src/schema/compare.js'
import { emptySchema, type Schema } from '../../src/schema/model.js'
import { loadHistories } from '../helpers/conformance.js'

const histories = loadHistories().filter(history => history.expectedSchema)
const score = { pass: 0, total: 0 }

const replayHistory = (history: (typeof histories)[number]): Schema =>
	history.migrations.reduce((schema, migration) => foldModifications(schema, migration.modifications, { formatVersion: migration.formatVersion }).schema, emptySchema)

const namedConstraints = (schema: Schema) =>
	Object.values(schema.model.entities).reduce((count, entity) => count + [...entity.unique, ...entity.indexes].filter(it => it.name !== undefined).length, 0)

describe.each(histories)('$name', history => {
	it('diff(replay, expected-schema.json) is empty', () => {
		score.total++
		const replayed = replayHistory(history)
		expect(diffSchemas(replayed, history.expectedSchema!).modifications).toEqual([])
		score.pass++
	})
})

describe('legacy names', () => {
	it('most histories do carry named uniques, so the check above is not vacuous', () => {
		expect(histories.filter(history => namedConstraints(history.expectedSchema!) > 0).length).toBeGreaterThanOrEqual(7)
	})

	it('the replay keeps the names exactly (names are compared when asked)', () => {
		for (const history of histories) expect(schemaDifferences(history.expectedSchema, replayHistory(history), [], 50, { names: true })).toEqual([])
	})

	it('a schema that differs only by names is in sync, in both directions', () => {
		const history = histories.find(it => namedConstraints(it.expectedSchema!) > 0)!
		const named = history.expectedSchema!
		const entities = Object.fromEntries(Object.entries(named.model.entities).map(([name, entity]) => [
			name,
			{ ...entity, unique: entity.unique.map(({ name: _name, ...rest }) => rest), indexes: entity.indexes.map(({ name: _name, ...rest }) => rest) },
		]))
		const unnamed: Schema = { ...named, model: { ...named.model, entities } }
		expect(diffSchemas(named, unnamed).modifications).toEqual([])
		expect(diffSchemas(unnamed, named).modifications).toEqual([])
		expect(schemaDifferences(named, unnamed)).toEqual([])
		expect(schemaDifferences(named, unnamed, [], 50, { names: true })).not.toEqual([])
	})
})

afterAll(() => {
	console.log(`conformance (histories in sync with expected-schema.json): ${score.pass}/${score.total}`)
})
