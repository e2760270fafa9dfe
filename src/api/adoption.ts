/**
 * Adopting strata on an existing project or database: write the declared schema from a
 * migration history (export) or from a live database (introspect), record a first migration for
 * a database strata did not build (baseline), or take over a database Contember deployed.
 */
import { existsSync } from 'node:fs'
import { adoptContemberDatabase, type AdoptContemberResult } from '../db/adoptContember.js'
import { baselineDatabase, type BaselineResult } from '../db/baseline.js'
import type { DriftItem } from '../db/drift.js'
import { introspectDatabase } from '../db/introspectSchema.js'
import { ignorePatternsOf, introspectionDrift } from '../db/introspectSchemaDrift.js'
import { ledgerTablesIn } from '../db/ledger.js'
import type { LockHolder } from '../db/lock.js'
import { StrataError, ValidationError } from '../errors.js'
import { listMigrationDir, readMigrations, validateLabel } from '../migrations/files.js'
import { validateHistory } from '../migrations/replay.js'
import { schemaFromDatabase, type FromDatabaseResult } from '../schema/fromDatabase/index.js'
import type { Schema } from '../schema/model.js'
import { declaredSchemaTarget, shadowedSchemaFile, writeDeclaredSchema } from '../cli/run/declaredSchemaFile.js'
import type { SchemaFormat } from '../cli/schemaFormats.js'
import { ledgerSchemaFor, withConnection, type DatabaseOptions } from './database.js'
import { loadProjectSchema, type StrataProject } from './project.js'

export interface WriteSchemaOptions {
	/** `json` writes schema/schema.json, `ts` a module in the definition DSL (schema/index.ts); default `json` */
	readonly format?: SchemaFormat
	/** replace an existing schema file */
	readonly force?: boolean
}

export interface WrittenSchema {
	readonly path: string
	readonly format: SchemaFormat
	/** a schema.json that the written module now shadows (strata reads the module first) */
	readonly shadowed?: string
}

const written = (path: string, format: SchemaFormat): WrittenSchema => {
	const shadowed = format === 'ts' ? shadowedSchemaFile(path) : undefined
	return { path, format, ...(shadowed ? { shadowed } : {}) }
}

/**
 * Writes the schema the migration history builds as the project's declared schema (after which
 * validateProject passes and planMigration has nothing to do).
 *
 * @throws StrataError `MIGRATIONS_DIR_MISSING`, `SCHEMA_EXISTS` (without `force`); ValidationError `HISTORY_INVALID`
 */
export const exportProjectSchema = async (project: StrataProject, options: WriteSchemaOptions = {}): Promise<WrittenSchema & { readonly migrations: number; readonly schema: Schema }> => {
	const format = options.format ?? 'json'
	const target = declaredSchemaTarget(project.root, project.schemaPath, format)
	if (!existsSync(project.migrationsDir)) {
		throw new StrataError('MIGRATIONS_DIR_MISSING', `The migrations directory ${project.migrationsDir} does not exist: there is no history to export.`)
	}
	const files = await readMigrations(project.migrationsDir)
	const history = validateHistory(files)
	if (history.problems.length > 0) {
		throw new ValidationError(`The migrations build a schema that is not valid, so it cannot be the declared schema (${history.problems.length} problem${history.problems.length === 1 ? '' : 's'}); nothing was written:`, history.problems, 'HISTORY_INVALID')
	}
	await writeDeclaredSchema(target, history.schema, format, options.force === true)
	return { ...written(target, format), migrations: files.length, schema: history.schema }
}

export interface IntrospectOptions extends DatabaseOptions, WriteSchemaOptions {
	readonly project: StrataProject
	/** the PostgreSQL schema to read (default `public`) */
	readonly schemaName?: string
}

/** where introspection writes the schema; refused when a file is there and `force` is not given (checked before any connection) */
export const introspectionTarget = (project: StrataProject, options: WriteSchemaOptions): string => {
	const target = declaredSchemaTarget(project.root, project.schemaPath, options.format ?? 'json')
	if (options.force !== true && existsSync(target)) throw new StrataError('SCHEMA_EXISTS', `${target} already exists. Pass --force to replace it. Nothing was written.`)
	return target
}

export interface Introspection extends WrittenSchema {
	/** the schema written, how each table and view maps to it, and what it cannot declare */
	readonly result: FromDatabaseResult
	readonly tables: number
	readonly views: number
	/** what db:drift and migrations:baseline will still report between the database and the schema */
	readonly drift: readonly DriftItem[]
	/** the `ignore` patterns that leave those out */
	readonly ignore: readonly string[]
}

