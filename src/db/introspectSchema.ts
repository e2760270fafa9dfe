/**
 * Reads one PostgreSQL schema into the plain data db:introspect maps to a declared schema
 * (src/schema/fromDatabase/input.ts): tables and partitions, views, columns with their types,
 * identity, defaults and generation, keys (via readCatalog for unique constraints and
 * indexes), foreign keys of any width, CHECK and EXCLUDE constraints, domains, native enums,
 * triggers, functions and sequences. Only SELECTs on the catalog: a read-only role suffices.
 * Objects that belong to an extension are left out (the extension owns them).
 */
import type pg from 'pg'
import { StrataError } from '../errors.js'
import type { LiveColumn, LiveDatabase, LiveDomain, LiveTable, LiveView } from '../schema/fromDatabase/input.js'
import { parseEnumCheck } from './drift.js'
import { readCatalog } from './introspect.js'

const notExtensionMember = (alias: string, catalog: string) =>
	`NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${catalog}'::regclass AND e.objid = ${alias}.oid AND e.deptype = 'e')`

const relationsQuery = `
	SELECT c.relname AS name, c.relkind::text AS kind, p.relname AS parent,
		CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS definition
	FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND c.relispartition
	LEFT JOIN pg_class p ON p.oid = i.inhparent
	WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') AND ${notExtensionMember('c', 'pg_class')}
	ORDER BY c.relname`

interface ColumnRow {
	table_name: string; name: string; not_null: boolean; identity: string; generated: string
	formatted: string; element_type: string; type_name: string; type_schema: string; type_kind: string; is_array: boolean
	default_expr: string | null; collation: string | null; identity_start: string | null
}

/** element type for arrays (typcategory A), the type itself otherwise; the identity sequence's start */
const columnsQuery = `
	SELECT c.relname AS table_name, a.attname AS name, a.attnotnull AS not_null, a.attidentity::text AS identity, a.attgenerated::text AS generated,
		format_type(a.atttypid, a.atttypmod) AS formatted,
		format_type(coalesce(et.oid, t.oid), a.atttypmod) AS element_type,
		coalesce(et.typname, t.typname)::text AS type_name, tn.nspname::text AS type_schema,
		coalesce(et.typtype, t.typtype)::text AS type_kind, et.oid IS NOT NULL AS is_array,
		pg_get_expr(d.adbin, d.adrelid) AS default_expr,
		CASE WHEN a.attcollation <> 0 AND a.attcollation <> coalesce(et.typcollation, t.typcollation) THEN co.collname::text END AS collation,
		CASE WHEN a.attidentity <> '' THEN (
			SELECT s.seqstart::text FROM pg_depend dep JOIN pg_sequence s ON s.seqrelid = dep.objid
			WHERE dep.classid = 'pg_class'::regclass AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'i'
		) END AS identity_start
	FROM pg_attribute a
	JOIN pg_class c ON c.oid = a.attrelid
	JOIN pg_namespace n ON n.oid = c.relnamespace
	JOIN pg_type t ON t.oid = a.atttypid
	LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
	JOIN pg_namespace tn ON tn.oid = coalesce(et.typnamespace, t.typnamespace)
	LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
	LEFT JOIN pg_collation co ON co.oid = a.attcollation
	WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
	ORDER BY c.relname, a.attnum`

const columnNames = (relation: string, numbers: string) =>
	`array(SELECT a.attname::text FROM unnest(${numbers}) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = ${relation} AND a.attnum = k.attnum ORDER BY k.ord)`

const primaryKeysQuery = `
	SELECT t.relname AS table_name, c.conname AS name, ${columnNames('c.conrelid', 'c.conkey')} AS columns
	FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
	WHERE c.contype = 'p' AND n.nspname = $1`

/** partitions' copies of their parent's keys (conparentid) are the parent's */
const foreignKeysQuery = `
	SELECT c.conname AS name, src.relname AS table_name, ${columnNames('c.conrelid', 'c.conkey')} AS columns,
		rn.nspname::text AS ref_schema, dst.relname AS ref_table, ${columnNames('c.confrelid', 'c.confkey')} AS ref_columns,
		c.confdeltype::text AS on_delete, c.condeferrable AS deferrable, c.condeferred AS deferred
	FROM pg_constraint c
	JOIN pg_class src ON src.oid = c.conrelid JOIN pg_namespace n ON n.oid = src.relnamespace
	JOIN pg_class dst ON dst.oid = c.confrelid JOIN pg_namespace rn ON rn.oid = dst.relnamespace
	WHERE c.contype = 'f' AND n.nspname = $1 AND c.conparentid = 0
	ORDER BY src.relname, c.conname`

