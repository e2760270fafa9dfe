/**
 * Taking over a database Contember deployed. Contember recorded what it executed in its own
 * registry (system.schema_migration); strata's ledger is empty there, so every migration would
 * look pending. This records the migrations Contember executed in strata's ledger as executed,
 * without running anything, once three things hold:
 * - every executed schema migration has its file, unchanged (Contember's own checksum);
 * - no file older than the newest executed one is left unexecuted (it could never run);
 * - the stage schema equals the schema those migrations replay to (the drift comparison).
 * All rows go in one transaction, under the migration lock.
 */
import type pg from 'pg'
import { StrataError, ValidationError, type Problem } from '../errors.js'
import type { MigrationFile } from '../migrations/format.js'
import { validateHistory } from '../migrations/replay.js'
import { parseMigrationTexts, readMigrationTexts } from '../migrations/store.js'
import { contemberChecksum, readContemberRegistry } from './contemberRegistry.js'
import { compareCatalogs, expectedCatalog, readLiveCatalog, splitIgnored, type DriftItem } from './drift.js'
import { ensureLedger, ledgerTablesIn, readLedger, recordMigrations } from './ledger.js'
import { acquireLedgerLock, type LockHolder } from './lock.js'
import { migrationContent } from './status.js'

export interface AdoptContemberOptions {
	readonly migrationsDir: string
	readonly ledgerSchema: string
	/** the Contember project's system schema, holding schema_migration */
	readonly systemSchema: string
	/** the stage schema holding the project's tables */
	readonly schemaName: string
	readonly ignore?: readonly string[]
	readonly lockWaitMs?: number
	readonly onLockWait?: (holders: readonly LockHolder[], waitedMs: number) => void
}

export type AdoptContemberResult =
	| {
		readonly recorded: true
		/** the files recorded as executed, in order */
		readonly executed: readonly MigrationFile[]
		/** files newer than everything Contember executed: migrations:execute runs them */
		readonly pending: readonly MigrationFile[]
		/** content migrations in the registry: strata has no content migrations, nothing to record */
		readonly contentMigrations: readonly string[]
		readonly ignored: readonly DriftItem[]
	}
	/** the stage schema differs from the executed migrations' schema: nothing was recorded */
	| { readonly recorded: false; readonly drift: readonly DriftItem[]; readonly ignored: readonly DriftItem[] }

export const adoptContemberDatabase = async (client: pg.Client, options: AdoptContemberOptions): Promise<AdoptContemberResult> => {
	const read = await readMigrationTexts(options.migrationsDir)
	const files = parseMigrationTexts(options.migrationsDir, read)
	const textOf = new Map(read.texts.map(it => [it.name, it.text]))
	const lock = await acquireLedgerLock(client, options.ledgerSchema, { waitMs: options.lockWaitMs ?? 60_000, onWait: options.onLockWait ?? (() => undefined) })
	try {
		await ensureLedger(client, options.ledgerSchema)
		const ledger = await readLedger(client, options.ledgerSchema)
		if (ledger.length > 0) {
			throw new StrataError('LEDGER_NOT_EMPTY', `The ledger ${options.ledgerSchema}.migrations already records ${ledger.length} executed migration${ledger.length === 1 ? '' : 's'}: this database was taken over already. Nothing was recorded.`)
		}
		const registry = await readContemberRegistry(client, options.systemSchema)
		const schemaRows = registry.filter(row => row.type !== 'content')
		if (schemaRows.length === 0) {
			throw new StrataError('CONTEMBER_REGISTRY_EMPTY', `${options.systemSchema}.schema_migration records no executed schema migration: there is nothing to take over. Run migrations:execute instead. Nothing was recorded.`)
		}
		const byVersion = new Map(files.map(file => [file.version, file]))
		const problems: Problem[] = []
		for (const row of schemaRows) {
			const file = byVersion.get(row.version)
			if (!file) {
				problems.push({ file: `${row.name}.json`, path: '', message: `Contember executed ${row.name}, but ${options.migrationsDir} has no migration of version ${row.version}. Restore the file (Contember's migrations:status can download it) and run this again.` })
				continue
			}
			const actual = contemberChecksum(textOf.get(file.name)!)
			if (row.checksum !== null && row.checksum !== actual) {
				problems.push({ file: `${file.name}.json`, path: 'modifications', message: `the file changed after Contember executed it: the registry's checksum is ${row.checksum}, the file's is ${actual}. Restore the executed content and run this again.` })
			}
		}
		const newest = schemaRows[schemaRows.length - 1]!.version
		const recordedVersions = new Set(schemaRows.map(row => row.version))
		// an older file Contember never recorded: an empty one (Contember skips those) is recorded with the rest; any other could never run
		for (const file of files) {
			if (file.version < newest && !recordedVersions.has(file.version) && file.modifications.length > 0) {
				problems.push({ file: `${file.name}.json`, path: '', message: `Contember has not executed it, but it is older than ${newest}, the newest migration it executed, so it could never run in order. Give it a newer version (migrations:rebase) or delete it, then run this again.` })
			}
		}
		if (problems.length > 0) {
			throw new ValidationError(`The migration files do not match what Contember executed (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was recorded:`, problems, 'CONTEMBER_HISTORY_MISMATCH')
		}
		const executed = files.filter(file => file.version <= newest)
		const history = validateHistory(executed)
		if (history.problems.length > 0) {
			throw new ValidationError(`The migrations Contember executed do not replay to a valid schema (${history.problems.length} problem${history.problems.length === 1 ? '' : 's'}); nothing was recorded:`, history.problems, 'HISTORY_INVALID')
		}
		const skipTables = ledgerTablesIn(options.ledgerSchema, options.schemaName)
		const { kept: drift, ignored } = splitIgnored(
			compareCatalogs(expectedCatalog(history.schema), await readLiveCatalog(client, options.schemaName, { skipTables })), options.ignore ?? [])
		if (drift.length > 0) return { recorded: false, drift, ignored }

		await client.query('BEGIN')
		try {
			await recordMigrations(client, options.ledgerSchema, executed.map(file => ({
				version: file.version, name: file.name, checksum: file.checksum, formatVersion: file.formatVersion,
				migration: JSON.stringify(migrationContent(file)), durationMs: 0,
			})))
			await client.query('COMMIT')
		} catch (error) {
			await client.query('ROLLBACK').catch(() => undefined)
			throw error
		}
		return {
			recorded: true,
			executed,
			pending: files.filter(file => file.version > newest),
			contentMigrations: registry.filter(row => row.type === 'content').map(row => row.name),
			ignored,
		}
	} finally {
		await lock.release().catch(() => undefined)
	}
}
