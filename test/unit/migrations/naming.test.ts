import { describe, expect, it } from 'vitest'
import { StrataError } from '../../../src/errors.js'
import { classifyFileName, didYouMean, isValidVersion, nearestMatches, nextVersion, normaliseLabel, validateLabel } from '../../../src/migrations/naming.js'
import { findMigration } from '../../../src/migrations/files.js'

describe('classifyFileName', () => {
	it.each([
		['2024-05-01-120000-add-posts.json', 'migration'],
		['2024-05-01-120000-a1.json', 'migration'],
		// Contember histories use such labels; they are read unchanged
		['2018-11-11-230152-whatWeDo.json', 'migration'],
		['2019-02-04-125934-add_missing.json', 'migration'],
		['snapshot.json', 'ignored'],
		['README.md', 'ignored'],
		['utils.ts', 'ignored'],
		['.2024-05-01-120000-x.json.123.tmp', 'ignored'],
		['.gitkeep', 'ignored'],
		['config.json', 'ignored'],
		['2024-05-01-120000-add-posts.ts', 'ignored'],
		['2024-05-01-1200-add.json', 'mistyped'],
		['20240501120000-add.json', 'mistyped'],
		['2024-05-01-120000.json', 'mistyped'],
		['2024-05-01-120000-add posts.json', 'mistyped'],
		['2024-13-01-120000-add.json', 'mistyped'],
	])('%s is %s', (name, kind) => expect(classifyFileName(name).kind).toBe(kind))

	it('splits name, version and label', () => {
		expect(classifyFileName('2024-05-01-120000-add-posts.json')).toEqual({ kind: 'migration', name: '2024-05-01-120000-add-posts', version: '2024-05-01-120000', label: 'add-posts' })
	})
})

describe('versions', () => {
	const now = new Date(Date.UTC(2024, 4, 1, 12, 0, 0))
	it('uses UTC', () => expect(nextVersion([], now)).toBe('2024-05-01-120000'))
	it('is strictly greater than every existing version', () => {
		expect(nextVersion(['2024-05-01-115959'], now)).toBe('2024-05-01-120000')
		expect(nextVersion(['2024-05-01-120000'], now)).toBe('2024-05-01-120001')
		expect(nextVersion(['2024-05-01-120000', '2030-12-31-235959'], now)).toBe('2031-01-01-000000')
	})
	it('checks real dates', () => {
		expect(isValidVersion('2024-02-29-235959')).toBe(true)
		expect(isValidVersion('2023-02-29-120000')).toBe(false)
		expect(isValidVersion('2024-05-01-246000')).toBe(false)
	})
})

describe('labels', () => {
	it.each(['add-posts', 'a', 'v2', 'add-2-columns'])('accepts %s', label => expect(validateLabel(label)).toBe(label))
	it.each([
		['Add Categories!', 'add-categories'],
		['addCategories', 'add-categories'],
		['add_categories', 'add-categories'],
		['add--categories', 'add-categories'],
		['-add-', 'add'],
		['Příspěvky', 'prispevky'],
	])('rejects %s, suggesting %s', (label, suggestion) => {
		expect(normaliseLabel(label)).toBe(suggestion)
		expect(() => validateLabel(label)).toThrow(StrataError)
		expect(() => validateLabel(label)).toThrow(`Use "${suggestion}" instead.`)
	})
	it('rejects a label with nothing to suggest', () => {
		expect(() => validateLabel('!!!')).toThrow(/Invalid migration name "!!!"/)
		expect(() => validateLabel('')).toThrow(/Invalid migration name ""/)
	})
})

describe('nearest matches', () => {
	it('finds typos', () => {
		expect(nearestMatches('createColum', ['createColumn', 'createEntity', 'removeField'])).toEqual(['createColumn'])
		expect(didYouMean('xyz', ['createColumn'])).toBe('')
		expect(didYouMean('removefield', ['removeField', 'removeEnum'])).toBe(' Did you mean "removeField"?')
	})
})

describe('findMigration', () => {
	const files = ['2024-05-01-120000-init', '2024-05-02-120000-add-posts', '2024-05-03-120000-add-tags'].map(name => ({ name, version: name.slice(0, 17), label: name.slice(18) }))
	it('finds by name, version, file name and label', () => {
		expect(findMigration(files, '2024-05-02-120000-add-posts').label).toBe('add-posts')
		expect(findMigration(files, '2024-05-02-120000').label).toBe('add-posts')
		expect(findMigration(files, 'migrations/2024-05-03-120000-add-tags.json').label).toBe('add-tags')
		expect(findMigration(files, 'init').label).toBe('init')
	})
	it('names near matches when not found', () => {
		expect(() => findMigration(files, 'add-post')).toThrow(/Migration "add-post" not found\. Did you mean .*2024-05-02-120000-add-posts/)
		expect(() => findMigration(files, '2024-06-01-000000')).toThrow(/not found/)
		expect(() => findMigration([], 'x')).toThrow(/There are no migrations/)
	})
	it('refuses an ambiguous label', () => {
		const twice = [...files, { name: '2024-05-04-120000-init', version: '2024-05-04-120000', label: 'init' }]
		expect(() => findMigration(twice, 'init')).toThrow(/names 2 migrations/)
	})
})
