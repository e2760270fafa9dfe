/**
 * How big the tables a migration locks are, from the catalog alone (no table is read):
 * pg_class.reltuples, the planner's row estimate (-1, unknown, until ANALYZE or autovacuum ran
 * on the table), and pg_total_relation_size (table, indexes and TOAST).
 */
import type pg from 'pg'
import type { TableSize } from '../migrations/describeLocks.js'

export const readTableSizes = async (client: pg.Client, tables: readonly string[], schemaName = 'public'): Promise<Map<string, TableSize>> => {
	if (tables.length === 0) return new Map()
	const { rows } = await client.query<{ name: string; rows: number; bytes: string }>(
		`SELECT c.relname AS name, c.reltuples::float8 AS rows, pg_total_relation_size(c.oid)::text AS bytes
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND c.relkind IN ('r', 'p', 'm')`,
		[schemaName, [...new Set(tables)]],
	)
	return new Map(rows.map(row => [row.name, { ...(row.rows >= 0 ? { rows: Math.round(row.rows) } : {}), bytes: Number(row.bytes) }]))
}
