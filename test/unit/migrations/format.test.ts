import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { StrataError } from '../../../src/errors.js'
import { listMigrationDir, migrationChecksum, parseMigration, readMigrations, serializeMigration, writeMigrationFile } from '../../../src/migrations/files.js'

const createEnum = { enumName: 'Color', modification: 'createEnum', values: ['red'] }

describe('serializeMigration', () => {
	it('writes tabs, modification first and a trailing newline', () => {
		const text = serializeMigration({ formatVersion: 6, modifications: [createEnum] })
		expect(text).toBe('{\n\t"formatVersion": 6,\n\t"modifications": [\n\t\t{\n\t\t\t"modification": "createEnum",\n\t\t\t"enumName": "Color",\n\t\t\t"values": [\n\t\t\t\t"red"\n\t\t\t]\n\t\t}\n\t]\n}\n')
	})
	it('round-trips through parseMigration', () => {
		const text = serializeMigration({ formatVersion: 6, modifications: [createEnum], skippedErrors: [{ code: 'X', path: 'acl' }] })
		const file = parseMigration('2024-05-01-120000-colors', text)
		expect(file).toMatchObject({ name: '2024-05-01-120000-colors', version: '2024-05-01-120000', label: 'colors', formatVersion: 6, skippedErrors: [{ code: 'X', path: 'acl' }] })
		expect(serializeMigration(file)).toBe(text)
	})
	it('reads a missing formatVersion as 1', () => {
		expect(parseMigration('2019-01-01-000000-old.json', '{"modifications":[]}').formatVersion).toBe(1)
	})
})

describe('migrationChecksum', () => {
	const base = { formatVersion: 6, modifications: [createEnum] }
	it('is sha256 over canonical JSON', () => expect(migrationChecksum(base)).toMatch(/^sha256:[0-9a-f]{64}$/))
	it('ignores key order and whitespace', () => {
		const reordered = parseMigration('x', '{ "modifications": [ { "values": ["red"], "enumName": "Color", "modification": "createEnum" } ],\n\n "formatVersion": 6 }')
		expect(reordered.checksum).toBe(migrationChecksum(base))
		expect(parseMigration('x', serializeMigration(base)).checksum).toBe(migrationChecksum(base))
	})
	it('changes with the meaning', () => {
		expect(migrationChecksum({ ...base, formatVersion: 5 })).not.toBe(migrationChecksum(base))
		expect(migrationChecksum({ ...base, modifications: [{ ...createEnum, values: ['red', 'blue'] }] })).not.toBe(migrationChecksum(base))
		expect(migrationChecksum({ ...base, modifications: [] })).not.toBe(migrationChecksum(base))
	})
	it('treats a missing formatVersion as 1, and ignores skippedErrors', () => {
		expect(parseMigration('x', '{"modifications":[]}').checksum).toBe(parseMigration('x', '{"formatVersion":1,"modifications":[]}').checksum)
		expect(parseMigration('x', '{"modifications":[],"skippedErrors":[{"code":"A"}]}').checksum).toBe(parseMigration('x', '{"modifications":[]}').checksum)
	})
})

describe('the migrations directory', () => {
	const dirs: string[] = []
	afterAll(() => Promise.all(dirs.map(dir => rm(dir, { recursive: true, force: true }))))
	const tempDir = async () => {
		const dir = await mkdtemp(join(tmpdir(), 'strata-store-'))
		dirs.push(dir)
		return dir
	}

	it('is empty when missing', async () => {
		expect(await readMigrations(join(await tempDir(), 'nope'))).toEqual([])
	})

	it('reads migrations sorted, ignoring snapshot.json and other files', async () => {
		const dir = await tempDir()
		const empty = serializeMigration({ formatVersion: 6, modifications: [] })
		for (const name of ['2024-05-02-000000-b.json', '2024-05-01-000000-a.json', 'snapshot.json', 'README.md', 'helpers.ts', '.hidden.json']) await writeFile(join(dir, name), name === 'snapshot.json' ? '{ "not": "a migration" }' : empty)
		const files = await readMigrations(dir)
		expect(files.map(it => it.name)).toEqual(['2024-05-01-000000-a', '2024-05-02-000000-b'])
		expect(files[0]!.path).toBe(join(dir, '2024-05-01-000000-a.json'))
	})

	it('writes atomically and never overwrites', async () => {
		const dir = join(await tempDir(), 'deep', 'migrations')
		const path = await writeMigrationFile(dir, '2024-05-01-000000-a', 'first\n')
		expect(path).toBe(join(dir, '2024-05-01-000000-a.json'))
		await expect(writeMigrationFile(dir, '2024-05-01-000000-a.json', 'second\n')).rejects.toThrow(StrataError)
		await expect(writeMigrationFile(dir, '2024-05-01-000000-a.json', 'second\n')).rejects.toThrow(/already exists; strata never overwrites/)
		expect(await readFile(path, 'utf8')).toBe('first\n')
		expect(await readdir(dir)).toEqual(['2024-05-01-000000-a.json'])
	})

	it('lists names without parsing', async () => {
		const dir = await tempDir()
		await writeFile(join(dir, '2024-05-01-000000-a.json'), 'not json')
		expect((await listMigrationDir(dir)).files.map(it => it.version)).toEqual(['2024-05-01-000000'])
	})
})
