/**
 * The dev journal's checks without a database: what it stores (project-relative paths, its
 * project and database), what it refuses, how status previews it, and how status treats an
 * unreadable file and an out-of-order one.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { LedgerRow } from '../../../src/db/ledger.js'
import { computeStatus } from '../../../src/db/status.js'
import { filesAfterJournal } from '../../../src/cli/statusInputs.js'
import { inspectJournal, journalPath, leftoverTempFiles, recoverJournal, writeJournal, type JournalScope } from '../../../src/migrations/devJournal.js'
import { parseMigration, serializeMigration } from '../../../src/migrations/files.js'

const database = { cluster: '7000', database: 'app', ledgerSchema: 'strata' }
const content = serializeMigration({ formatVersion: 6, modifications: [] })

const project = (): JournalScope => {
	const root = mkdtempSync(join(tmpdir(), 'strata-journal-'))
	mkdirSync(join(root, 'migrations'))
	return { projectRoot: root, migrationsDir: join(root, 'migrations'), database }
}

const rawJournal = (scope: JournalScope, files: object[], overrides: object = {}) => {
	mkdirSync(join(scope.projectRoot, '.strata'), { recursive: true })
	writeFileSync(journalPath(scope.projectRoot), JSON.stringify({
		journal: 2, project: realpathSync(scope.projectRoot), database, operation: 'amend', description: 'amend x', state: 'committed', files, ...overrides,
	}))
}

const row = (name: string): LedgerRow => ({
	version: name.slice(0, 17), name, checksum: parseMigration(name, content).checksum, checksumAlgorithm: 'sha256', formatVersion: 6,
	migration: content, executedAt: new Date(0), durationMs: 1, executedBy: 'test',
})

describe('dev journal', () => {
	it('stores paths relative to the project, with its project and database', async () => {
		const scope = project()
		const path = join(scope.migrationsDir, '2024-01-01-000000-a.json')
		await writeJournal(scope, { operation: 'amend', description: 'amend a', state: 'prepared', files: [{ path, before: null, after: content }] })
		const stored = JSON.parse(readFileSync(journalPath(scope.projectRoot), 'utf8'))
		expect(stored.files[0].path).toBe('migrations/2024-01-01-000000-a.json')
		expect(stored.project).toBe(realpathSync(scope.projectRoot))
		expect(stored.database).toEqual(database)
		// .strata/ ignores itself, so the journal is not committed by accident
		expect(readFileSync(join(scope.projectRoot, '.strata', '.gitignore'), 'utf8')).toBe('*\n')
		const inspection = await inspectJournal(scope)
		expect(inspection.kind === 'pending' && inspection.journal.files[0]!.path).toBe(path)
	})

	it('refuses to journal a file outside the migrations directory', async () => {
		const scope = project()
		await expect(writeJournal(scope, { operation: 'amend', description: 'x', state: 'prepared', files: [{ path: join(scope.projectRoot, 'package.json'), before: null, after: '{}' }] }))
			.rejects.toThrow(/outside the migrations directory/)
	})

	it('refuses paths that leave the migrations directory, and changes nothing', async () => {
		const scope = project()
		const outside = mkdtempSync(join(tmpdir(), 'strata-outside-'))
		writeFileSync(join(outside, 'x.json'), 'keep')
		symlinkSync(join(outside, 'x.json'), join(scope.migrationsDir, 'link.json'))
		for (const path of ['/etc/passwd', '../x.json', 'migrations/../x.json', 'migrations/./link.json', 'migrations/link.json', 'migrations/sub/a.json', 'x.json']) {
			rawJournal(scope, [{ path, before: null, after: 'owned' }])
			const inspection = await inspectJournal(scope)
			expect(inspection.kind, path).toBe('refused')
			await expect(recoverJournal(scope)).rejects.toThrow(/Nothing was changed/)
			expect(readFileSync(join(outside, 'x.json'), 'utf8')).toBe('keep')
			expect(existsSync(journalPath(scope.projectRoot))).toBe(true)
		}
	})

	it('refuses a journal of another project or database, and one without them', async () => {
		const scope = project()
		rawJournal(scope, [], { project: '/somewhere/else' })
		expect(await inspectJournal(scope)).toMatchObject({ kind: 'refused', error: { message: expect.stringMatching(/belongs to the project at \/somewhere\/else/) } })
		rawJournal(scope, [], { database: { ...database, database: 'other' } })
		expect(await inspectJournal(scope)).toMatchObject({ kind: 'refused', error: { message: expect.stringMatching(/belongs to database "other"/) } })
		rawJournal(scope, [], { journal: undefined })
		expect(await inspectJournal(scope)).toMatchObject({ kind: 'refused', error: { message: expect.stringMatching(/not written by this version/) } })
	})

	it('lists temporary files a killed write left; recovery removes them', async () => {
		const scope = project()
		writeFileSync(join(scope.migrationsDir, '2024-01-01-000000-a.json.123.tmp'), '{')
		writeFileSync(join(scope.projectRoot, 'keep.json.123.tmp'), '{')
		expect((await leftoverTempFiles(scope)).map(path => path.slice(scope.projectRoot.length))).toEqual(['/migrations/2024-01-01-000000-a.json.123.tmp'])
		await recoverJournal(scope)
		expect(await leftoverTempFiles(scope)).toEqual([])
		expect(existsSync(join(scope.projectRoot, 'keep.json.123.tmp'))).toBe(true)
	})
})

describe('status inputs', () => {
	it('previews the files as recovery leaves them, forward or back', () => {
		const old = parseMigration('2024-01-01-000000-a', content, '/p/migrations/2024-01-01-000000-a.json')
		const journal = {
			operation: 'rebase' as const, description: 'a → b', state: 'prepared' as const,
			files: [{ path: '/p/migrations/2024-01-01-000000-a.json', before: content, after: null }, { path: '/p/migrations/2025-01-01-000000-a.json', before: null, after: content }],
		}
		const read = { files: [old], unreadable: [], ignored: [] }
		expect(filesAfterJournal(read, journal, 'forward').files.map(file => file.name)).toEqual(['2025-01-01-000000-a'])
		expect(filesAfterJournal(read, journal, 'back').files.map(file => file.name)).toEqual(['2024-01-01-000000-a'])
	})

	it('an unreadable file is one broken entry; an older pending file asks to rebase the executed ones after it', () => {
		const files = ['2024-01-01-000000-a', '2024-01-03-000000-c', '2024-01-04-000000-d'].map(name => parseMigration(name, content))
		const upstream = parseMigration('2024-01-02-000000-upstream', content)
		const status = computeStatus([...files, upstream], files.map(file => row(file.name)),
			{ unreadable: [{ name: '2024-01-05-000000-broken', version: '2024-01-05-000000', problems: ['line 1: expected a value'] }] })
		expect(status.entries.map(entry => `${entry.name} ${entry.state}`)).toEqual([
			'2024-01-01-000000-a executed', '2024-01-02-000000-upstream outOfOrder', '2024-01-03-000000-c executed', '2024-01-04-000000-d executed', '2024-01-05-000000-broken unreadable',
		])
		const outOfOrder = status.entries.find(entry => entry.state === 'outOfOrder')!
		expect(outOfOrder.fix).toContain('migrations:rebase 2024-01-03-000000-c 2024-01-04-000000-d')
		expect(status.toExecute).toEqual([])
	})
})
