/**
 * Reading the history: the schema it builds, what one migration does (steps, SQL, locks), the
 * lint rules over it, and migrations/snapshot.json. Offline, except that `describeProjectMigration`
 * can read names and table sizes from a database.
 */
import { readDatabaseMetadata } from '../db/introspect.js'
import { readTableSizes } from '../db/tableStats.js'
import { StrataError } from '../errors.js'
import { lintPrepared, lockedTables, prepareSelectedLint, type LintReport } from '../lint/lintMigrations.js'
import { readLedger } from '../db/ledger.js'
import { describeMigration, migrationSqlScript, type DescribedModification } from '../migrations/describe.js'
import { DEFAULT_LARGE_TABLE_ROWS, type TableSize } from '../migrations/describeLocks.js'
import { findMigration, readMigrations, type MigrationFile } from '../migrations/files.js'
import { replay } from '../migrations/replay.js'
import { createSnapshot, readSnapshot, snapshotPath, verifySnapshot, writeSnapshot, type Snapshot, type SnapshotVerification } from '../migrations/snapshot.js'
import { validateForSql } from '../migrations/validated.js'
import type { Schema } from '../schema/model.js'
import { onlineDescribeOption } from '../online/onlineDescribe.js'
import { ledgerSchemaFor, withConnection, type DatabaseInput } from './database.js'
import type { StrataProject } from './project.js'

/**
 * The schema the project's migration files build, replayed and validated.
 *
 * @param options.until the last migration to replay (name, version or unique label; inclusive)
 * @throws ValidationError naming the file, modification and rule when the history is invalid
 */
export const replayProject = async (project: StrataProject, options: { readonly until?: string } = {}): Promise<Schema> => {
	const files = await readMigrations(project.migrationsDir)
	const last = options.until === undefined ? files[files.length - 1] : findMigration(files, options.until)
	if (!last) return validateForSql([]).schema
	return validateForSql(files.filter(file => file.version <= last.version)).schema
}

export interface DescribeProjectOptions {
	/** name, version or unique label; default: the latest migration */
	readonly migration?: string
	/** read the names PostgreSQL chose and the tables' sizes from this database (as execute would see them) */
	readonly database?: DatabaseInput
	/** the PostgreSQL schema the migrations run in (default `public`) */
	readonly schemaName?: string
	/** classify each statement's locks (default true); only the SQL is wanted otherwise */
	readonly locks?: boolean
}

export interface MigrationDescription {
	readonly migration: MigrationFile
	/** each modification: index in the file (from 0), message, destructive, warnings, SQL and the locks of each statement */
	readonly steps: readonly DescribedModification[]
	/** the whole SQL as one psql-ready script */
	readonly sql: string
	/** row estimates of the tables the statements lock; only with a database */
	readonly tableSizes?: ReadonlyMap<string, TableSize>
}

/** What one migration does, step by step, with its SQL. */
export const describeProjectMigration = async (project: StrataProject, options: DescribeProjectOptions = {}): Promise<MigrationDescription> => {
	const files = await readMigrations(project.migrationsDir)
	if (files.length === 0) throw new StrataError('MIGRATION_NOT_FOUND', `There are no migrations in ${project.migrationsDir}.`)
	const file = options.migration === undefined ? files[files.length - 1]! : findMigration(files, options.migration)
	// names the file and modification, before any SQL is generated
	validateForSql(files.filter(other => other.version <= file.version), new Set([file.name]))
	const schemaBefore = replay(files, { before: file.version })
	const migration = file
	if (options.database === undefined) {
		const steps = describeMigration(schemaBefore, file, { locks: options.locks !== false, ...onlineDescribeOption(file) })
		return { migration, steps, sql: migrationSqlScript(steps) }
	}
	const schemaName = options.schemaName ?? 'public'
	return withConnection(options.database, 'strata migrations:describe', async ({ client }) => {
		const steps = describeMigration(schemaBefore, file, { databaseMetadata: await readDatabaseMetadata(client, schemaName), ...onlineDescribeOption(file) })
		const touched = steps.flatMap(step => step.statements.flatMap(it => it.locks.map(lock => lock.table)))
		return { migration, steps, sql: migrationSqlScript(steps), tableSizes: await readTableSizes(client, touched, schemaName) }
	})
}

