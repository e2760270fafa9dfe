/**
 * Baseline: a database that no strata migration built (a legacy database, or one another tool
 * deployed) gets its first migration, written from the declared schema and recorded in the
 * ledger as executed without running it, but only once the drift comparison finds that the
 * database is exactly that schema. File and ledger row go together: the row is inserted in a
 * transaction that commits only after the file is written, and the file is removed again when
 * the commit fails.
 */
import { unlink } from 'node:fs/promises'
import type pg from 'pg'
import { StrataError } from '../errors.js'
import type { CompatibilityWarning } from '../diff/compatibility.js'
import { diffSchemas } from '../diff/diffSchemas.js'
import { migrationFileName, nextVersion, parseMigration, serializeMigration, writeMigrationFile, type MigrationFile } from '../migrations/files.js'
import { FORMAT_VERSION_LATEST } from '../modifications/versions.js'
import { emptySchema, type Schema } from '../schema/model.js'
import { compareCatalogs, expectedCatalog, readLiveCatalog, splitIgnored, type DriftItem } from './drift.js'
import { ensureLedger, ledgerTablesIn, readLedger, recordMigrations } from './ledger.js'
import { acquireLedgerLock, type LockHolder } from './lock.js'
import { migrationContent } from './status.js'

export interface BaselineOptions {
	readonly declared: Schema
	readonly migrationsDir: string
	/** the label of the migration to write (`initial`) */
	readonly label: string
	readonly ledgerSchema: string
	/** the PostgreSQL schema holding the project's tables */
	readonly schemaName?: string
	/** `db:drift --ignore` patterns: live objects managed outside the declared schema */
	readonly ignore?: readonly string[]
	readonly lockWaitMs?: number
	readonly onLockWait?: (holders: readonly LockHolder[], waitedMs: number) => void
}

export type BaselineResult =
	| { readonly recorded: true; readonly path: string; readonly migration: MigrationFile; readonly compatibility: readonly CompatibilityWarning[]; readonly ignored: readonly DriftItem[] }
	/** the database differs from the declared schema: nothing was written or recorded */
	| { readonly recorded: false; readonly drift: readonly DriftItem[]; readonly ignored: readonly DriftItem[] }

export const baselineDatabase = async (client: pg.Client, options: BaselineOptions): Promise<BaselineResult> => {
	const schemaName = options.schemaName ?? 'public'
	const lock = await acquireLedgerLock(client, options.ledgerSchema, { waitMs: options.lockWaitMs ?? 60_000, onWait: options.onLockWait ?? (() => undefined) })
	try {
		await ensureLedger(client, options.ledgerSchema)
		const executed = await readLedger(client, options.ledgerSchema)
		if (executed.length > 0) {
			throw new StrataError('LEDGER_NOT_EMPTY', `The ledger ${options.ledgerSchema}.migrations already records ${executed.length} executed migration${executed.length === 1 ? '' : 's'} (the newest: ${executed[executed.length - 1]!.name}); a baseline is only for a database strata has never migrated. Nothing was written or recorded.`)
		}
		const skipTables = ledgerTablesIn(options.ledgerSchema, schemaName)
		const { kept: drift, ignored } = splitIgnored(
			compareCatalogs(expectedCatalog(options.declared), await readLiveCatalog(client, schemaName, { skipTables })), options.ignore ?? [])
		if (drift.length > 0) return { recorded: false, drift, ignored }

		const { modifications, compatibility } = diffSchemas(emptySchema, options.declared)
		const name = migrationFileName(nextVersion([]), options.label)
		const content = serializeMigration({ formatVersion: FORMAT_VERSION_LATEST, modifications })
		const migration = parseMigration(name, content)
		await client.query('BEGIN')
		let path: string
		try {
			await recordMigrations(client, options.ledgerSchema, [{
				version: migration.version, name: migration.name, checksum: migration.checksum, formatVersion: migration.formatVersion,
				migration: JSON.stringify(migrationContent(migration)), durationMs: 0,
			}])
			path = await writeMigrationFile(options.migrationsDir, name, content)
		} catch (error) {
			await client.query('ROLLBACK').catch(() => undefined)
			throw error
		}
		try {
			await client.query('COMMIT')
		} catch (error) {
			if (typeof (error as { severity?: unknown })?.severity !== 'string') {
				// the connection died during COMMIT: the row may or may not be there, so the file stays
				throw new StrataError('COMMIT_OUTCOME_UNKNOWN', `The connection failed while recording ${name} in ${options.ledgerSchema}.migrations; ${path} was written. `
					+ 'Run migrations:status: if it lists the migration as executed, the baseline is done; if it lists it as pending, delete the file and run migrations:baseline again.', undefined, { cause: error })
			}
			// PostgreSQL refused the COMMIT and rolled back: the file must go too
			await client.query('ROLLBACK').catch(() => undefined)
			await unlink(path).catch(() => undefined)
			throw error
		}
		return { recorded: true, path, migration, compatibility, ignored }
	} finally {
		await lock.release().catch(() => undefined)
	}
}