/**
 * Reads a live database (only SELECTs on the catalog) and writes it as the declared schema.
 *
 * @throws StrataError `SCHEMA_EXISTS` (checked before connecting) unless `force`
 */
export const introspectProjectDatabase = async (options: IntrospectOptions): Promise<Introspection> => {
	const { project } = options
	const format = options.format ?? 'json'
	const force = options.force === true
	const target = introspectionTarget(project, options)
	const schemaName = options.schemaName ?? 'public'
	// the ledger is strata's own bookkeeping, as db:drift leaves it out
	const skipTables = ledgerTablesIn(ledgerSchemaFor(options, project.config), schemaName)
	return withConnection(options.database, 'strata db:introspect', async ({ client }) => {
		const live = await introspectDatabase(client, { schemaName, skipTables })
		const result = schemaFromDatabase(live)
		const drift = await introspectionDrift(client, result.schema, schemaName, skipTables)
		await writeDeclaredSchema(target, result.schema, format, force)
		return { ...written(target, format), result, tables: live.tables.length, views: live.views.length, drift, ignore: ignorePatternsOf(drift) }
	})
}

/** how a command that records migrations waits for the migration lock */
interface LockWaitOptions {
	/** give up after this many milliseconds (default 60 000) */
	readonly lockWaitMs?: number
	readonly onLockWait?: (holders: readonly LockHolder[], waitedMs: number) => void
}

const lockWait = (options: LockWaitOptions) =>
	({ ...(options.lockWaitMs !== undefined ? { lockWaitMs: options.lockWaitMs } : {}), ...(options.onLockWait ? { onLockWait: options.onLockWait } : {}) })

export interface BaselineProjectOptions extends DatabaseOptions, LockWaitOptions {
	readonly project: StrataProject
	/** the label of the migration to write (`initial`) */
	readonly name: string
	/** the declared schema; default: the project's */
	readonly declared?: Schema
	/** the PostgreSQL schema holding the tables (default `public`) */
	readonly schemaName?: string
	/** globs on `table` / `table.column`: objects managed outside the declared schema */
	readonly ignore?: readonly string[]
}

/**
 * For a database strata did not build: writes the first migration from the declared schema and
 * records it as executed, only when the database equals the declared schema (`recorded: false`
 * lists the differences otherwise; nothing is written then).
 *
 * @throws StrataError `MIGRATIONS_EXIST`, `LEDGER_NOT_EMPTY`
 */
export const baselineProject = async (options: BaselineProjectOptions): Promise<BaselineResult> => {
	const { project } = options
	const label = validateLabel(options.name)
	const existing = (await listMigrationDir(project.migrationsDir)).files
	if (existing.length > 0) {
		throw new StrataError('MIGRATIONS_EXIST', `${project.migrationsDir} already holds ${existing.length} migration${existing.length === 1 ? '' : 's'} (the newest: ${existing[existing.length - 1]!.name}); a baseline writes the first one. Nothing was written or recorded.`)
	}
	const declared = options.declared ?? await loadProjectSchema(project)
	return withConnection(options.database, 'strata migrations:baseline', ({ client }) => baselineDatabase(client, {
		declared, migrationsDir: project.migrationsDir, label, ledgerSchema: ledgerSchemaFor(options, project.config), schemaName: options.schemaName ?? 'public',
		ignore: options.ignore ?? [], ...lockWait(options),
	}))
}

export interface AdoptContemberOptions extends DatabaseOptions, LockWaitOptions {
	readonly project: StrataProject
	/** the stage schema holding the tables (default `stage_live`) */
	readonly schemaName?: string
	/** the Contember system schema holding schema_migration (default `system`) */
	readonly systemSchema?: string
	readonly ignore?: readonly string[]
}

/**
 * For a database Contember deployed: records the migrations its registry lists as executed in
 * strata's ledger, only when the files match what Contember executed and the tables equal their
 * schema (`recorded: false` lists the differences otherwise).
 */
export const adoptContemberProject = (options: AdoptContemberOptions): Promise<AdoptContemberResult> =>
	withConnection(options.database, 'strata migrations:adopt-contember', ({ client }) => adoptContemberDatabase(client, {
		migrationsDir: options.project.migrationsDir, ledgerSchema: ledgerSchemaFor(options, options.project.config),
		systemSchema: options.systemSchema ?? 'system', schemaName: options.schemaName ?? 'stage_live', ignore: options.ignore ?? [], ...lockWait(options),
	}))
