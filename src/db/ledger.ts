/**
 * The ledger: which migrations ran against this database, with their content and checksum.
 * Its own shape is versioned in `<schema>.ledger_meta` and upgraded by strata (inside the
 * migration lock), so a newer strata can add columns without a manual step.
 */
import { hostname } from 'node:os'
import type pg from 'pg'
import { StrataError } from '../errors.js'
import { CHECKSUM_ALGORITHM } from '../migrations/checksum.js'
import { quoteIdentifier, quoteString } from '../sql/quote.js'

export { CHECKSUM_ALGORITHM }
import { DEFAULT_LEDGER_SCHEMA } from './ledgerDefaults.js'

export { DEFAULT_LEDGER_SCHEMA }

export interface LedgerRow {
	readonly version: string
	readonly name: string
	readonly checksum: string
	readonly checksumAlgorithm: string
	readonly formatVersion: number
	/** the migration JSON text as it was executed */
	readonly migration: string
	readonly executedAt: Date
	readonly durationMs: number
	readonly executedBy: string
}

export interface LedgerEntry {
	readonly version: string
	readonly name: string
	readonly checksum: string
	readonly formatVersion: number
	readonly migration: string
	readonly durationMs: number
}

export const table = (schema: string, name: string) => `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`

/** each entry upgrades the ledger from shape `index` to `index + 1` */
const upgrades: ((schema: string) => string[])[] = [
	schema => [
		`CREATE TABLE ${table(schema, 'migrations')} (
	"version" varchar(20) PRIMARY KEY,
	"name" text NOT NULL UNIQUE,
	"checksum" text NOT NULL,
	"checksum_algorithm" text NOT NULL,
	"format_version" integer NOT NULL,
	"migration" json NOT NULL,
	"executed_at" timestamptz NOT NULL DEFAULT clock_timestamp(),
	"duration_ms" integer NOT NULL,
	"executed_by" text NOT NULL
)`,
	],
	// shape 2: the steps of online migrations (src/online/), planned and done, so a killed run resumes (ledgerSteps.ts)
	schema => [
		`CREATE TABLE ${table(schema, 'migration_steps')} (
	"version" varchar(20) NOT NULL,
	"step" integer NOT NULL,
	"name" text NOT NULL,
	"checksum" text NOT NULL,
	"modification_index" integer NOT NULL,
	"statements" json NOT NULL,
	"transactional" boolean NOT NULL,
	"builds" text,
	"planned_at" timestamptz NOT NULL DEFAULT clock_timestamp(),
	"executed_at" timestamptz,
	"duration_ms" integer,
	PRIMARY KEY ("version", "step")
)`,
	],
]

export const LEDGER_SHAPE_VERSION = upgrades.length

/** every table the ledger keeps in its schema; comparisons of a schema that also holds the ledger leave them out */
export const LEDGER_TABLES: readonly string[] = ['migrations', 'ledger_meta', 'migration_steps']

/** the ledger's tables when the ledger lives in the compared schema, else none */
export const ledgerTablesIn = (ledgerSchema: string, schemaName: string): readonly string[] => (ledgerSchema === schemaName ? LEDGER_TABLES : [])

export const validateLedgerSchemaName = (schema: string): string => {
	if (!/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(schema)) {
		throw new StrataError('INVALID_LEDGER_SCHEMA', `The ledger schema name "${schema}" is not a plain identifier (letters, digits, _ ; at most 63 characters).`)
	}
	return schema
}

/** The ledger cannot be trusted: read as empty it would make execute run every migration again. */
export class LedgerDamagedError extends StrataError {
	constructor(schema: string, problems: readonly string[], repair: string) {
		super('LEDGER_DAMAGED', `The ledger ${schema}.migrations is damaged:\n${problems.map(problem => `  - ${problem}`).join('\n')}\n`
			+ `strata neither reads it as empty nor writes to it until it is repaired.\n${repair}`)
	}
}

const restoreMetaSql = (schema: string) =>
	`CREATE TABLE IF NOT EXISTS ${table(schema, 'ledger_meta')} ("key" text PRIMARY KEY, "value" text NOT NULL);\n`
	+ `  INSERT INTO ${table(schema, 'ledger_meta')} VALUES ('shape_version', '${LEDGER_SHAPE_VERSION}') ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value";`

const metaRepair = (schema: string) =>
	`If ${schema}.migrations has strata's columns (version, name, checksum, checksum_algorithm, format_version, migration, executed_at, duration_ms, executed_by), restore the metadata:\n  ${restoreMetaSql(schema)}\nOtherwise restore the ledger schema from a backup.`

