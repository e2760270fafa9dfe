/**
 * A table of broken migration directories. Each case asserts that the report names the file,
 * the modification index (when there is one), the JSON path and what was expected, and that
 * no stack trace leaks into the message.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { formatProblem, ValidationError } from '../../../src/errors.js'
import { readMigrations } from '../../../src/migrations/files.js'

const F = '2024-05-01-120000-init.json'
const mods = (...items: unknown[]) => JSON.stringify({ formatVersion: 6, modifications: items }, null, '\t')
const column = { name: 'title', columnName: 'title', columnType: 'text', type: 'String', nullable: true }

interface BrokenCase {
	readonly name: string
	readonly files: Record<string, string>
	/** every expected problem: file, modification index, path, and a pattern for the expectation */
	readonly expect: readonly { file: string; index?: number; path: string; message: RegExp }[]
}

const cases: BrokenCase[] = [
	{ name: 'truncated JSON', files: { [F]: '{\n\t"formatVersion": 6,\n\t"modifications": [\n\t\t{ "modification": "createEnum"' }, expect: [{ file: F, path: '', message: /line 4, column 33: expected "," or "}", found end of file \(is the file truncated\?\)/ }] },
	{ name: 'trailing comma', files: { [F]: '{ "formatVersion": 6, "modifications": [], }' }, expect: [{ file: F, path: '', message: /line 1, column 44: .*trailing commas are not allowed/ }] },
	{ name: 'single-quoted strings', files: { [F]: "{ 'formatVersion': 6 }" }, expect: [{ file: F, path: '', message: /line 1, column 3: expected a string in double quotes, found "'"/ }] },
	{ name: 'empty file', files: { [F]: '' }, expect: [{ file: F, path: '', message: /the file is empty; expected a JSON object/ }] },
	{ name: 'two JSON values', files: { [F]: '{ "modifications": [] }\n{}' }, expect: [{ file: F, path: '', message: /line 2, column 1: expected end of file/ }] },
	{ name: 'top-level array', files: { [F]: '[]' }, expect: [{ file: F, path: '', message: /expected a JSON object .*got array/ }] },
	{ name: 'content migration', files: { [F]: '{ "query": "mutation { createPost }" }' }, expect: [{ file: F, path: '', message: /content migration .*schema migrations only/ }] },
	{ name: 'missing modifications', files: { [F]: '{ "formatVersion": 6 }' }, expect: [{ file: F, path: '/modifications', message: /missing; expected an array of modifications/ }] },
	{ name: 'modifications is an object', files: { [F]: '{ "formatVersion": 6, "modifications": {} }' }, expect: [{ file: F, path: '/modifications', message: /expected an array of modifications, got object/ }] },
	{ name: 'formatVersion too high', files: { [F]: '{ "formatVersion": 7, "modifications": [] }' }, expect: [{ file: F, path: '/formatVersion', message: /expected an integer from 1 to 6, got 7/ }] },
	{ name: 'formatVersion as a string', files: { [F]: '{ "formatVersion": "6", "modifications": [] }' }, expect: [{ file: F, path: '/formatVersion', message: /expected an integer from 1 to 6, got "6"/ }] },
	{ name: 'formatVersion fractional', files: { [F]: '{ "formatVersion": 2.5, "modifications": [] }' }, expect: [{ file: F, path: '/formatVersion', message: /got 2\.5/ }] },
	{ name: 'formatVersion zero', files: { [F]: '{ "formatVersion": 0, "modifications": [] }' }, expect: [{ file: F, path: '/formatVersion', message: /got 0/ }] },
	{
		name: 'misspelt top-level key',
		files: { [F]: '{ "formatVersion": 6, "modfications": [] }' },
		expect: [
			{ file: F, path: '/modfications', message: /unexpected property.*Did you mean "modifications"\?/ },
			{ file: F, path: '/modifications', message: /missing/ },
		],
	},
	{ name: 'modification is a string', files: { [F]: mods('createEntity') }, expect: [{ file: F, index: 0, path: '/modifications/0', message: /expected an object \{ "modification": "<id>", \.\.\. \}, got string/ }] },
	{ name: 'modification is null', files: { [F]: mods({ modification: 'createEnum', enumName: 'A', values: ['a'] }, null) }, expect: [{ file: F, index: 1, path: '/modifications/1', message: /got null/ }] },
	{ name: 'modification id missing', files: { [F]: mods({ enumName: 'A', values: ['a'] }) }, expect: [{ file: F, index: 0, path: '/modifications/0/modification', message: /missing the modification id/ }] },
	{ name: 'modification id not a string', files: { [F]: mods({ modification: 3 }) }, expect: [{ file: F, index: 0, path: '/modifications/0/modification', message: /expected a modification id \(string\), got integer/ }] },
	{ name: 'unknown id with a near match', files: { [F]: mods({ modification: 'createColum', entityName: 'Post', field: column }) }, expect: [{ file: F, index: 0, path: '/modifications/0/modification', message: /unknown modification "createColum"\. Did you mean "createColumn"/ }] },
	{ name: 'unknown id without a near match', files: { [F]: mods({ modification: 'dropEverythingNow' }) }, expect: [{ file: F, index: 0, path: '/modifications/0/modification', message: /unknown modification "dropEverythingNow"\. See docs\/modifications\.md/ }] },
	{ name: 'missing required field', files: { [F]: mods({ modification: 'createColumn', field: column }) }, expect: [{ file: F, index: 0, path: '/modifications/0/entityName', message: /createColumn: required property is missing \(expected string\)/ }] },
	{ name: 'wrong type of a field', files: { [F]: mods({ modification: 'createEnum', enumName: 'A', values: ['a'] }, { modification: 'updateFieldName', entityName: 'Post', fieldName: 3, newFieldName: 'b' }) }, expect: [{ file: F, index: 1, path: '/modifications/1/fieldName', message: /updateFieldName: expected string, got integer/ }] },
	{ name: 'array expected', files: { [F]: mods({ modification: 'createEnum', enumName: 'A', values: 'a,b' }) }, expect: [{ file: F, index: 0, path: '/modifications/0/values', message: /createEnum: expected array, got string/ }] },
	{ name: 'unexpected property', files: { [F]: mods({ modification: 'createEnum', enumName: 'A', values: ['a'], value: ['b'] }) }, expect: [{ file: F, index: 0, path: '/modifications/0/value', message: /createEnum: unexpected property \(allowed: enumName, values\)/ }] },
	{ name: 'wrong nested enum value', files: { [F]: mods({ modification: 'createColumn', entityName: 'Post', field: { ...column, type: 'Strin' } }) }, expect: [{ file: F, index: 0, path: '/modifications/0/field/type', message: /createColumn: .*"String"/ }] },
	{ name: 'skippedErrors not an array', files: { [F]: '{ "formatVersion": 6, "modifications": [], "skippedErrors": { "code": "X" } }' }, expect: [{ file: F, path: '/skippedErrors', message: /expected an array of \{ code, path\?, skipUntil\? \}, got object/ }] },
	{ name: 'skippedErrors entry without code', files: { [F]: '{ "formatVersion": 6, "modifications": [], "skippedErrors": [{ "path": "acl" }] }' }, expect: [{ file: F, path: '/skippedErrors/0/code', message: /expected a string \(a validation error code\), got undefined/ }] },
	{
		name: 'several problems in one file are all reported',
		files: { [F]: mods({ modification: 'createEnum', values: ['a'] }, 'x', { modification: 'nope' }) },
		expect: [
			{ file: F, index: 0, path: '/modifications/0/enumName', message: /required property is missing/ },
			{ file: F, index: 1, path: '/modifications/1', message: /got string/ },
			{ file: F, index: 2, path: '/modifications/2/modification', message: /unknown modification "nope"/ },
		],
	},
	{
		name: 'duplicate versions',
		files: { '2024-05-01-120000-a.json': mods(), '2024-05-01-120000-b.json': mods() },
		expect: [
			{ file: '2024-05-01-120000-a.json', path: '', message: /duplicate version 2024-05-01-120000: 2024-05-01-120000-b\.json has the same version/ },
			{ file: '2024-05-01-120000-b.json', path: '', message: /duplicate version 2024-05-01-120000: 2024-05-01-120000-a\.json/ },
		],
	},
	{ name: 'time with five digits', files: { '2024-05-01-12000-init.json': mods() }, expect: [{ file: '2024-05-01-12000-init.json', path: '', message: /not read as a migration: .*YYYY-MM-DD-HHMMSS-<label>\.json/ }] },
	{ name: 'no label', files: { '2024-05-01-120000.json': mods() }, expect: [{ file: '2024-05-01-120000.json', path: '', message: /not read as a migration/ }] },
	{ name: 'label with a space', files: { '2024-05-01-120000-add posts.json': mods() }, expect: [{ file: '2024-05-01-120000-add posts.json', path: '', message: /not read as a migration/ }] },
	{ name: 'impossible date', files: { '2024-02-30-120000-init.json': mods() }, expect: [{ file: '2024-02-30-120000-init.json', path: '', message: /"2024-02-30-120000" is not a valid date and time/ }] },
	{ name: 'underscore separator', files: { '2024_05_01_120000_init.json': mods() }, expect: [{ file: '2024_05_01_120000_init.json', path: '', message: /not read as a migration/ }] },
	{ name: 'BOM and CRLF are fine, but a bad value is still located', files: { [F]: '\ufeff{\r\n"formatVersion": 6,\r\n"modifications": [tru]\r\n}' }, expect: [{ file: F, path: '', message: /line 3, column 19: expected "true"/ }] },
]

