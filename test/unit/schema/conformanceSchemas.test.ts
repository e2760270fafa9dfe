/**
 * Every schema the conformance material holds is valid for Contember, so strata must accept it:
 * each case's original/updated schema and each history's expected-schema.json.
 */
import { describe, expect, it } from 'vitest'
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
