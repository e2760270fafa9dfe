/**
 * The development loop's building blocks in-process against real PostgreSQL: bootstrap from a
 * snapshot, replay from a snapshot, and crash recovery of rebase/amend (the dev journal), which
 * must leave all-old or all-new file names and ledger rows.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bootstrapFromSnapshot, bootstrapIfEmpty, ledgerChecksum, renameLedgerRows, updateLedgerRow } from '../../../src/db/bootstrap.js'
import { ensureLedger, ledgerIdentity, readLedger } from '../../../src/db/ledger.js'
import { executeMigrations } from '../../../src/db/executor.js'
import { journalPath, readJournal, recoverJournal, writeJournal, type DevJournal, type JournalScope } from '../../../src/migrations/devJournal.js'
import { parseMigration, serializeMigration, type MigrationFile } from '../../../src/migrations/files.js'
import { applyRebase, planRebase, rebaseJournal } from '../../../src/migrations/rebase.js'
import { replay } from '../../../src/migrations/replay.js'
import { createSnapshot, replayWithSnapshot, snapshotStaleness, verifySnapshot, writeSnapshot } from '../../../src/migrations/snapshot.js'
import { schemaDifferences } from '../../../src/schema/compare.js'
import { useTestDatabase } from '../../helpers/database.js'
import { catalogMismatch, entity } from './project.js'

const db = useTestDatabase('dev_loop')

const file = (name: string, modifications: object[]): MigrationFile =>
	parseMigration(name, serializeMigration({ formatVersion: 6, modifications: modifications as MigrationFile['modifications'] }))

const column = (entityName: string, name: string) => ({
	modification: 'createColumn',
	entityName,
	field: { name, columnName: name, type: 'String', columnType: 'text', nullable: true },
})
const idOnly = (name: string) => ({ ...entity(name), fields: { id: entity(name).fields.id } })

const history = (): MigrationFile[] => [
	file('2024-01-01-000000-init', [{ modification: 'createEntity', entity: idOnly('Post') }, column('Post', 'title')]),
	file('2024-01-02-000000-add-tag', [{ modification: 'createEntity', entity: idOnly('Tag') }, column('Tag', 'label')]),
	file('2024-01-03-000000-remove-title', [{ modification: 'removeField', entityName: 'Post', fieldName: 'title' }]),
]

/** a project directory holding `files` as migration files */
const projectWith = (files: readonly MigrationFile[]) => {
	const root = mkdtempSync(join(tmpdir(), 'strata-devloop-'))
	const migrationsDir = join(root, 'migrations')
	mkdirSync(migrationsDir)
	const placed = files.map(it => {
		const path = join(migrationsDir, `${it.name}.json`)
		writeFileSync(path, serializeMigration(it))
		return { ...it, path }
	})
	return { root, migrationsDir, files: placed }
}

