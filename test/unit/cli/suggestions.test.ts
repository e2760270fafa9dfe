/** Command-line suggestions (src/cli/optionTypes.ts), the --json error document (output.ts) and the migration resolver. */
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { commandSuggestion, firstCommandWord, optionSuggestions } from '../../../src/cli/optionTypes.js'
import { createOutput, errorDocument, reportError, UsageError, withJsonDetails } from '../../../src/cli/output.js'
import { resolveUntil, selectUntil } from '../../../src/db/executor.js'
import type { ExecutableMigration } from '../../../src/db/status.js'
import { StrataError, ValidationError } from '../../../src/errors.js'

const commands = ['migrations:status', 'migrations:diff', 'migrations:execute', 'db:drift', 'schema:export', 'project:validate', 'migrations:snapshot', 'migrations:verify-snapshot']

describe('commandSuggestion', () => {
	it.each([
		['status', 'migrations:status'],
		['drift', 'db:drift'],
		['export', 'schema:export'],
		['validate', 'project:validate'],
		['diff', 'migrations:diff'],
		['migrations:stats', 'migrations:status'],
		['migration:execute', 'migrations:execute'],
		['snapshot', 'migrations:snapshot'],
	])('%s → %s', async (word, command) => {
		expect(await commandSuggestion(word, commands)).toBe(` Did you mean "${command}"?`)
	})

	it('nothing close: points to --help', async () => {
		expect(await commandSuggestion('frobnicate', commands)).toMatch(/strata --help/)
	})
})

describe('firstCommandWord', () => {
	it('skips global options and their values', () => {
		expect(firstCommandWord(['--cwd', 'x', '--json', 'status', '--check'])).toBe('status')
		expect(firstCommandWord(['--config=a.json', 'db:drift'])).toBe('db:drift')
		expect(firstCommandWord(['--json'])).toBeUndefined()
		expect(firstCommandWord(['--', 'x'])).toBeUndefined()
	})
})

describe('optionSuggestions', () => {
	const options = { key: { check: true, ignore: true, 'db-schema': true, dbSchema: true, help: true } }
	it('the closest declared option', async () => {
		expect(await optionSuggestions(['chek'], options)).toBe(' Did you mean --check?')
		expect(await optionSuggestions(['db-shema'], options)).toBe(' Did you mean --db-schema?')
		expect(await optionSuggestions(['zzzzzzzz'], options)).toBe('')
	})
})

describe('the --json error document', () => {
	const capture = () => {
		const chunks = { stdout: '', stderr: '' }
		const stream = (key: keyof typeof chunks) => new Writable({ write: (chunk, _encoding, done) => ((chunks[key] += String(chunk)), done()) })
		return { chunks, output: createOutput({ color: false, json: true }, { stdout: stream('stdout'), stderr: stream('stderr') }) }
	}

	it('has ok:false, the code, message, exit code, problems and attached details', () => {
		const error = withJsonDetails(new ValidationError('1 problem:', [{ file: 'a.json', path: '/modifications/0', message: 'bad' }], 'MIGRATION_INVALID'), { database: 'db' })
		expect(errorDocument(error, 1)).toEqual({ ok: false, error: { code: 'MIGRATION_INVALID', message: '1 problem:', exitCode: 1, problems: [{ file: 'a.json', path: '/modifications/0', message: 'bad' }], database: 'db' } })
		expect(errorDocument(new Error('boom'), 70)).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boom', exitCode: 70 } })
	})

	it('reportError prints it on stdout with --json, the text on stderr', () => {
		const { chunks, output } = capture()
		expect(reportError(new UsageError('Unknown argument: chek.'), output, {})).toBe(1)
		expect(JSON.parse(chunks.stdout)).toEqual({ ok: false, error: { code: 'USAGE', message: 'Unknown argument: chek.', exitCode: 1 } })
		expect(chunks.stderr).toContain('error: Unknown argument: chek.')
	})
})

describe('--until resolves a full name, a version or a unique label', () => {
	const migration = (name: string) => ({ name, version: name.slice(0, 17), formatVersion: 6, modifications: [], checksum: 'sha256:0' }) as ExecutableMigration
	const all = ['2024-01-01-120000-init', '2024-01-02-120000-add-tags', '2024-01-03-120000-posts', '2024-02-03-120000-posts'].map(migration)

	it.each([
		['2024-01-02-120000-add-tags', '2024-01-02-120000-add-tags'],
		['2024-01-02-120000-add-tags.json', '2024-01-02-120000-add-tags'],
		['2024-01-02-120000', '2024-01-02-120000-add-tags'],
		['add-tags', '2024-01-02-120000-add-tags'],
	])('%s', (until, name) => {
		expect(resolveUntil(all, until)).toBe(name)
		expect(selectUntil(all, until, all).map(it => it.name)).toEqual(['2024-01-01-120000-init', '2024-01-02-120000-add-tags'])
	})

	it('an ambiguous label lists the candidates; an unknown one suggests', () => {
		expect(() => resolveUntil(all, 'posts')).toThrow(/--until posts: "posts" names 2 migrations: 2024-01-03-120000-posts, 2024-02-03-120000-posts/)
		expect(() => resolveUntil(all, 'add-tag')).toThrow(StrataError)
		expect(() => resolveUntil(all, 'add-tag')).toThrow(/--until add-tag: Migration "add-tag" not found\. Did you mean 2024-01-02-120000-add-tags\?/)
	})
})
