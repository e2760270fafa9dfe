/**
 * The catalog facts of a live database, read from pg_catalog, for the lock probe: column types
 * as strata writes them (domains quoted), collations, foreign keys by name, domain users and
 * index tables. Describe builds the same facts from the schema (src/migrations/schemaCatalogFacts.ts);
 * here they come from the database the probe runs on, so they cannot disagree with it.
 */
import type pg from 'pg'
import type { CatalogFacts, ForeignKeyFacts, TableFacts } from '../../../src/sql/statementLocksFacts.js'
import type { ColumnTypeFacts } from '../../../src/sql/statementLocksRetype.js'

export const readCatalogFacts = async (client: pg.Client): Promise<CatalogFacts> => {
	const columns = await client.query<{ table: string; column: string; type: string; collation: string | null; domain: string | null }>(`
		SELECT c.relname AS table, a.attname AS column,
			CASE WHEN t.typtype = 'd' THEN '"' || replace(t.typname, '"', '""') || '"' ELSE format_type(a.atttypid, a.atttypmod) END AS type,
			CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation,
			CASE WHEN t.typtype = 'd' THEN t.typname END AS domain
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid
		LEFT JOIN pg_collation co ON co.oid = a.attcollation
		WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`)
	const foreignKeys = await client.query<{ table: string; column: string; to_table: string; name: string }>(`
		SELECT c.relname AS table, a.attname AS column, r.relname AS to_table, k.conname AS name
		FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
		JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
		WHERE k.contype = 'f' AND c.relnamespace = 'public'::regnamespace`)
	const indexes = await client.query<{ index: string; table: string }>(`
		SELECT i.relname AS index, c.relname AS table FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
		WHERE c.relnamespace = 'public'::regnamespace`)
	const domains = await client.query<{ name: string; base: string }>(`
		SELECT t.typname AS name, format_type(t.typbasetype, t.typtypmod) AS base FROM pg_type t WHERE t.typtype = 'd' AND t.typnamespace = 'public'::regnamespace`)

	const tables = new Map<string, { columns: Map<string, ColumnTypeFacts>; foreignKeys: ForeignKeyFacts[] }>()
	const table = (name: string) => tables.get(name) ?? tables.set(name, { columns: new Map(), foreignKeys: [] }).get(name)!
	for (const row of columns.rows) table(row.table).columns.set(row.column, { type: row.type, ...(row.collation ? { collation: row.collation } : {}) })
	for (const row of foreignKeys.rows) table(row.table).foreignKeys.push({ column: row.column, toTable: row.to_table, name: row.name })
	return {
		table: (name): TableFacts | undefined => tables.get(name),
		tablesUsingDomain: domain => [...new Set(columns.rows.filter(row => row.domain === domain).map(row => row.table))],
		domainBaseType: domain => domains.rows.find(row => row.name === domain)?.base,
		indexTable: index => indexes.rows.find(row => row.index === index)?.table,
	}
}
