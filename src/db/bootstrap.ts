/**
 * Database side of the development loop: bootstrapping an empty database from a fresh snapshot,
 * and the ledger rewrites of `migrations:rebase` / `migrations:amend`.
 *
 * Each function runs its statements in one transaction and expects the caller to hold the
 * migration lock (so no `migrations:execute` can interleave).
 */
import type pg from 'pg'
import { StrataError } from '../errors.js'
import { stepModification } from '../modifications/fold.js'
import type { Modification } from '../modifications/types.js'
import type { MigrationFile } from '../migrations/files.js'
import { journalExists, recoverJournal } from '../migrations/devJournal.js'
import { readSnapshot, snapshotStaleness, type Snapshot } from '../migrations/snapshot.js'
import { emptySchema, type Schema } from '../schema/model.js'
import { quoteIdentifier } from '../sql/quote.js'
import { isLocalHost, resolveDatabaseTarget, type DatabaseArgs, type DatabaseProject } from './connection.js'
import { readDatabaseMetadata } from './introspect.js'
import { CHECKSUM_ALGORITHM, DEFAULT_LEDGER_SCHEMA, ensureLedger, ledgerIdentity, readLedger, recordMigration } from './ledger.js'
import { acquireLedgerLock, type LockHolder } from './lock.js'
import { migrationContent } from './status.js'

const ledgerTable = (schema: string) => `${quoteIdentifier(schema)}.${quoteIdentifier('migrations')}`

/** BEGIN … COMMIT, rolled back on any error */
export const inTransaction = async <T>(client: pg.Client, run: () => Promise<T>): Promise<T> => {
	await client.query('BEGIN')
	try {
		const result = await run()
		await client.query('COMMIT')
		return result
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined)
		throw error
	}
}

/**
 * Runs the SQL of `modifications` against the live database, step by step. The catalog is
 * re-read before each step because PostgreSQL-chosen constraint and index names are only known
 * there (and earlier steps may have created them). Returns the schema after the last step.
 */
export const runModificationsLive = async (
	client: pg.Client,
	schema: Schema,
	modifications: readonly Modification[],
	formatVersion: number,
	schemaName = 'public',
	onStatement?: (sql: string) => void,
): Promise<Schema> => {
	const createdEntities = new Set<string>()
	let current = schema
	for (const [index, modification] of modifications.entries()) {
		const databaseMetadata = await readDatabaseMetadata(client, schemaName)
		const step = stepModification(current, modification, index, { formatVersion, databaseMetadata, createdEntities })
		for (const statement of step.sql.statements) {
			onStatement?.(statement)
			await client.query(statement)
		}
		current = step.schema
	}
	return current
}

export interface BootstrapResult {
	readonly recorded: readonly string[]
}

/**
 * Builds an empty database from a fresh snapshot in one transaction and records every covered
 * migration in the ledger. Returns undefined when the ledger is not empty (the caller then runs
 * the files normally). The ledger must exist (ensureLedger) and the lock must be held.
 */
export const bootstrapFromSnapshot = async (
	client: pg.Client,
	snapshot: Snapshot,
	files: readonly MigrationFile[],
	options: { readonly ledgerSchema?: string; readonly schemaName?: string } = {},
): Promise<BootstrapResult | undefined> => {
	const ledgerSchema = options.ledgerSchema ?? DEFAULT_LEDGER_SCHEMA
	const schemaName = options.schemaName ?? 'public'
	const stale = snapshotStaleness(snapshot, files)
	if (stale.length > 0) {
		throw new StrataError('STALE_SNAPSHOT', `migrations/snapshot.json is stale and is not used:\n${stale.map(it => `  - ${it}`).join('\n')}\nRun migrations:snapshot to refresh it.`)
	}
	if ((await readLedger(client, ledgerSchema)).length > 0) return undefined
	const covered = new Set(snapshot.covers.map(cover => cover.version))
	const coveredFiles = files.filter(file => covered.has(file.version))
	return inTransaction(client, async () => {
		const started = Date.now()
		// the same session settings as the executor's transactions
		await client.query(`SET LOCAL search_path TO ${quoteIdentifier(schemaName)}`)
		await runModificationsLive(client, emptySchema, snapshot.modifications, snapshot.formatVersion, schemaName)
		// the whole run's duration goes on the first covered row; the others took no time of their own
		let durationMs = Date.now() - started
		for (const file of coveredFiles) {
			await recordMigration(client, ledgerSchema, {
				version: file.version,
				name: file.name,
				checksum: file.checksum,
				formatVersion: file.formatVersion,
				migration: JSON.stringify(migrationContent(file)),
				durationMs,
			})
			durationMs = 0
		}
		return { recorded: coveredFiles.map(file => file.name) }
	})
}

