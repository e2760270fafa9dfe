import { describe, expect, it } from 'vitest'
import { checkOptionTypes, type DeclaredOptions } from '../../../src/cli/optionTypes.js'

const declared: DeclaredOptions = {
	array: ['rename'],
	boolean: ['json', 'dry-run', 'help', 'version'],
	string: ['database-url', 'rename', 'project'],
	number: ['retries'],
	choices: { transaction: ['all', 'each'] },
	narg: { 'database-url': null },
	key: {},
}

const check = (argv: Record<string, unknown>, raw: string[] = []) => () => checkOptionTypes(argv, declared, raw)

describe('checkOptionTypes', () => {
	it('accepts single values, repeated repeatables and absent options', () => {
		expect(check({ 'database-url': 'postgresql://h/db', rename: ['a:b', 'c:d'], json: true, retries: 3, transaction: 'each' }, ['--json'])).not.toThrow()
		expect(check({}, [])).not.toThrow()
		expect(check({ json: false }, ['--json=false'])).not.toThrow()
	})

	it.each([
		['a repeated text option', { 'database-url': ['a', 'b'] }, [], /--database-url was given 2 times; give it once/],
		['a repeated choice', { transaction: ['all', 'each'] }, [], /--transaction was given 2 times/],
		['a repeated number', { retries: [1, 2] }, [], /--retries was given 2 times/],
		['a switch with a value', { json: false }, ['--json=maybe'], /--json is a switch/],
		['a switch with a value, camel-cased', { 'dry-run': false }, ['--dryRun=yes'], /--dry-run is a switch/],
		['a number that is not one', { retries: Number.NaN }, [], /--retries needs a number/],
		['a text option holding something else', { project: 5 }, [], /--project needs a text value/],
		['an empty value where one is required', { 'database-url': '' }, [], /--database-url needs a value/],
	])('refuses %s, naming the option and not the value', (_, argv, raw, message) => {
		expect(check(argv, raw)).toThrow(message)
		try {
			check(argv, raw)()
		} catch (error) {
			expect((error as Error).message).not.toMatch(/maybe|yes|\ba\b.*\bb\b/)
			expect((error as { exitCode?: number }).exitCode).toBe(1)
		}
	})
})
