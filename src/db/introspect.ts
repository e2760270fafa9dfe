/**
 * Reads the live catalog into DatabaseMetadata: the names PostgreSQL chose for foreign keys,
 * unique constraints and indexes, which modifications that drop or recreate them look up.
 */
import type pg from 'pg'
import { createDatabaseMetadata, type CatalogSnapshot, type DatabaseMetadata, type IndexDefinition } from '../sql/metadata.js'

interface IndexRow {
	oid: string
	index_name: string
	table_name: string
	method: string
	unique: boolean
	key_count: number
	backs_constraint: boolean
	predicate: string | null
	nulls_not_distinct: boolean
}

interface IndexColumnRow {
	oid: string
	position: number
	/** the column name, or the expression's text (attnum 0) */
	column: string
	expression: boolean
	/** the column type, a domain resolved to its base type; null for an expression */
	base_type: string | null
	opclass: string | null
	option: number | null
}

interface OpClassRow {
	oid: string
	name: string
	method: string
	input_type: string
	is_default: boolean
}

/**
 * Every index but primary keys: access method, uniqueness, whether it backs a constraint (then
 * it is dropped with the constraint), predicate, NULLS NOT DISTINCT (PostgreSQL 15+).
 * Flat joins only: a subquery per index row costs seconds on a catalog with thousands of indexes.
 */
const indexesQuery = (nullsNotDistinct: boolean) => `
	SELECT i.indexrelid::int8::text AS oid, ic.relname AS index_name, t.relname AS table_name, am.amname AS method,
		i.indisunique AS unique, i.indnkeyatts::int AS key_count, b.conindid IS NOT NULL AS backs_constraint,
		pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
		${nullsNotDistinct ? 'i.indnullsnotdistinct' : 'false'} AS nulls_not_distinct
	FROM pg_index i
	JOIN pg_class ic ON ic.oid = i.indexrelid
	JOIN pg_am am ON am.oid = ic.relam
	JOIN pg_class t ON t.oid = i.indrelid
	JOIN pg_namespace n ON n.oid = t.relnamespace
	LEFT JOIN (SELECT DISTINCT conindid FROM pg_constraint WHERE contype IN ('p', 'u', 'x')) b ON b.conindid = i.indexrelid
	WHERE n.nspname = $1 AND NOT i.indisprimary AND ($2::text[] IS NULL OR t.relname = ANY($2))
	ORDER BY ic.relname`

/**
 * One row per index column: key columns first (indnkeyatts of them, with an operator class and
 * indoption bits 1 = DESC, 2 = NULLS FIRST), then INCLUDE columns (no operator class).
 */
const indexColumnsQuery = `
	SELECT i.indexrelid::int8::text AS oid, k.ord::int AS position, k.attnum = 0 AS expression,
		CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.ord::int, true) ELSE a.attname::text END AS column,
		coalesce(nullif(ty.typbasetype, 0), ty.oid)::int8::text AS base_type,
		k.opclass::int8::text AS opclass, k.option::int AS option
	FROM pg_index i
	JOIN pg_class t ON t.oid = i.indrelid
	JOIN pg_namespace n ON n.oid = t.relnamespace
	CROSS JOIN LATERAL unnest(i.indkey::int2[], i.indclass::oid[], i.indoption::int2[]) WITH ORDINALITY k(attnum, opclass, option, ord)
	LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
	LEFT JOIN pg_type ty ON ty.oid = a.atttypid
	WHERE n.nspname = $1 AND NOT i.indisprimary AND ($2::text[] IS NULL OR t.relname = ANY($2))
	ORDER BY 1, 2`

const opClassesQuery = `
	SELECT oid::int8::text AS oid, opcname::text AS name, opcmethod::int8::text AS method, opcintype::int8::text AS input_type, opcdefault AS is_default
	FROM pg_opclass`

/**
 * Whether PostgreSQL would pick this operator class for the column when none is written: a
 * default one of the access method whose input type is the column's (base) type, or, when the
 * method has no default for that exact type, the default that fits by binary coercion (text_ops
 * for varchar). Expression columns: any default counts.
 */
const isDefaultOpClass = (opClass: OpClassRow, baseType: string | null, exactDefaults: ReadonlySet<string>): boolean =>
	opClass.is_default && (baseType === null || opClass.input_type === baseType || !exactDefaults.has(`${opClass.method}/${baseType}`))

