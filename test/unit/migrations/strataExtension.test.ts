/**
 * strata's top-level `strata` key in a migration file (lint suppressions, the online marker): validated with errors
 * naming the file and the JSON path, kept by serializeMigration, outside the checksum.
 */
import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../../src/errors.js'
import { parseMigration } from '../../../src/migrations/parse.js'
import { serializeMigration } from '../../../src/migrations/format.js'

const modifications = [{ modification: 'createEnum', enumName: 'Color', values: ['red'] }]
const file = (strata: unknown) => JSON.stringify({ formatVersion: 6, modifications, strata })
const problems = (strata: unknown): string[] => {
	try {
		parseMigration('2024-05-01-120000-colors', file(strata))
	} catch (error) {
		expect(error).toBeInstanceOf(ValidationError)
		return (error as ValidationError).problems.map(it => `${it.file} ${it.path}: ${it.message}`)
	}
	throw new Error('expected the file to be refused')
}

describe('the strata extension of a migration file', () => {
	const strata = { lint: { allow: [{ code: 'L007', modification: 0, reason: 'the table has 200 rows' }, { code: 'L002', reason: 'quiet window' }] } }

	it('is read, written back by serializeMigration after skippedErrors, and round-trips', () => {
		const parsed = parseMigration('2024-05-01-120000-colors', file(strata))
		expect(parsed.strata).toEqual(strata)
		const text = serializeMigration({ ...parsed, skippedErrors: [{ code: 'X' }] })
		expect(Object.keys(JSON.parse(text))).toEqual(['formatVersion', 'modifications', 'skippedErrors', 'strata'])
		expect(serializeMigration(parseMigration('2024-05-01-120000-colors', text))).toBe(text)
	})

	it('is outside the checksum, so a suppression can be added to an executed migration', () => {
		const without = parseMigration('2024-05-01-120000-colors', JSON.stringify({ formatVersion: 6, modifications }))
		expect(parseMigration('2024-05-01-120000-colors', file(strata)).checksum).toBe(without.checksum)
		expect(serializeMigration(without)).not.toContain('strata')
	})

	it('refuses a bad suppression with the file name and the path of each problem', () => {
		expect(problems({ lint: { allow: [{ code: 'L007' }] } })).toEqual([
			'2024-05-01-120000-colors.json /strata/lint/allow/0/reason: required: a non-empty string saying why the finding is safe to accept here, got undefined',
		])
		expect(problems({ lint: { allow: [{ code: 'L999', reason: ' ', modification: -1, because: 'x' }] } })).toEqual([
			expect.stringContaining('/strata/lint/allow/0/code: unknown lint code "L999"'),
			expect.stringContaining('/strata/lint/allow/0/reason: required: a non-empty string'),
			expect.stringContaining('/strata/lint/allow/0/modification: expected the index of a modification in this file (an integer from 0), got -1'),
			expect.stringContaining('/strata/lint/allow/0/because: unexpected property; allowed are code, modification, reason.'),
		])
		expect(problems({ lint: { allow: {} } })).toEqual([expect.stringContaining('/strata/lint/allow: expected an array')])
		expect(problems({ lint: [], other: 1 })).toEqual([
			expect.stringContaining('/strata/other: unexpected property; allowed are lint, online, extensions, expandContract.'),
			expect.stringContaining('/strata/lint: expected an object { "allow": [...] }, got array'),
		])
		expect(problems('yes')).toEqual([expect.stringContaining('/strata: expected an object')])
		expect(problems({ online: 'yes' })).toEqual([expect.stringContaining('/strata/online: expected true or false')])
		expect(parseMigration('2024-05-01-120000-colors', file({ online: true })).strata).toEqual({ online: true })
	})

	it('other unknown top-level keys are still refused', () => {
		expect(() => parseMigration('2024-05-01-120000-colors', JSON.stringify({ formatVersion: 6, modifications, stratum: {} })))
			.toThrow(/\/stratum: unexpected property; a migration holds only formatVersion, modifications, skippedErrors and strata/)
	})
})