/**
 * The ledger's shape version: undefined when there is no ledger (or only an empty ledger_meta
 * an interrupted creation left), a number otherwise. Metadata that contradicts the tables is
 * damage, never "no ledger".
 */
const readShapeVersion = async (client: pg.Client, schema: string): Promise<number | undefined> => {
	const exists = await client.query<{ meta: boolean; migrations: boolean }>(
		`SELECT to_regclass($1) IS NOT NULL AS meta, to_regclass($2) IS NOT NULL AS migrations`,
		[`${quoteIdentifier(schema)}."ledger_meta"`, `${quoteIdentifier(schema)}."migrations"`])
	const { meta, migrations } = exists.rows[0]!
	if (!meta) {
		if (migrations) throw new LedgerDamagedError(schema, [`${schema}.ledger_meta, which records the ledger's shape version, is missing`], metaRepair(schema))
		return undefined
	}
	const result = await client.query<{ value: string | null }>(`SELECT "value" FROM ${table(schema, 'ledger_meta')} WHERE "key" = 'shape_version'`)
	const value = result.rows[0]?.value
	if (value === undefined) {
		if (migrations) throw new LedgerDamagedError(schema, [`${schema}.ledger_meta has no shape_version row`], metaRepair(schema))
		return undefined
	}
	const version = value !== null && /^\d{1,9}$/.test(value.trim()) ? Number(value) : Number.NaN
	if (!Number.isInteger(version) || version < 1) {
		throw new LedgerDamagedError(schema, [`${schema}.ledger_meta says the shape version is ${JSON.stringify(value)}, which is not a version strata ever wrote (1 to ${LEDGER_SHAPE_VERSION})`], metaRepair(schema))
	}
	refuseNewer(schema, version)
	if (!migrations) {
		throw new LedgerDamagedError(schema, [`${schema}.ledger_meta records shape version ${version}, but the table ${schema}.migrations is missing`],
			'Restore the ledger schema from a backup. If the database really has no executed migrations, drop the ledger schema and let migrations:execute create it again.')
	}
	return version
}

const refuseNewer = (schema: string, version: number) => {
	if (version > LEDGER_SHAPE_VERSION) {
		throw new StrataError('LEDGER_TOO_NEW',
			`The ledger ${schema}.migrations has shape version ${version}, written by a newer strata (this one knows up to ${LEDGER_SHAPE_VERSION}). Upgrade strata.`)
	}
}

/** the ledger's shape version, undefined without a ledger (damage throws LedgerDamagedError) */
export const ledgerShapeVersion = (client: pg.Client, schema: string): Promise<number | undefined> => readShapeVersion(client, validateLedgerSchemaName(schema))

/** creates or upgrades the ledger; call it while holding the migration lock */
export const ensureLedger = async (client: pg.Client, schema: string = DEFAULT_LEDGER_SCHEMA): Promise<void> => {
	validateLedgerSchemaName(schema)
	const current = (await readShapeVersion(client, schema)) ?? 0
	if (current === LEDGER_SHAPE_VERSION) return
	await client.query('BEGIN')
	try {
		await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`)
		await client.query(`CREATE TABLE IF NOT EXISTS ${table(schema, 'ledger_meta')} ("key" text PRIMARY KEY, "value" text NOT NULL)`)
		for (let version = current; version < LEDGER_SHAPE_VERSION; version++) {
			for (const statement of upgrades[version]!(schema)) await client.query(statement)
		}
		await client.query(
			`INSERT INTO ${table(schema, 'ledger_meta')} ("key", "value") VALUES ('shape_version', ${quoteString(String(LEDGER_SHAPE_VERSION))})
			ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value"`)
		await client.query('COMMIT')
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined)
		throw error
	}
}

interface RawLedgerRow {
	version: unknown; name: unknown; checksum: unknown; checksum_algorithm: unknown; format_version: unknown
	migration: unknown; executed_at: unknown; duration_ms: unknown; executed_by: unknown
}

/** what is wrong with one row, column by column (the table's NOT NULL constraints may have been dropped) */
const rowProblems = (row: RawLedgerRow): string[] => {
	const where = `row ${typeof row.version === 'string' ? row.version : JSON.stringify(row.version)}`
	const problems: string[] = []
	const expect = (column: string, ok: boolean, what: string) => {
		if (!ok) problems.push(`${where}: ${column} is ${JSON.stringify((row as unknown as Record<string, unknown>)[column]) ?? 'undefined'}, expected ${what}`)
	}
	const text = (value: unknown) => typeof value === 'string' && value !== ''
	expect('version', text(row.version), 'a version')
	expect('name', text(row.name), 'a migration name')
	expect('checksum', text(row.checksum), 'a checksum')
	expect('checksum_algorithm', text(row.checksum_algorithm), 'an algorithm name')
	expect('format_version', Number.isInteger(row.format_version), 'a format version')
	expect('migration', text(row.migration), 'the migration JSON')
	expect('executed_at', row.executed_at instanceof Date && !Number.isNaN(row.executed_at.getTime()), 'a timestamp')
	expect('duration_ms', Number.isInteger(row.duration_ms), 'a number of milliseconds')
	expect('executed_by', typeof row.executed_by === 'string', 'text')
	return problems
}

