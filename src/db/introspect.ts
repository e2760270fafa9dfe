/**
 * Reads the live catalog into DatabaseMetadata: the names PostgreSQL chose for foreign keys,
 * unique constraints and indexes, which modifications that drop or recreate them look up.
 */
import type pg from 'pg'
import { createDatabaseMetadata, type DatabaseMetadata } from '../sql/metadata.js'

export const readDatabaseMetadata = async (client: pg.Client, schemaName = 'public'): Promise<DatabaseMetadata> => {
	// sequential: one connection runs one query at a time
	const foreignKeys = await client.query<{ constraint_name: string; from_table: string; from_column: string; to_table: string; to_column: string; delete_action: string; deferrable: boolean; deferred: boolean }>(
			`SELECT c.conname AS constraint_name, src.relname AS from_table, sa.attname AS from_column,
				dst.relname AS to_table, da.attname AS to_column, c.confdeltype::text AS delete_action,
				c.condeferrable AS deferrable, c.condeferred AS deferred
			FROM pg_constraint c
			JOIN pg_class src ON src.oid = c.conrelid
			JOIN pg_namespace n ON n.oid = src.relnamespace
			JOIN pg_class dst ON dst.oid = c.confrelid
			JOIN pg_attribute sa ON sa.attrelid = c.conrelid AND sa.attnum = c.conkey[1]
			JOIN pg_attribute da ON da.attrelid = c.confrelid AND da.attnum = c.confkey[1]
			WHERE c.contype = 'f' AND n.nspname = $1 AND array_length(c.conkey, 1) = 1
			ORDER BY c.conname`, [schemaName])
	const uniqueConstraints = await client.query<{ constraint_name: string; table_name: string; column_names: string[]; deferrable: boolean; deferred: boolean }>(
			`SELECT c.conname AS constraint_name, t.relname AS table_name,
				array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
					JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS column_names,
				c.condeferrable AS deferrable, c.condeferred AS deferred
			FROM pg_constraint c
			JOIN pg_class t ON t.oid = c.conrelid
			JOIN pg_namespace n ON n.oid = t.relnamespace
			WHERE c.contype = 'u' AND n.nspname = $1
			ORDER BY c.conname`, [schemaName])
	// plain indexes only: those backing a primary key or a constraint are dropped with the constraint
	const indexes = await client.query<{ index_name: string; table_name: string; column_names: string[]; unique: boolean }>(
			`SELECT ic.relname AS index_name, t.relname AS table_name,
				array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
					JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord) AS column_names,
				i.indisunique AS unique
			FROM pg_index i
			JOIN pg_class ic ON ic.oid = i.indexrelid
			JOIN pg_class t ON t.oid = i.indrelid
			JOIN pg_namespace n ON n.oid = t.relnamespace
			WHERE n.nspname = $1 AND NOT i.indisprimary
				AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
			ORDER BY ic.relname`, [schemaName])
	return createDatabaseMetadata({
		foreignKeys: foreignKeys.rows.map(row => ({
			constraintName: row.constraint_name,
			fromTable: row.from_table,
			fromColumn: row.from_column,
			toTable: row.to_table,
			toColumn: row.to_column,
			deleteAction: row.delete_action,
			deferrable: row.deferrable,
			deferred: row.deferred,
		})),
		uniqueConstraints: uniqueConstraints.rows.map(row => ({
			constraintName: row.constraint_name,
			tableName: row.table_name,
			columnNames: row.column_names,
			deferrable: row.deferrable,
			deferred: row.deferred,
		})),
		indexes: indexes.rows.map(row => ({
			indexName: row.index_name,
			tableName: row.table_name,
			columnNames: row.column_names,
			unique: row.unique,
		})),
	})
}