const otherConstraintsQuery = `
	SELECT c.conname AS name, t.relname AS table_name, c.contype::text AS kind, pg_get_constraintdef(c.oid) AS definition
	FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
	WHERE c.contype IN ('c', 'x') AND n.nspname = $1 AND c.conislocal
	ORDER BY t.relname, c.conname`

const domainsQuery = `
	SELECT t.typname::text AS name, format_type(t.typbasetype, t.typtypmod) AS base_type,
		coalesce((SELECT array_agg(pg_get_constraintdef(c.oid) ORDER BY c.conname) FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'), '{}') AS checks
	FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
	WHERE n.nspname = $1 AND t.typtype = 'd' AND ${notExtensionMember('t', 'pg_type')}
	ORDER BY t.typname`

const nativeEnumsQuery = `
	SELECT t.typname::text AS name, array(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS values
	FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
	WHERE n.nspname = $1 AND t.typtype = 'e' AND ${notExtensionMember('t', 'pg_type')}
	ORDER BY t.typname`

/** the tables and views each view's rewrite rule reads */
const viewDependenciesQuery = `
	SELECT DISTINCT v.relname AS view, d.relname AS relation, dn.nspname::text AS relation_schema
	FROM pg_rewrite r
	JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace vn ON vn.oid = v.relnamespace
	JOIN pg_depend dep ON dep.classid = 'pg_rewrite'::regclass AND dep.objid = r.oid AND dep.refclassid = 'pg_class'::regclass
	JOIN pg_class d ON d.oid = dep.refobjid JOIN pg_namespace dn ON dn.oid = d.relnamespace
	WHERE vn.nspname = $1 AND v.relkind IN ('v', 'm') AND d.oid <> v.oid AND d.relkind IN ('r', 'p', 'v', 'm', 'f')
	ORDER BY 1, 2`

/** user triggers; a partition's clones (tgparentid) are its parent's */
const triggersQuery = `
	SELECT t.tgname AS name, c.relname AS table_name, pg_get_triggerdef(t.oid) AS definition
	FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = $1 AND NOT t.tgisinternal AND t.tgparentid = 0
	ORDER BY c.relname, t.tgname`

const functionsQuery = `
	SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS signature, p.prokind::text AS kind
	FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
	WHERE n.nspname = $1 AND ${notExtensionMember('p', 'pg_proc')}
	ORDER BY 1`

/** sequences, with the column owning them (serial: deptype a); identity sequences (deptype i) are their column's */
const sequencesQuery = `
	SELECT s.relname AS name, t.relname AS table_name, a.attname AS column_name, dep.deptype::text AS dependency
	FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace
	LEFT JOIN pg_depend dep ON dep.classid = 'pg_class'::regclass AND dep.objid = s.oid AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
	LEFT JOIN pg_class t ON t.oid = dep.refobjid
	LEFT JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
	WHERE s.relkind = 'S' AND n.nspname = $1 AND ${notExtensionMember('s', 'pg_class')}
	ORDER BY s.relname`