export interface LedgerRename {
	readonly fromVersion: string
	readonly toVersion: string
	readonly toName: string
}

/** Renames ledger rows (version and name) in one transaction; every row must exist. */
export const renameLedgerRows = async (client: pg.Client, ledgerSchema: string, renames: readonly LedgerRename[]): Promise<void> => {
	await inTransaction(client, async () => {
		for (const rename of renames) {
			const result = await client.query(
				`UPDATE ${ledgerTable(ledgerSchema)} SET "version" = $2, "name" = $3 WHERE "version" = $1`,
				[rename.fromVersion, rename.toVersion, rename.toName])
			if (result.rowCount !== 1) throw new StrataError('LEDGER_ROW_MISSING', `The ledger has no row for ${rename.fromVersion}; nothing was renamed.`)
		}
	})
}

/** Replaces an executed migration's content and checksum (caller's transaction). */
export const updateLedgerRow = async (client: pg.Client, ledgerSchema: string, file: { readonly version: string; readonly formatVersion: number; readonly checksum: string; readonly content: string }): Promise<void> => {
	const result = await client.query(
		`UPDATE ${ledgerTable(ledgerSchema)} SET "checksum" = $2, "checksum_algorithm" = $3, "format_version" = $4, "migration" = $5::json WHERE "version" = $1`,
		[file.version, file.checksum, CHECKSUM_ALGORITHM, file.formatVersion, file.content])
	if (result.rowCount !== 1) throw new StrataError('LEDGER_ROW_MISSING', `The ledger has no row for ${file.version}.`)
}

/** Removes an executed migration's row (caller's transaction). */
export const deleteLedgerRow = async (client: pg.Client, ledgerSchema: string, version: string): Promise<void> => {
	await client.query(`DELETE FROM ${ledgerTable(ledgerSchema)} WHERE "version" = $1`, [version])
}

/** The checksum recorded for `version`, or null: answers the dev journal's probe. */
export const ledgerChecksum = async (client: pg.Client, ledgerSchema: string, version: string): Promise<string | null> => {
	const rows = await readLedger(client, ledgerSchema)
	return rows.find(row => row.version === version)?.checksum ?? null
}

export type BootstrapOutcome =
	| { readonly kind: 'none' }
	| { readonly kind: 'stale'; readonly reasons: readonly string[] }
	/** fresh, but covered migrations hold SQL steps, whose data changes a snapshot (schema only) would skip */
	| { readonly kind: 'sqlSteps'; readonly migrations: readonly string[] }
	| { readonly kind: 'bootstrapped'; readonly snapshot: Snapshot; readonly recorded: readonly string[] }

/**
 * The hook `migrations:execute` calls before running files: when the ledger is empty and
 * `migrations/snapshot.json` is fresh (and not newer than `until`), builds the database from it
 * in one transaction under the migration lock. The executor then runs only newer files. A stale
 * snapshot is reported (`stale`) and not used.
 */