describe('snapshots in-process', () => {
	it('replay from a fresh snapshot equals the full replay, also with newer files on top', () => {
		const files = history()
		const snapshot = createSnapshot(files.slice(0, 2))
		expect(snapshot.covers.map(it => it.name)).toEqual(files.slice(0, 2).map(it => it.name))
		const result = replayWithSnapshot(files, snapshot)
		expect(result.usedSnapshot).toBe(snapshot)
		expect(result.staleReasons).toEqual([])
		expect(schemaDifferences(replay(files), result.schema)).toEqual([])
		expect(verifySnapshot(snapshot, files)).toEqual({ ok: true, reasons: [] })
		// --until before the snapshot's version: the snapshot is not used
		expect(replayWithSnapshot(files, snapshot, { until: '2024-01-01-000000' }).usedSnapshot).toBeUndefined()
	})

	it('a stale snapshot is reported and not used', () => {
		const files = history()
		const snapshot = createSnapshot(files)
		const changed = [files[0]!, file('2024-01-02-000000-add-tag', [{ modification: 'createEntity', entity: idOnly('Tag') }]), files[2]!]
		const result = replayWithSnapshot(changed, snapshot)
		expect(result.usedSnapshot).toBeUndefined()
		expect(result.staleReasons.join('\n')).toMatch(/add-tag changed/)
		expect(schemaDifferences(replay(changed), result.schema)).toEqual([])
		expect(snapshotStaleness(snapshot, files.slice(1)).join('\n')).toMatch(/init is missing/)
	})

	it('bootstraps an empty database in one transaction and records every covered migration', async () => {
		const database = await db.fresh('bootstrap')
		const client = await database.client()
		const { migrationsDir, files } = projectWith(history())
		const snapshot = createSnapshot(files.slice(0, 2))
		await writeSnapshot(migrationsDir, snapshot)

		const outcome = await bootstrapIfEmpty(client, migrationsDir, files, { ledgerSchema: 'strata' })
		expect(outcome.kind).toBe('bootstrapped')
		expect((await readLedger(client, 'strata')).map(row => [row.name, row.checksum])).toEqual(files.slice(0, 2).map(it => [it.name, it.checksum]))
		expect(await catalogMismatch(client, replay(files.slice(0, 2)))).toEqual([])
		// not empty any more: a second bootstrap does nothing; the executor runs the newer file
		expect((await bootstrapIfEmpty(client, migrationsDir, files, { ledgerSchema: 'strata' })).kind).toBe('none')
		expect(await bootstrapFromSnapshot(client, snapshot, files, { ledgerSchema: 'strata' })).toBeUndefined()
		const executed = await executeMigrations(client, files, { ledgerSchema: 'strata' })
		expect(executed.executed.map(it => it.name)).toEqual([files[2]!.name])
		expect(await catalogMismatch(client, replay(files))).toEqual([])
	})

	it('a stale snapshot never bootstraps', async () => {
		const database = await db.fresh('stale')
		const client = await database.client()
		const { migrationsDir, files } = projectWith(history())
		await writeSnapshot(migrationsDir, { ...createSnapshot(files), covers: createSnapshot(files).covers.map(it => ({ ...it, checksum: 'sha256:0' })) })
		const outcome = await bootstrapIfEmpty(client, migrationsDir, files, { ledgerSchema: 'strata' })
		expect(outcome.kind).toBe('stale')
		expect(await readLedger(client, 'strata')).toEqual([])
	})
})