const indexDefinition = (row: IndexRow, columns: readonly IndexColumnRow[], opClasses: ReadonlyMap<string, OpClassRow>, exactDefaults: ReadonlySet<string>): IndexDefinition => ({
		oid: Number(row.oid),
		method: row.method,
		keys: columns.slice(0, row.key_count).map(column => {
			const opClass = column.opclass !== null ? opClasses.get(column.opclass) : undefined
			return {
				column: column.column,
				expression: column.expression,
				opClass: opClass?.name ?? '',
				defaultOpClass: opClass !== undefined && isDefaultOpClass(opClass, column.base_type, exactDefaults),
				descending: ((column.option ?? 0) & 1) !== 0,
				nullsFirst: ((column.option ?? 0) & 2) !== 0,
			}
		}),
		include: columns.slice(row.key_count).map(column => column.column),
		predicate: row.predicate,
		nullsNotDistinct: row.nulls_not_distinct,
})

/** the server's operator classes, and which (method, type) pairs have an exact default */
export interface OperatorClasses {
	readonly byOid: ReadonlyMap<string, OpClassRow>
	readonly exactDefaults: ReadonlySet<string>
}

export const readOperatorClasses = async (client: pg.Client): Promise<OperatorClasses> => {
	const byOid = new Map((await client.query<OpClassRow>(opClassesQuery)).rows.map(row => [row.oid, row]))
	return { byOid, exactDefaults: new Set([...byOid.values()].filter(it => it.is_default).map(it => `${it.method}/${it.input_type}`)) }
}

const serverVersions = new WeakMap<pg.Client, number>()
export const serverVersion = async (client: pg.Client): Promise<number> => {
	let version = serverVersions.get(client)
	if (version === undefined) {
		version = Number((await client.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`)).rows[0]!.v)
		serverVersions.set(client, version)
	}
	return version
}

const withDefinition = (definition: IndexDefinition | undefined) => (definition ? { definition } : {})

/**
 * The catalog of `schemaName`, or of just the named tables in it. Operator classes change only
 * with DDL outside strata's modifications; `opClasses` lets a caller that reads often keep them.
 */
export const readCatalog = async (
	client: pg.Client, schemaName = 'public', tables?: readonly string[], opClasses?: OperatorClasses,
): Promise<CatalogSnapshot> => {
	const tableList = tables ? [...tables] : null
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
			WHERE c.contype = 'f' AND n.nspname = $1 AND array_length(c.conkey, 1) = 1 AND ($2::text[] IS NULL OR src.relname = ANY($2))
			ORDER BY c.conname`, [schemaName, tableList])
	const uniqueConstraints = await client.query<{ constraint_name: string; table_name: string; column_names: string[]; deferrable: boolean; deferred: boolean; index_oid: string }>(
			`SELECT c.conname AS constraint_name, t.relname AS table_name,
				array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
					JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS column_names,
				c.condeferrable AS deferrable, c.condeferred AS deferred, c.conindid::int8::text AS index_oid
			FROM pg_constraint c
			JOIN pg_class t ON t.oid = c.conrelid
			JOIN pg_namespace n ON n.oid = t.relnamespace
			WHERE c.contype = 'u' AND n.nspname = $1 AND ($2::text[] IS NULL OR t.relname = ANY($2))
			ORDER BY c.conname`, [schemaName, tableList])
	const indexes = await client.query<IndexRow>(indexesQuery((await serverVersion(client)) >= 150000), [schemaName, tableList])
	const indexColumns = await client.query<IndexColumnRow>(indexColumnsQuery, [schemaName, tableList])
	const known = opClasses && indexColumns.rows.every(row => row.opclass === null || opClasses.byOid.has(row.opclass)) ? opClasses : await readOperatorClasses(client)
	const columnsByIndex = new Map<string, IndexColumnRow[]>()
	for (const row of indexColumns.rows) {
		const columns = columnsByIndex.get(row.oid)
		if (columns) columns.push(row)
		else columnsByIndex.set(row.oid, [row])
	}
	const definitions = new Map(indexes.rows.map(row => [row.oid, indexDefinition(row, columnsByIndex.get(row.oid) ?? [], known.byOid, known.exactDefaults)]))
	return {
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
			columnNames: (columnsByIndex.get(row.oid) ?? []).filter(column => !column.expression).map(column => column.column),
			unique: row.unique,
			definition: definitions.get(row.oid)!,
		})),
	}
}

export const readDatabaseMetadata = async (client: pg.Client, schemaName = 'public'): Promise<DatabaseMetadata> =>
	createDatabaseMetadata(await readCatalog(client, schemaName))