/** SQLSTATE classes that mean the ledger tables do not have the shape strata expects */
const isShapeError = (error: unknown) => /^(42|22)/.test(String((error as { code?: unknown })?.code ?? ''))

/**
 * The executed migrations, by version; an absent ledger reads as empty (nothing is created).
 * A damaged ledger (metadata missing or wrong, a column missing, a row with a NULL) throws
 * LedgerDamagedError naming every problem.
 */
export const readLedger = async (client: pg.Client, schema: string = DEFAULT_LEDGER_SCHEMA): Promise<LedgerRow[]> => {
	validateLedgerSchemaName(schema)
	const shape = await readShapeVersion(client, schema)
	if (shape === undefined) return []
	let rows: RawLedgerRow[]
	try {
		rows = (await client.query<RawLedgerRow>(`SELECT "version", "name", "checksum", "checksum_algorithm", "format_version", "migration"::text AS "migration",
			"executed_at", "duration_ms", "executed_by" FROM ${table(schema, 'migrations')} ORDER BY "version"`)).rows
	} catch (error) {
		if (!isShapeError(error)) throw error
		throw new LedgerDamagedError(schema, [`reading it failed: ${(error as Error).message}`], 'Restore the ledger schema from a backup, or repair the table to the shape strata created.')
	}
	const problems = rows.flatMap(rowProblems)
	if (problems.length > 0) {
		throw new LedgerDamagedError(schema, problems, `Repair the row${problems.length === 1 ? '' : 's'} (UPDATE ${table(schema, 'migrations')} SET … WHERE "version" = …) or restore the ledger from a backup.`)
	}
	return rows.map(row => ({
		version: row.version as string,
		name: row.name as string,
		checksum: row.checksum as string,
		checksumAlgorithm: row.checksum_algorithm as string,
		formatVersion: row.format_version as number,
		migration: row.migration as string,
		executedAt: row.executed_at as Date,
		durationMs: row.duration_ms as number,
		executedBy: row.executed_by as string,
	}))
}

/**
 * Which database and ledger this is, for the dev journal: the cluster's system identifier (when
 * the server lets every role read it), the database name and the ledger schema.
 */
export const ledgerIdentity = async (client: pg.Client, schema: string): Promise<{ cluster: string; database: string; ledgerSchema: string }> => {
	const database = (await client.query<{ name: string }>('SELECT current_database() AS name')).rows[0]!.name
	const cluster = await client.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()')
		.then(result => result.rows[0]?.id ?? '', () => '')
	return { cluster, database, ledgerSchema: schema }
}

/** records one migration; runs inside the caller's transaction, next to the migration's SQL */
export const recordMigration = (client: pg.Client, schema: string, entry: LedgerEntry): Promise<void> =>
	recordMigrations(client, schema, [entry])

/** rows per INSERT: 8 parameters each, far below PostgreSQL's 65,535 per statement */
const RECORD_CHUNK = 500

/** records executed migrations, a few hundred rows per statement */
export const recordMigrations = async (client: pg.Client, schema: string, entries: readonly LedgerEntry[]): Promise<void> => {
	const host = hostName()
	for (let start = 0; start < entries.length; start += RECORD_CHUNK) {
		const chunk = entries.slice(start, start + RECORD_CHUNK)
		const values: unknown[] = []
		const rows = chunk.map(entry => {
			const p = values.length
			values.push(entry.version, entry.name, entry.checksum, CHECKSUM_ALGORITHM, entry.formatVersion, entry.migration, Math.round(entry.durationMs), host)
			return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}::json, $${p + 7}, current_user || ' (' || coalesce(nullif(current_setting('application_name'), ''), '?') || ') on ' || $${p + 8})`
		})
		await client.query(
			`INSERT INTO ${table(schema, 'migrations')}
				("version", "name", "checksum", "checksum_algorithm", "format_version", "migration", "duration_ms", "executed_by")
			VALUES ${rows.join(',\n')}`,
			values,
		)
	}
}

const hostName = () => process.env.HOSTNAME || hostname()