describe('rebase crash recovery', () => {
	const setup = async (label: string) => {
		const database = await db.fresh(label)
		const client = await database.client()
		const project = projectWith(history())
		await executeMigrations(client, project.files, { ledgerSchema: 'strata' })
		const moves = planRebase(project.files, ['add-tag'], new Date(Date.UTC(2025, 0, 1)))
		const scope: JournalScope = { projectRoot: project.root, migrationsDir: project.migrationsDir, database: await ledgerIdentity(client, 'strata') }
		return { client, ...project, moves, scope }
	}
	const names = (dir: string) => readdirSync(dir).filter(it => it.endsWith('.json')).sort()

	it('renames files and ledger rows together', async () => {
		const { client, scope, migrationsDir, files, moves } = await setup('rebase_ok')
		await applyRebase(scope, moves, { executedVersions: new Set(files.map(it => it.version)), renameRows: renames => renameLedgerRows(client, 'strata', renames) })
		expect(names(migrationsDir)).toEqual(['2024-01-01-000000-init.json', '2024-01-03-000000-remove-title.json', '2025-01-01-000000-add-tag.json'])
		expect((await readLedger(client, 'strata')).map(row => row.name)).toEqual(['2024-01-01-000000-init', '2024-01-03-000000-remove-title', '2025-01-01-000000-add-tag'])
		expect(existsSync(journalPath(scope.projectRoot))).toBe(false)
	})

	it('a crash after the ledger commit is rolled forward on the next run', async () => {
		const { client, scope, migrationsDir, files, moves } = await setup('rebase_forward')
		// crash: journal written, ledger renamed, then the process died before touching any file
		const executedVersions = new Set(files.map(it => it.version))
		await writeJournal(scope, await rebaseJournal(migrationsDir, moves, executedVersions))
		await renameLedgerRows(client, 'strata', [{ fromVersion: moves[0]!.file.version, toVersion: moves[0]!.newVersion, toName: moves[0]!.newName }])
		expect(names(migrationsDir)).toContain('2024-01-02-000000-add-tag.json')
		expect((await readJournal(scope))?.state).toBe('prepared')
		const message = await recoverJournal(scope, version => ledgerChecksum(client, 'strata', version))
		expect(message).toMatch(/Finished an interrupted rebase/)
		expect(names(migrationsDir)).toEqual(['2024-01-01-000000-init.json', '2024-01-03-000000-remove-title.json', '2025-01-01-000000-add-tag.json'])
		expect(existsSync(journalPath(scope.projectRoot))).toBe(false)
	})

	it('a crash before the ledger commit is rolled back on the next run', async () => {
		const { client, scope, migrationsDir, files, moves } = await setup('rebase_back')
		// crash: journal written, the new file half-way there, the ledger transaction never committed
		const journal = await rebaseJournal(migrationsDir, moves, new Set(files.map(it => it.version)))
		await writeJournal(scope, journal)
		writeFileSync(journal.files[1]!.path, journal.files[1]!.after!)
		const message = await recoverJournal(scope, version => ledgerChecksum(client, 'strata', version))
		expect(message).toMatch(/Rolled back an interrupted rebase/)
		expect(names(migrationsDir)).toEqual(files.map(it => `${it.name}.json`))
		expect((await readLedger(client, 'strata')).map(row => row.name)).toEqual(files.map(it => it.name))
	})

	it('a failing ledger rename restores the files and removes the journal at once', async () => {
		const { scope, migrationsDir, files, moves } = await setup('rebase_fail')
		await expect(applyRebase(scope, moves, {
			executedVersions: new Set(files.map(it => it.version)),
			renameRows: async () => { throw new Error('duplicate key') },
		})).rejects.toThrow('duplicate key')
		expect(names(migrationsDir)).toEqual(files.map(it => `${it.name}.json`))
		expect(existsSync(journalPath(scope.projectRoot))).toBe(false)
	})

	it('an amend that crashed after its ledger commit is finished from the journal', async () => {
		const { client, scope, files } = await setup('amend_forward')
		const target = files[2]!
		const amended = serializeMigration({ formatVersion: 6, modifications: [] })
		const journal: DevJournal = {
			operation: 'amend',
			description: `amend ${target.name}`,
			state: 'prepared',
			files: [{ path: target.path, before: serializeMigration(target), after: amended }],
			probe: { version: target.version, checksumAfter: parseMigration(target.name, amended).checksum },
		}
		await writeJournal(scope, journal)
		// not committed yet: rolled back, the file keeps its content
		expect(await recoverJournal(scope, version => ledgerChecksum(client, 'strata', version))).toMatch(/Rolled back/)
		expect(readFileSync(target.path, 'utf8')).toBe(serializeMigration(target))
		// committed (the ledger row has the new checksum): finished
		await writeJournal(scope, journal)
		await updateLedgerRow(client, 'strata', { version: target.version, formatVersion: 6, checksum: journal.probe!.checksumAfter!, content: amended })
		expect(await recoverJournal(scope, version => ledgerChecksum(client, 'strata', version))).toMatch(/Finished an interrupted amend/)
		expect(readFileSync(target.path, 'utf8')).toBe(amended)
	})

	it('a prepared journal with a ledger probe is not guessed without the database', async () => {
		const root = mkdtempSync(join(tmpdir(), 'strata-devloop-'))
		const scope: JournalScope = { projectRoot: root, migrationsDir: join(root, 'migrations'), database: { cluster: '1', database: 'app', ledgerSchema: 'strata' } }
		await writeJournal(scope, { operation: 'amend', description: 'amend x', state: 'prepared', files: [], probe: { version: '2024-01-01-000000', checksumAfter: 'sha256:1' } })
		await expect(recoverJournal(scope)).rejects.toThrow(/must be finished first/)
	})

	it('renameLedgerRows is all or nothing', async () => {
		const database = await db.fresh('rename_atomic')
		const client = await database.client()
		const { files } = projectWith(history())
		await ensureLedger(client, 'strata')
		await executeMigrations(client, files, { ledgerSchema: 'strata' })
		await expect(renameLedgerRows(client, 'strata', [
			{ fromVersion: '2024-01-01-000000', toVersion: '2025-01-01-000000', toName: '2025-01-01-000000-init' },
			{ fromVersion: '2023-01-01-000000', toVersion: '2025-01-01-000001', toName: '2025-01-01-000001-nope' },
		])).rejects.toThrow(/no row for 2023-01-01-000000/)
		expect((await readLedger(client, 'strata')).map(row => row.version)).toEqual(files.map(it => it.version))
	})
})