/** a text domain whose only CHECK is `VALUE IN (…)` (printed `VALUE = ANY (ARRAY[…])`, or `VALUE = '…'` for one value) */
const enumValuesOf = (baseType: string, checks: readonly string[]): string[] | undefined => {
	if (baseType !== 'text' || checks.length !== 1) return undefined
	if (!/^CHECK \(\(VALUE = (ANY \(ARRAY\[('(?:[^']|'')*'::text(, )?)+\]\)|'(?:[^']|'')*'::text)\)\)$/.test(checks[0]!)) return undefined
	return parseEnumCheck(checks[0]!)
}

const toColumn = (row: ColumnRow): LiveColumn => ({
	name: row.name,
	formattedType: row.formatted,
	elementType: row.element_type,
	typeName: row.type_name,
	typeSchema: row.type_schema,
	typeKind: row.type_kind,
	isArray: row.is_array,
	notNull: row.not_null,
	...(row.identity !== '' ? { identity: { precedence: row.identity === 'a' ? 'ALWAYS' as const : 'BY DEFAULT' as const, start: Number(row.identity_start ?? 1) } } : {}),
	...(row.default_expr !== null && row.generated === '' ? { default: row.default_expr } : {}),
	...(row.generated !== '' && row.default_expr !== null ? { generated: row.default_expr } : {}),
	...(row.collation !== null ? { collation: row.collation } : {}),
})

export interface IntrospectOptions {
	/** the PostgreSQL schema to read (default `public`) */
	readonly schemaName?: string
	/** tables to leave out (strata's ledger, when it lives in the schema read) */
	readonly skipTables?: readonly string[]
}

export const introspectDatabase = async (client: pg.Client, options: IntrospectOptions = {}): Promise<LiveDatabase> => {
	const schemaName = options.schemaName ?? 'public'
	const exists = await client.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [schemaName])
	if (exists.rowCount === 0) throw new StrataError('DB_SCHEMA_NOT_FOUND', `The database has no schema "${schemaName}".`)
	const skip = new Set(options.skipTables ?? [])
	const keep = (table: string) => !skip.has(table)
	// sequential: one connection runs one query at a time
	const run = async <T extends pg.QueryResultRow>(sql: string) => (await client.query<T>(sql, [schemaName])).rows
	const relations = await run<{ name: string; kind: string; parent: string | null; definition: string | null }>(relationsQuery)
	const columns = await run<ColumnRow>(columnsQuery)
	const primaryKeys = await run<{ table_name: string; name: string; columns: string[] }>(primaryKeysQuery)
	const foreignKeys = await run<{ name: string; table_name: string; columns: string[]; ref_schema: string; ref_table: string; ref_columns: string[]; on_delete: string; deferrable: boolean; deferred: boolean }>(foreignKeysQuery)
	const others = await run<{ name: string; table_name: string; kind: string; definition: string }>(otherConstraintsQuery)
	const domains = await run<{ name: string; base_type: string; checks: string[] }>(domainsQuery)
	const nativeEnums = await run<{ name: string; values: string[] }>(nativeEnumsQuery)
	const dependencies = await run<{ view: string; relation: string; relation_schema: string }>(viewDependenciesQuery)
	const triggers = await run<{ name: string; table_name: string; definition: string }>(triggersQuery)
	const functions = await run<{ signature: string; kind: string }>(functionsQuery)
	const sequences = await run<{ name: string; table_name: string | null; column_name: string | null; dependency: string | null }>(sequencesQuery)
	const catalog = await readCatalog(client, schemaName)

	const columnsOf = (relation: string) => columns.filter(row => row.table_name === relation).map(toColumn)
	const tables: LiveTable[] = relations.filter(it => (it.kind === 'r' || it.kind === 'p') && keep(it.name)).map(it => {
		const key = primaryKeys.find(row => row.table_name === it.name)
		return {
			name: it.name,
			kind: it.kind === 'p' ? 'partitioned' : 'table',
			...(it.parent !== null ? { partitionOf: it.parent } : {}),
			columns: columnsOf(it.name),
			...(key ? { primaryKey: { name: key.name, columns: key.columns } } : {}),
		}
	})
	const views: LiveView[] = relations.filter(it => it.kind === 'v' || it.kind === 'm').map(it => {
		const reads = dependencies.filter(row => row.view === it.name)
		return {
			name: it.name,
			materialized: it.kind === 'm',
			definition: it.definition ?? '',
			columns: columnsOf(it.name),
			dependencies: reads.filter(row => row.relation_schema === schemaName).map(row => row.relation),
			foreignDependencies: reads.filter(row => row.relation_schema !== schemaName).map(row => `${row.relation_schema}.${row.relation}`),
		}
	})
	return {
		schemaName,
		tables,
		views,
		foreignKeys: foreignKeys.filter(row => keep(row.table_name)).map(row => ({
			name: row.name, table: row.table_name, columns: row.columns, refSchema: row.ref_schema, refTable: row.ref_table, refColumns: row.ref_columns,
			onDelete: row.on_delete, deferrable: row.deferrable, deferred: row.deferred,
		})),
		uniqueConstraints: catalog.uniqueConstraints.filter(it => keep(it.tableName)),
		indexes: catalog.indexes.filter(it => keep(it.tableName)),
		constraints: others.filter(row => keep(row.table_name)).map(row => ({ name: row.name, table: row.table_name, kind: row.kind === 'x' ? 'exclusion' as const : 'check' as const, definition: row.definition })),
		domains: domains.map((row): LiveDomain => {
			const values = enumValuesOf(row.base_type, row.checks)
			return { name: row.name, baseType: row.base_type, checks: row.checks, ...(values ? { enumValues: values } : {}) }
		}),
		nativeEnums: nativeEnums.map(row => ({ name: row.name, values: row.values })),
		triggers: triggers.filter(row => keep(row.table_name)).map(row => ({ name: row.name, table: row.table_name, definition: row.definition })),
		functions: functions.map(row => ({ signature: row.signature, kind: row.kind })),
		sequences: sequences.filter(row => row.dependency !== 'i' && (row.table_name === null || keep(row.table_name))).map(row => ({
			name: row.name,
			...(row.table_name !== null && row.column_name !== null ? { ownedBy: { table: row.table_name, column: row.column_name } } : {}),
		})),
	}
}