export const bootstrapIfEmpty = async (
	client: pg.Client,
	migrationsDir: string,
	files: readonly MigrationFile[],
	options: {
		readonly ledgerSchema: string
		readonly schemaName?: string
		readonly until?: string
		readonly lockWaitMs?: number
		readonly onLockWait?: (holders: readonly LockHolder[], waitedMs: number) => void
	},
): Promise<BootstrapOutcome> => {
	const snapshot = await readSnapshot(migrationsDir)
	if (!snapshot) return { kind: 'none' }
	if ((await readLedger(client, options.ledgerSchema)).length > 0) return { kind: 'none' }
	const reasons = snapshotStaleness(snapshot, files)
	if (reasons.length > 0) return { kind: 'stale', reasons }
	const covered = new Set(snapshot.covers.map(cover => cover.version))
	const withSql = files.filter(file => covered.has(file.version) && file.modifications.some(it => it.modification === 'executeSql'))
	if (withSql.length > 0) return { kind: 'sqlSteps', migrations: withSql.map(file => file.name) }
	if (options.until !== undefined) {
		const until = files.find(file => file.version === options.until || file.name === options.until!.replace(/\.json$/, ''))
		if (!until || until.version < snapshot.version) return { kind: 'none' }
	}
	const lock = await acquireLedgerLock(client, options.ledgerSchema, { waitMs: options.lockWaitMs ?? 60_000, ...(options.onLockWait ? { onWait: options.onLockWait } : {}) })
	try {
		await ensureLedger(client, options.ledgerSchema)
		const result = await bootstrapFromSnapshot(client, snapshot, files, options)
		return result ? { kind: 'bootstrapped', snapshot, recorded: result.recorded } : { kind: 'none' }
	} finally {
		await lock.release()
	}
}

/** Development commands refuse databases that are not local unless told otherwise. */
export const assertLocalDatabase = (database: { readonly isLocal: boolean; readonly description: string }, allowRemote: boolean | undefined, command: string): void => {
	if (database.isLocal || allowRemote) return
	throw new StrataError('REMOTE_REFUSED',
		`${command} is a development command and rewrites the ledger; ${database.description} is not local (embedded, unix socket, localhost). Pass --allow-remote if you really mean it.`)
}

/** The same rule, checked before connecting, so a development command never reaches a remote server. */
export const assertLocalTarget = (project: DatabaseProject, args: DatabaseArgs, allowRemote: boolean | undefined, command: string): void => {
	if (allowRemote) return
	const target = resolveDatabaseTarget(project, args)
	if (target.kind === 'embedded') return
	let host: string | undefined
	try {
		const url = new URL(target.url)
		host = url.searchParams.get('host') ?? (url.hostname ? decodeURIComponent(url.hostname).replace(/^\[|\]$/g, '') : undefined)
	} catch {
		return // connecting reports the malformed URL
	}
	if (isLocalHost(host)) return
	throw new StrataError('REMOTE_REFUSED',
		`${command} is a development command and rewrites the ledger; the database at ${host} (from ${target.source}) is not local (embedded, unix socket, localhost). Pass --allow-remote if you really mean it.`)
}

/**
 * For commands other than rebase/amend, when a dev journal exists: waits for the migration lock
 * (a running rebase/amend holds it as long as its journal exists), then finishes an interrupted
 * one. Returns undefined when there was no journal; otherwise the files may have changed and the
 * caller must read them again (`message` says what was finished, if anything).
 */
export const finishInterruptedDevCommand = async (
	client: pg.Client,
	project: { readonly root: string; readonly migrationsDir: string },
	ledgerSchema: string,
	lockWaitMs = 60_000,
	onLockWait?: (holders: readonly LockHolder[], waitedMs: number) => void,
): Promise<{ readonly message?: string } | undefined> => {
	if (!(await journalExists(project.root))) return undefined
	// a running rebase/amend holds the lock while its journal exists: waiting for it is the point
	const lock = await acquireLedgerLock(client, ledgerSchema, { waitMs: lockWaitMs, ...(onLockWait ? { onWait: onLockWait } : {}) })
	try {
		const scope = { projectRoot: project.root, migrationsDir: project.migrationsDir, database: await ledgerIdentity(client, ledgerSchema) }
		const message = await recoverJournal(scope, version => ledgerChecksum(client, ledgerSchema, version))
		return message ? { message } : {}
	} finally {
		await lock.release()
	}
}
