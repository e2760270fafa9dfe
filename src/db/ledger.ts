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
export const DEFAULT_LEDGER_SCHEMA = 'strata'

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

const table = (schema: string, name: string) => `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`

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
]

export const LEDGER_SHAPE_VERSION = upgrades.length

export const validateLedgerSchemaName = (schema: string): string => {
	if (!/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(schema)) {
		throw new StrataError('INVALID_LEDGER_SCHEMA', `The ledger schema name "${schema}" is not a plain identifier (letters, digits, _ ; at most 63 characters).`)
	}
	return schema
}

const readShapeVersion = async (client: pg.Client, schema: string): Promise<number | undefined> => {
	const exists = await client.query<{ present: boolean }>(
		`SELECT to_regclass($1) IS NOT NULL AS present`, [`${quoteIdentifier(schema)}."ledger_meta"`])
	if (!exists.rows[0]?.present) return undefined
	const result = await client.query<{ value: string }>(`SELECT "value" FROM ${table(schema, 'ledger_meta')} WHERE "key" = 'shape_version'`)
	return result.rows[0] ? Number(result.rows[0].value) : 0
}

const refuseNewer = (schema: string, version: number) => {
	if (version > LEDGER_SHAPE_VERSION) {
		throw new StrataError('LEDGER_TOO_NEW',
			`The ledger ${schema}.migrations has shape version ${version}, written by a newer strata (this one knows up to ${LEDGER_SHAPE_VERSION}). Upgrade strata.`)
	}
}

/** creates or upgrades the ledger; call it while holding the migration lock */
export const ensureLedger = async (client: pg.Client, schema: string = DEFAULT_LEDGER_SCHEMA): Promise<void> => {
	validateLedgerSchemaName(schema)
	const current = (await readShapeVersion(client, schema)) ?? 0
	refuseNewer(schema, current)
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

/** the executed migrations, by version; an absent ledger reads as empty (nothing is created) */
export const readLedger = async (client: pg.Client, schema: string = DEFAULT_LEDGER_SCHEMA): Promise<LedgerRow[]> => {
	validateLedgerSchemaName(schema)
	const shape = await readShapeVersion(client, schema)
	if (shape === undefined || shape === 0) return []
	refuseNewer(schema, shape)
	const result = await client.query<{
		version: string; name: string; checksum: string; checksum_algorithm: string; format_version: number
		migration: string; executed_at: Date; duration_ms: number; executed_by: string
	}>(`SELECT "version", "name", "checksum", "checksum_algorithm", "format_version", "migration"::text AS "migration",
		"executed_at", "duration_ms", "executed_by" FROM ${table(schema, 'migrations')} ORDER BY "version"`)
	return result.rows.map(row => ({
		version: row.version,
		name: row.name,
		checksum: row.checksum,
		checksumAlgorithm: row.checksum_algorithm,
		formatVersion: row.format_version,
		migration: row.migration,
		executedAt: row.executed_at,
		durationMs: row.duration_ms,
		executedBy: row.executed_by,
	}))
}

/** records one migration; runs inside the caller's transaction, next to the migration's SQL */
export const recordMigration = async (client: pg.Client, schema: string, entry: LedgerEntry): Promise<void> => {
	await client.query(
		`INSERT INTO ${table(schema, 'migrations')}
			("version", "name", "checksum", "checksum_algorithm", "format_version", "migration", "duration_ms", "executed_by")
		VALUES ($1, $2, $3, $4, $5, $6::json, $7, current_user || ' (' || coalesce(nullif(current_setting('application_name'), ''), '?') || ') on ' || $8)`,
		[entry.version, entry.name, entry.checksum, CHECKSUM_ALGORITHM, entry.formatVersion, entry.migration, Math.round(entry.durationMs), hostName()],
	)
}

const hostName = () => process.env.HOSTNAME || hostname()
