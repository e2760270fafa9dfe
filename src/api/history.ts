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
	/** the migration is half of an expand/contract pair: the sequence and what each application version sees */
	readonly expandContract?: ExpandContractExplanation
}

/**
 * An expand/contract pair explained from its two files (docs/describe.md, "Expand/contract
 * pairs"): the order to run and deploy in, what the old application still finds between the two
 * halves, and what the new one may use.
 */
export interface ExpandContractExplanation {
	readonly phase: 'expand' | 'contract'
	readonly pair: string
	/** the other half's name; absent when its file is not in the directory (yet) */
	readonly partner?: string
	readonly expand?: string
	readonly contract?: string
	/** 1. run the expand, 2. deploy the new application, 3. run the contract */
	readonly sequence: readonly { readonly step: 'expand' | 'deploy' | 'contract'; readonly text: string }[]
	/** between the two halves: the old tables and columns that still work, and until when */
	readonly oldApplicationSees: readonly string[]
	/** between the two halves and after: the tables and columns the expand adds, and what the contract changes */
	readonly newApplicationSees: readonly string[]
}

/** `post` and `post.title` for each table and column (joining columns too) of a schema */
const schemaShape = (schema: Schema): Set<string> => {
	const shape = new Set<string>()
	for (const entity of Object.values(schema.model.entities)) {
		shape.add(entity.tableName)
		for (const field of Object.values(entity.fields)) {
			if ('columnName' in field) shape.add(`${entity.tableName}.${field.columnName}`)
			else if ('joiningColumn' in field && field.joiningColumn) shape.add(`${entity.tableName}.${field.joiningColumn.columnName}`)
			else if ('joiningTable' in field && field.joiningTable) shape.add(field.joiningTable.tableName)
		}
	}
	return shape
}

const minus = (a: ReadonlySet<string>, b: ReadonlySet<string>): string[] => [...a].filter(it => !b.has(it)).sort()
const names = (list: readonly string[]) => list.join(', ')
const firstLine = (sql: string): string => {
	const line = sql.trim().split('\n')[0]!
	return line.length > 80 ? `${line.slice(0, 79)}…` : line
}

/**
 * Explains the pair `file` belongs to, derived from the files: the schema before the expand,
 * after it, and after the contract, compared table by table and column by column; the expand's
 * SQL steps are the compatibility machinery (a copy, a sync trigger, a view) that keeps the old
 * names working. Pure; undefined for a migration that is not half of a pair.
 */
