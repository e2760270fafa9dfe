/**
 * Every schema the conformance material holds is valid for Contember, so strata must accept it:
 * each case's original/updated schema and each history's expected-schema.json.
 */
import { describe, expect, it } from 'vitest'
import { applyModifications } from '../../../src/modifications/fold.js'
import { type Schema, emptySchema } from '../../../src/schema/model.js'
import { validateSchema } from '../../../src/schema/validate.js'
import { loadConformanceCases, loadHistories } from '../../helpers/conformance.js'

const format = (problems: ReturnType<typeof validateSchema>) => problems.map(p => `${p.path}: ${p.message} [${p.code}]`)

describe.each(['contember', 'contember-v2.0.8'])('conformance cases in %s', folder => {
	const schemas = loadConformanceCases(folder).flatMap(({ group, cases }) =>
		cases.flatMap(c => (['original', 'updated'] as const).filter(k => c[k]).map(k => [`${group} › ${c.name} › ${k}`, c[k]] as const)),
	)

	it('holds schemas to check', () => {
		expect(schemas.length).toBeGreaterThan(100)
	})

	it.each(schemas)('%s', (_name, schema) => {
		expect(format(validateSchema(schema))).toEqual([])
	})
})

describe('history expected schemas', () => {
	const histories = loadHistories().filter(history => history.expectedSchema)

	it('holds histories to check', () => {
		expect(histories.length).toBeGreaterThanOrEqual(9)
	})

	it.each(histories.map(history => [history.name, history.expectedSchema] as const))('%s', (_name, schema) => {
		expect(format(validateSchema(schema))).toEqual([])
	})
})

describe('history intermediate schemas', () => {
	// Contember validates after every migration and finds nothing (pilsner's ACL aside, which
	// strata does not check): strata must not be stricter on any state a real project went through
	it.each(loadHistories().map(history => [history.name, history] as const))('%s', (_name, history) => {
		let schema: Schema = emptySchema
		for (const migration of history.migrations) {
			try {
				schema = applyModifications(schema, migration.modifications, migration.formatVersion)
			} catch {
				return // replay failures are the conformance suite's business
			}
			expect(format(validateSchema(schema)), migration.name).toEqual([])
		}
	})
})
