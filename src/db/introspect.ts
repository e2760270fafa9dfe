/**
 * Reads the live catalog into DatabaseMetadata: the names PostgreSQL chose for foreign keys,
 * unique constraints and indexes, which modifications that drop or recreate them look up.
 */
import type pg from 'pg'
import { createDatabaseMetadata, type DatabaseMetadata, type IndexDefinition } from '../sql/metadata.js'

interface IndexRow {
	oid: string
	index_name: string
	table_name: string
	column_names: string[]
	unique: boolean
	backs_constraint: boolean
	method: string
	key_columns: string[]
	key_expressions: boolean[]
	include_columns: string[]
	opclasses: string[]
	default_opclasses: boolean[]
	options: number[]
	predicate: string | null
	nulls_not_distinct: boolean
}

/**
 * Every index but primary keys, with its whole definition: key columns (an expression column
 * as its text), operator classes and whether each is the type's default (the default of the
 * column's base type, or the only default that fits it by binary coercion, e.g. text_ops for
 * varchar), indoption bits (1 = DESC, 2 = NULLS FIRST), INCLUDE columns (indkey past
 * indnkeyatts), predicate, access method, NULLS NOT DISTINCT (read through to_jsonb so the
 * query also runs before PostgreSQL 15, where the column does not exist).
 */
const indexesQuery = `
	SELECT i.indexrelid::int8::text AS oid, ic.relname AS index_name, t.relname AS table_name, am.amname AS method,
		i.indisunique AS unique,
		EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x')) AS backs_constraint,
		array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord) AS column_names,
		array(SELECT coalesce(a.attname::text, pg_get_indexdef(i.indexrelid, k.ord::int, true))
			FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
			LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
			WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS key_columns,
		array(SELECT k.attnum = 0 FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
			WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS key_expressions,
		array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
			WHERE k.ord > i.indnkeyatts ORDER BY k.ord) AS include_columns,
		array(SELECT opc.opcname::text FROM unnest(i.indclass::oid[]) WITH ORDINALITY c(opclass, ord)
			JOIN pg_opclass opc ON opc.oid = c.opclass ORDER BY c.ord) AS opclasses,
		array(SELECT opc.opcdefault AND (ty.oid IS NULL OR opc.opcintype = coalesce(nullif(ty.typbasetype, 0), ty.oid)
				OR NOT EXISTS (SELECT 1 FROM pg_opclass d WHERE d.opcmethod = opc.opcmethod AND d.opcdefault
					AND d.opcintype = coalesce(nullif(ty.typbasetype, 0), ty.oid)))
			FROM unnest(i.indclass::oid[], i.indkey::int2[]) WITH ORDINALITY c(opclass, attnum, ord)
			JOIN pg_opclass opc ON opc.oid = c.opclass
			LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = c.attnum AND c.attnum > 0
			LEFT JOIN pg_type ty ON ty.oid = a.atttypid
			WHERE c.opclass IS NOT NULL ORDER BY c.ord) AS default_opclasses,
		array(SELECT o FROM unnest(i.indoption::int2[]) o) AS options,
		pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
		coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nulls_not_distinct
	FROM pg_index i
	JOIN pg_class ic ON ic.oid = i.indexrelid
	JOIN pg_am am ON am.oid = ic.relam
	JOIN pg_class t ON t.oid = i.indrelid
	JOIN pg_namespace n ON n.oid = t.relnamespace
	WHERE n.nspname = $1 AND NOT i.indisprimary
	ORDER BY ic.relname`

const indexDefinition = (row: IndexRow): IndexDefinition => ({
	oid: Number(row.oid),
	method: row.method,
	keys: row.key_columns.map((column, position) => ({
		column,
		expression: row.key_expressions[position] ?? false,
		opClass: row.opclasses[position] ?? '',
		defaultOpClass: row.default_opclasses[position] ?? false,
		descending: ((row.options[position] ?? 0) & 1) !== 0,
		nullsFirst: ((row.options[position] ?? 0) & 2) !== 0,
	})),
	include: row.include_columns,
	predicate: row.predicate,
	nullsNotDistinct: row.nulls_not_distinct,
})

const withDefinition = (definition: IndexDefinition | undefined) => (definition ? { definition } : {})

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
	const uniqueConstraints = await client.query<{ constraint_name: string; table_name: string; column_names: string[]; deferrable: boolean; deferred: boolean; index_oid: string }>(
			`SELECT c.conname AS constraint_name, t.relname AS table_name,
				array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
					JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS column_names,
				c.condeferrable AS deferrable, c.condeferred AS deferred, c.conindid::int8::text AS index_oid
			FROM pg_constraint c
			JOIN pg_class t ON t.oid = c.conrelid
			JOIN pg_namespace n ON n.oid = t.relnamespace
			WHERE c.contype = 'u' AND n.nspname = $1
			ORDER BY c.conname`, [schemaName])
	const indexes = await client.query<IndexRow>(indexesQuery, [schemaName])
	const definitions = new Map(indexes.rows.map(row => [row.oid, indexDefinition(row)]))
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
			...withDefinition(definitions.get(row.index_oid)),
		})),
		// plain indexes only: those backing a primary key or a constraint are dropped with the constraint
		indexes: indexes.rows.filter(row => !row.backs_constraint).map(row => ({
			indexName: row.index_name,
			tableName: row.table_name,
			columnNames: row.column_names,
			unique: row.unique,
			definition: definitions.get(row.oid)!,
		})),
	})
}