const dirs: string[] = []
afterAll(() => Promise.all(dirs.map(dir => rm(dir, { recursive: true, force: true }))))

const readBroken = async (files: Record<string, string>): Promise<ValidationError> => {
	const dir = await mkdtemp(join(tmpdir(), 'strata-broken-'))
	dirs.push(dir)
	await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text)))
	try {
		await readMigrations(dir)
	} catch (error) {
		if (error instanceof ValidationError) return error
		throw error
	}
	throw new Error('expected a ValidationError')
}

describe('broken migration files', () => {
	it('has at least 25 cases', () => expect(cases.length).toBeGreaterThanOrEqual(25))

	it.each(cases)('$name', async ({ files, expect: expected }) => {
		const error = await readBroken(files)
		expect(error.problems).toHaveLength(expected.length)
		expected.forEach((want, i) => {
			const problem = error.problems.find(p => p.file === want.file && p.path === want.path && want.message.test(p.message))
			expect(problem, `problem ${i}: ${want.file} ${want.path} ${want.message} in\n${error.message}`).toBeDefined()
			expect(problem!.modificationIndex).toBe(want.index)
			const line = formatProblem(problem!)
			expect(line).toContain(want.file)
			if (want.path) expect(line).toContain(want.path)
			if (want.index !== undefined) expect(line).toContain(`modification #${want.index}`)
		})
		expect(error.message).not.toMatch(/\n\s+at /)
		expect(error.exitCode).toBe(1)
	})
})