export interface LintProjectOptions {
	/** names, versions or unique labels to lint; default: every migration (with a database: the pending ones) */
	readonly migrations?: readonly string[]
	/** read names and table sizes from this database: L001 (a long lock on a large table) needs them */
	readonly database?: DatabaseInput
	/** the ledger schema, to know which migrations are pending (default: the project's, else `strata`) */
	readonly ledgerSchema?: string
	/** the PostgreSQL schema the migrations run in (default `public`) */
	readonly schemaName?: string
	/** a table with at least this many rows is large (default: the project's `largeTableRows`, else 1 000 000) */
	readonly largeTableRows?: number
}

/**
 * The lint rules over the selected migrations, each run of consecutive ones replayed from the
 * schema before it. Offline unless `database` is given.
 */
export const lintProject = async (project: StrataProject, options: LintProjectOptions = {}): Promise<{ readonly report: LintReport; readonly migrations: readonly MigrationFile[] }> => {
	const files = await readMigrations(project.migrationsDir)
	const named = options.migrations === undefined ? undefined : [...new Set(options.migrations.map(name => findMigration(files, name)))].sort((a, b) => a.version.localeCompare(b.version))
	if (options.database === undefined) {
		const selected = named ?? files
		return { report: lintPrepared(prepareSelectedLint(files, selected)), migrations: selected }
	}
	const schemaName = options.schemaName ?? 'public'
	const largeTableRows = options.largeTableRows ?? project.config.largeTableRows ?? DEFAULT_LARGE_TABLE_ROWS
	return withConnection(options.database, 'strata migrations:lint', async ({ client }) => {
		const executed = new Set(named ? [] : (await readLedger(client, ledgerSchemaFor(options, project.config))).map(row => row.version))
		const selected = named ?? files.filter(file => !executed.has(file.version))
		const prepared = prepareSelectedLint(files, selected, await readDatabaseMetadata(client, schemaName))
		const sizes = await readTableSizes(client, lockedTables(prepared), schemaName)
		return { report: lintPrepared(prepared, { sizes, largeTableRows }), migrations: selected }
	})
}

/**
 * Writes migrations/snapshot.json from the migration files and returns it with its path, and the
 * migrations holding SQL steps (a snapshot carries the schema only, so execute builds an empty
 * database from those files one by one instead).
 */
export const writeProjectSnapshot = async (project: StrataProject): Promise<{ path: string; snapshot: Snapshot; withSqlSteps: string[] }> => {
	const files = await readMigrations(project.migrationsDir)
	const snapshot = createSnapshot(files)
	const withSqlSteps = files.filter(file => file.modifications.some(it => it.modification === 'executeSql')).map(file => file.name)
	return { path: await writeSnapshot(project.migrationsDir, snapshot), snapshot, withSqlSteps }
}

/**
 * Whether migrations/snapshot.json is fresh: it covers exactly the files and rebuilds what
 * replaying them builds. `ok: false` lists the reasons.
 *
 * @throws StrataError `NO_SNAPSHOT` when there is none
 */
export const verifyProjectSnapshot = async (project: StrataProject): Promise<SnapshotVerification & { readonly snapshot: Snapshot }> => {
	const snapshot = await readSnapshot(project.migrationsDir)
	if (!snapshot) throw new StrataError('NO_SNAPSHOT', `There is no ${snapshotPath(project.migrationsDir)}; create it with "strata migrations:snapshot".`)
	return { ...verifySnapshot(snapshot, await readMigrations(project.migrationsDir)), snapshot }
}