export const explainExpandContract = (files: readonly MigrationFile[], file: MigrationFile): ExpandContractExplanation | undefined => {
	const marker = file.strata?.expandContract
	if (!marker) return undefined
	const ofPair = files.filter(other => other.strata?.expandContract?.pair === marker.pair)
	const expand = marker.phase === 'expand' ? file : [...ofPair].reverse().find(other => other.version < file.version && other.strata?.expandContract?.phase === 'expand')
	const contract = marker.phase === 'contract' ? file : ofPair.find(other => other.version > file.version && other.strata?.expandContract?.phase === 'contract')
	const partner = marker.phase === 'expand' ? contract : expand
	const before = expand ? schemaShape(replay(files, { before: expand.version })) : undefined
	const between = expand ? schemaShape(replay(files, { until: expand.version })) : contract ? schemaShape(replay(files, { before: contract.version })) : undefined
	const after = contract ? schemaShape(replay(files, { until: contract.version })) : undefined

	const contractName = contract?.name ?? `the contract of ${marker.pair}`
	const expandName = expand?.name ?? `the expand of ${marker.pair}`
	const sequence = [
		{ step: 'expand' as const, text: `run ${expandName} (migrations:execute): it only adds, so the old application keeps working` },
		{ step: 'deploy' as const, text: 'deploy the new application, and wait until no instance of the old one runs' },
		{ step: 'contract' as const, text: `run ${contractName} (migrations:execute --contract, or --until ${contract?.name ?? '<contract>'}): it removes the old shape; a plain migrations:execute stops before it` },
	]

	const oldSees: string[] = []
	const newSees: string[] = []
	if (before && between) {
		const kept = after ? [...before].filter(it => between.has(it) && !after.has(it)).sort() : []
		if (kept.length > 0) oldSees.push(`old names kept until the contract: ${names(kept)} (removed by ${contractName})`)
		const gone = minus(before, between)
		if (gone.length > 0) oldSees.push(`gone after the expand already: ${names(gone)} (an old application that uses them breaks)`)
		const added = minus(between, before)
		if (added.length > 0) newSees.push(`added by the expand: ${names(added)}`)
	} else if (between && after) {
		// no expand file: what the contract removes is what the old application still has
		const removed = minus(between, after)
		if (removed.length > 0) oldSees.push(`old names kept until the contract: ${names(removed)} (removed by ${contractName})`)
	}
	const sqlSteps = (expand?.modifications ?? []).flatMap(it => (it.modification === 'executeSql' ? [it as { sql?: string; file?: string }] : []))
	if (sqlSteps.length > 0) {
		oldSees.push(`kept in step by the expand's SQL step${sqlSteps.length === 1 ? '' : 's'} (not part of the declared model): ${sqlSteps.map(it => (it.sql ? firstLine(it.sql) : `file ${it.file}`)).join('; ')}`)
	}
	if (oldSees.length === 0) oldSees.push('the schema it was written for: the expand changes nothing it uses')
	if (between && after) {
		const appears = minus(after, between)
		if (appears.length > 0) newSees.push(`after the contract also: ${names(appears)}`)
		const removed = minus(between, after)
		if (removed.length > 0) newSees.push(`must no longer use: ${names(removed)} (removed by the contract)`)
	}
	if (newSees.length === 0) newSees.push('the same tables and columns as the old application; it must stop using what the contract removes')
	return {
		phase: marker.phase, pair: marker.pair, ...(partner ? { partner: partner.name } : {}), ...(expand ? { expand: expand.name } : {}), ...(contract ? { contract: contract.name } : {}),
		sequence, oldApplicationSees: oldSees, newApplicationSees: newSees,
	}
}

/** What one migration does, step by step, with its SQL. */
export const describeProjectMigration = async (project: StrataProject, options: DescribeProjectOptions = {}): Promise<MigrationDescription> => {
	const files = await readMigrations(project.migrationsDir)
	if (files.length === 0) throw new StrataError('MIGRATION_NOT_FOUND', `There are no migrations in ${project.migrationsDir}.`)
	const file = options.migration === undefined ? files[files.length - 1]! : findMigration(files, options.migration)
	// names the file and modification, before any SQL is generated
	validateForSql(files.filter(other => other.version <= file.version), new Set([file.name]))
	// the pair's schemas are replayed first: schemaBefore is then used by nothing else but this description
	const pair = explainExpandContract(files, file)
	const schemaBefore = replay(files, { before: file.version })
	const migration = file
	const expandContract = pair ? { expandContract: pair } : {}
	if (options.database === undefined) {
		const steps = describeMigration(schemaBefore, file, { locks: options.locks !== false, ...onlineDescribeOption(file) })
		return { migration, steps, sql: migrationSqlScript(steps), ...expandContract }
	}
	const schemaName = options.schemaName ?? 'public'
	return withConnection(options.database, 'strata migrations:describe', async ({ client }) => {
		const steps = describeMigration(schemaBefore, file, { databaseMetadata: await readDatabaseMetadata(client, schemaName), ...onlineDescribeOption(file) })
		const touched = steps.flatMap(step => step.statements.flatMap(it => it.locks.map(lock => lock.table)))
		return { migration, steps, sql: migrationSqlScript(steps), tableSizes: await readTableSizes(client, touched, schemaName), ...expandContract }
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
