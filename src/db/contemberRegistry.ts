/**
 * Contember's own record of executed migrations: the `schema_migration` table in a project's
 * system schema (version, name, checksum, type). strata reads it only to take a deployed
 * Contember database over (migrations:adopt-contember); it never writes it.
 */
import { createHash } from 'node:crypto'
import type pg from 'pg'
import { StrataError } from '../errors.js'
import { quoteIdentifier } from '../sql/quote.js'

export interface RegistryRow {
	readonly version: string
	readonly name: string
	/** md5 hex of `JSON.stringify(modifications)`; null for content migrations (and rows from before 2023) */
	readonly checksum: string | null
	/** `schema` or `content` (rows from before the column existed are schema migrations) */
	readonly type: string
}

/**
 * Contember's checksum of a migration file: md5 over the compact JSON of its `modifications`
 * exactly as the file orders their keys (Contember does not canonicalise), so it is computed
 * from the file's text, not from strata's parsed form.
 */
export const contemberChecksum = (fileText: string): string => {
	const modifications = (JSON.parse(fileText) as { modifications?: unknown }).modifications
	return createHash('md5').update(JSON.stringify(modifications ?? []), 'utf8').digest('hex')
}

export const readContemberRegistry = async (client: pg.Client, systemSchema: string): Promise<RegistryRow[]> => {
	const columns = new Set((await client.query<{ name: string }>(
		`SELECT a.attname::text AS name FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relname = 'schema_migration' AND a.attnum > 0 AND NOT a.attisdropped`, [systemSchema])).rows.map(row => row.name))
	if (columns.size === 0) {
		throw new StrataError('CONTEMBER_REGISTRY_MISSING', `There is no Contember registry ${systemSchema}.schema_migration in this database. `
			+ 'Name the project\'s system schema with --system-schema (Contember\'s default is "system"). Nothing was recorded.')
	}
	for (const required of ['version', 'name']) {
		if (!columns.has(required)) throw new StrataError('CONTEMBER_REGISTRY_UNREADABLE', `${systemSchema}.schema_migration has no "${required}" column: it is not a Contember registry strata can read. Nothing was recorded.`)
	}
	const checksum = columns.has('checksum') ? 'checksum::text' : 'NULL::text'
	const type = columns.has('type') ? 'type::text' : `'schema'`
	return (await client.query<RegistryRow>(
		`SELECT version::text AS version, name::text AS name, ${checksum} AS checksum, ${type} AS type FROM ${quoteIdentifier(systemSchema)}.schema_migration ORDER BY version`)).rows
		.map(row => ({ ...row, checksum: row.checksum?.trim() || null }))
}
