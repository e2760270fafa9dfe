/**
 * Drift: does the live database still look like the schema its executed migrations describe?
 * Contember never checks this (it trusts its registry); strata compares the PostgreSQL catalog
 * with a catalog derived from the replayed schema. Both sides are brought to one plain shape
 * (`Catalog`) so that the comparison itself is pure and names every difference once.
 */
import type pg from 'pg'
import { formatProblem, StrataError, ValidationError } from '../errors.js'
import { parseMigration, readMigrations } from '../migrations/files.js'
import { validateForSql } from '../migrations/validated.js'
import type { Modification } from '../modifications/types.js'
import { hasJoiningColumn, isColumn, own, type Entity, type Schema, type UniqueConstraint } from '../schema/model.js'
import { readCatalog } from './introspect.js'
import { expectedIndexOf } from '../modifications/indexes/dropIndexSql.js'
import { compareIndex, describeIndexDefinition, type ExpectedIndex } from '../sql/indexIdentity.js'
import type { IndexMetadata } from '../sql/metadata.js'
import { DEFAULT_LEDGER_SCHEMA, ledgerTablesIn, readLedger, type LedgerRow } from './ledger.js'
import { isCompatibilityComment } from '../expandContract/names.js'

export interface CatalogColumn {
	/** normalised SQL type (see normaliseType): `text`, `numeric(20,9)`, `"PostStatus"[]` */
	readonly type: string
	readonly nullable: boolean
	/** identity column precedence, when the column is an identity column */
	readonly identity?: 'ALWAYS' | 'BY DEFAULT'
}

export interface CatalogTable {
	readonly columns: { readonly [column: string]: CatalogColumn }
	readonly primaryKey?: readonly string[]
}

export interface CatalogForeignKey {
	readonly table: string
	readonly column: string
	readonly refTable: string
	readonly refColumn: string
	/** `cascade`, `set null`, `no action`, `restrict`, `set default` */
	readonly onDelete: string
}

/** a unique constraint / unique index or a plain index, identified by its table and column set */
export interface CatalogKey {
	readonly table: string
	readonly columns: readonly string[]
	/** a plain index's definition: what the schema asks for (expected side) */
	readonly expected?: ExpectedIndex
	/** a plain index's definition: what the catalog holds (live side) */
	readonly actual?: IndexMetadata
	/** a unique key's definition (both sides) */
	readonly unique?: UniqueDefinition
}

/**
 * What makes two unique keys on the same columns behave differently: a constraint or a bare
 * unique index (only a constraint can be deferred or named in ON CONFLICT ON CONSTRAINT), when
 * it is checked, whether NULLs count as equal, the access method.
 */
export interface UniqueDefinition {
	readonly form: 'constraint' | 'index'
	readonly timing: 'immediate' | 'deferrable' | 'deferred'
	readonly nullsNotDistinct: boolean
	readonly method: string
}

export interface Catalog {
	readonly tables: { readonly [table: string]: CatalogTable }
	readonly views: { readonly [view: string]: { readonly materialized: boolean } }
	readonly foreignKeys: readonly CatalogForeignKey[]
	readonly uniques: readonly CatalogKey[]
	readonly indexes: readonly CatalogKey[]
	/** enum domains and their allowed values (undefined: a domain without a readable CHECK list) */
	readonly enums: { readonly [name: string]: readonly string[] | undefined }
}

export type DriftKind =
	| 'missingTable' | 'extraTable'
	| 'missingColumn' | 'extraColumn' | 'columnType' | 'columnNullability' | 'columnIdentity'
	| 'primaryKey'
	| 'missingForeignKey' | 'extraForeignKey' | 'foreignKeyOnDelete'
	| 'missingUnique' | 'extraUnique' | 'uniqueDefinition'
	| 'missingIndex' | 'extraIndex' | 'indexDefinition'
	| 'missingEnum' | 'extraEnum' | 'enumValues'
	| 'missingView' | 'extraView' | 'viewKind'

/** whether the database lacks the object, has one the migrations do not, or has it differently */
export type DriftDirection = 'missing' | 'extra' | 'mismatch'

export const driftDirection = (kind: DriftKind): DriftDirection =>
	kind.startsWith('missing') ? 'missing' : kind.startsWith('extra') ? 'extra' : 'mismatch'

export interface DriftItem {
	readonly kind: DriftKind
	/** `post`, `post.title`, `post(author_id)`, `post(author_id) → author(id)`, `enum PostStatus` */
	readonly object: string
	readonly expected: string | null
	readonly actual: string | null
	/** what `--ignore` patterns are matched against: the table, `table.column` for each column involved, or the enum name */
	readonly targets: readonly string[]
}

// ---------------------------------------------------------------------------------------------
// type names

const ALIASES: Record<string, string> = {
	int: 'integer', int4: 'integer', integer: 'integer', serial: 'integer', serial4: 'integer',
	int8: 'bigint', bigint: 'bigint', bigserial: 'bigint', serial8: 'bigint',
	int2: 'smallint', smallint: 'smallint', smallserial: 'smallint', serial2: 'smallint',
	float8: 'double precision', 'double precision': 'double precision', float: 'double precision',
	float4: 'real', real: 'real',
	bool: 'boolean', boolean: 'boolean',
	decimal: 'numeric', numeric: 'numeric',
	varchar: 'character varying', 'character varying': 'character varying',
	char: 'character', character: 'character', bpchar: 'character',
	timestamptz: 'timestamp with time zone', 'timestamp with time zone': 'timestamp with time zone',
	timestamp: 'timestamp without time zone', 'timestamp without time zone': 'timestamp without time zone',
	timetz: 'time with time zone', 'time with time zone': 'time with time zone',
	time: 'time without time zone', 'time without time zone': 'time without time zone',
}

/**
 * One spelling per PostgreSQL type, so that a migration's `timestamptz` equals the catalog's
 * `timestamp with time zone`: aliases resolved, lower case outside quotes, no blanks inside
 * parentheses, array suffixes kept. Quoted names (enum domains) keep their case.
 */
export const normaliseType = (sql: string): string => {
	let text = sql.trim()
	let arrays = 0
	for (;;) {
		const stripped = text.replace(/\s*\[\s*\d*\s*\]\s*$/, '')
		if (stripped === text) break
		text = stripped
		arrays++
	}
	if (/\s+array$/i.test(text)) {
		text = text.replace(/\s+array$/i, '')
		arrays = Math.max(arrays, 1)
	}
	const suffix = '[]'.repeat(arrays)
	if (text.startsWith('"')) return `${text}${suffix}`
	// `timestamp(3) with time zone` / `timestamptz(3)`: the modifier goes after the base name
	const match = /^([a-z][a-z0-9 _]*?)\s*(\(\s*[^)]*\))?\s*(with(?:out)? time zone)?$/i.exec(text)
	if (!match) return `${text.toLowerCase().replace(/\s+/g, ' ')}${suffix}`
	const base = `${match[1]!.toLowerCase().replace(/\s+/g, ' ')}${match[3] ? ` ${match[3].toLowerCase()}` : ''}`
	const modifier = match[2] ? match[2].replace(/\s+/g, '') : ''
	let name = ALIASES[base] ?? base
	// PostgreSQL prints the precision inside: `timestamp(3) with time zone`
	if (modifier && / (with|without) time zone$/.test(name)) {
		name = name.replace(/ (with|without) time zone$/, `${modifier} $1 time zone`)
		return `${name}${suffix}`
	}
	return `${name}${modifier}${suffix}`
}

// ---------------------------------------------------------------------------------------------
// the catalog a schema implies (what the migrations' SQL creates)

const ON_DELETE: Record<string, string> = { cascade: 'cascade', 'set null': 'set null', restrict: 'no action' }

const sqlTypeOf = (column: { type: string; columnType: string; list?: boolean }): string =>
	normaliseType(`${column.type === 'Enum' ? `"${column.columnType.replace(/"/g, '""')}"` : column.columnType}${column.list ? '[]' : ''}`)

const primaryTypeOf = (schema: Schema, entityName: string): string => {
	const target = own(schema.model.entities, entityName)
	const primary = target && own(target.fields, target.primary)
	return primary && isColumn(primary) ? sqlTypeOf(primary) : 'uuid'
}

const columnsOf = (entity: Entity, fields: readonly string[]): string[] | undefined => {
	const columns: string[] = []
	for (const name of fields) {
		const field = own(entity.fields, name)
		if (!field) return undefined
		if (isColumn(field)) columns.push(name === entity.primary ? entity.primaryColumn : field.columnName)
		else if (hasJoiningColumn(field)) columns.push(field.joiningColumn.columnName)
		else return undefined
	}
	return columns
}

/** catalogs are keyed by names from files and the database: no prototype, so `constructor` or `__proto__` is just a name */
const nameMap = <T>(): Record<string, T> => Object.create(null) as Record<string, T>

/** the tables, columns, keys and domains that executing the history created */
/** the plain btree index createRelation adds on a many-has-one column */
const relationIndex = (tableName: string, column: string): ExpectedIndex => ({
	tableName, keys: [{ column, descending: false, nullsFirst: false }], include: [], method: 'btree', unique: false, nullsNotDistinct: false,
})

/** `ALTER TABLE … ADD UNIQUE (…)`, as one-has-one relations and a bare unique get */
const PLAIN_UNIQUE_CONSTRAINT: UniqueDefinition = { form: 'constraint', timing: 'immediate', nullsNotDistinct: false, method: 'btree' }

const expectedUniqueOf = (unique: UniqueConstraint): UniqueDefinition => unique.index === true
	? { form: 'index', timing: 'immediate', nullsNotDistinct: unique.nulls === 'not distinct', method: unique.method ?? 'btree' }
	: { ...PLAIN_UNIQUE_CONSTRAINT, timing: unique.timing ?? 'immediate' }

export const expectedCatalog = (schema: Schema): Catalog => {
	const tables: Record<string, CatalogTable> = nameMap()
	const views: Record<string, { materialized: boolean }> = nameMap()
	const foreignKeys: CatalogForeignKey[] = []
	const uniques: CatalogKey[] = []
	const indexes: CatalogKey[] = []
	const entities = schema.model.entities

	for (const entity of Object.values(entities)) {
		const table = entity.tableName
		const keysOf = (materializedOnly: boolean) => {
			for (const unique of entity.unique) {
				if (materializedOnly && unique.index !== true) continue
				const columns = columnsOf(entity, unique.fields)
				if (columns) uniques.push({ table, columns, unique: expectedUniqueOf(unique) })
			}
			for (const index of entity.indexes) {
				const columns = columnsOf(entity, [...index.fields, ...(index.include ?? [])])
				if (columns) indexes.push({ table, columns, expected: expectedIndexOf(entity, index) })
			}
		}
		if (entity.view) {
			views[table] = { materialized: entity.view.materialized === true }
			if (entity.view.materialized) keysOf(true)
			continue
		}
		const columns: Record<string, CatalogColumn> = nameMap()
		for (const field of Object.values(entity.fields)) {
			if (isColumn(field)) {
				const primary = field.name === entity.primary
				columns[primary ? entity.primaryColumn : field.columnName] = {
					type: sqlTypeOf(field),
					nullable: primary ? false : field.nullable,
					...(field.sequence ? { identity: field.sequence.precedence } : {}),
				}
			} else if (hasJoiningColumn(field)) {
				const column = field.joiningColumn.columnName
				columns[column] = { type: primaryTypeOf(schema, field.target), nullable: field.nullable }
				const target = own(entities, field.target)
				if (target && !target.view) {
					foreignKeys.push({ table, column, refTable: target.tableName, refColumn: target.primaryColumn, onDelete: ON_DELETE[field.joiningColumn.onDelete] ?? field.joiningColumn.onDelete })
				}
				// createRelation: a unique key for one-has-one, an index for many-has-one
				if (field.type === 'OneHasOne') uniques.push({ table, columns: [column], unique: PLAIN_UNIQUE_CONSTRAINT })
				else indexes.push({ table, columns: [column], expected: relationIndex(table, column) })
			} else if ('joiningTable' in field) {
				const { tableName, joiningColumn, inverseJoiningColumn } = field.joiningTable
				const target = own(entities, field.target)
				tables[tableName] = {
					columns: Object.assign(nameMap<CatalogColumn>(), {
						[joiningColumn.columnName]: { type: primaryTypeOf(schema, entity.name), nullable: false },
						[inverseJoiningColumn.columnName]: { type: primaryTypeOf(schema, field.target), nullable: false },
					}),
					primaryKey: [joiningColumn.columnName, inverseJoiningColumn.columnName],
				}
				// junction foreign keys always cascade, whatever onDelete says
				foreignKeys.push({ table: tableName, column: joiningColumn.columnName, refTable: table, refColumn: entity.primaryColumn, onDelete: 'cascade' })
				if (target) foreignKeys.push({ table: tableName, column: inverseJoiningColumn.columnName, refTable: target.tableName, refColumn: target.primaryColumn, onDelete: 'cascade' })
			}
		}
		tables[table] = { columns, primaryKey: [entity.primaryColumn] }
		keysOf(false)
	}
	return { tables, views, foreignKeys, uniques, indexes, enums: Object.assign(nameMap<readonly string[]>(), schema.model.enums) }
}

// ---------------------------------------------------------------------------------------------
// the live catalog

const DELETE_ACTIONS: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' }

/** the values of a domain CHECK as PostgreSQL prints it: `CHECK ((VALUE = ANY (ARRAY['a'::text, 'b'::text])))` */
export const parseEnumCheck = (definition: string): string[] | undefined => {
	if (!/\bVALUE\b/.test(definition)) return undefined
	const values: string[] = []
	for (const match of definition.matchAll(/(E?)'((?:[^']|'')*)'/g)) {
		let value = match[2]!.replace(/''/g, "'")
		if (match[1]) value = value.replace(/\\(.)/g, '$1')
		values.push(value)
	}
	return values
}

/**
 * Whether a declared schema could ask for this index at all. Expression indexes and partial
 * unique indexes cannot be declared, so a live one is never drift: it is managed outside the
 * schema (db:introspect lists it), like triggers, functions and check constraints, which drift
 * does not read either.
 */
const declarable = (index: IndexMetadata): boolean =>
	!(index.definition?.keys.some(key => key.expression) ?? false) && !(index.unique && (index.definition?.predicate ?? null) !== null)

export interface ReadCatalogOptions {
	/** tables to leave out (the ledger's, when it lives in the compared schema) */
	readonly skipTables?: readonly string[]
}

export const readLiveCatalog = async (client: pg.Client, schemaName = 'public', options: ReadCatalogOptions = {}): Promise<Catalog> => {
	const skip = new Set(options.skipTables ?? [])
	// a view strata's expand migration left under a table's old name (COMMENT 'strata compatibility: …') is not part of the model
	const relations = await client.query<{ name: string; kind: string; comment: string | null }>(
		`SELECT c.relname AS name, c.relkind::text AS kind, obj_description(c.oid, 'pg_class') AS comment FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY c.relname`, [schemaName])
	// domains and native enums print as their quoted name (also inside arrays), everything else as format_type spells it
	const columns = await client.query<{ table_name: string; column_name: string; not_null: boolean; identity: string; formatted: string; domain: string | null; element_domain: string | null }>(
		`SELECT c.relname AS table_name, a.attname AS column_name, a.attnotnull AS not_null, a.attidentity::text AS identity,
			format_type(a.atttypid, a.atttypmod) AS formatted,
			CASE WHEN t.typtype IN ('d', 'e') THEN t.typname::text END AS domain,
			CASE WHEN et.typtype IN ('d', 'e') THEN et.typname::text END AS element_domain
		FROM pg_attribute a
		JOIN pg_class c ON c.oid = a.attrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_type t ON t.oid = a.atttypid
		LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
		WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY c.relname, a.attnum`, [schemaName])
	const primaryKeys = await client.query<{ table_name: string; column_names: string[] }>(
		`SELECT t.relname AS table_name,
			array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
				JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS column_names
		FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE c.contype = 'p' AND n.nspname = $1`, [schemaName])
	const domains = await client.query<{ name: string; checks: string[] | null }>(
		`SELECT t.typname::text AS name,
			(SELECT array_agg(pg_get_constraintdef(c.oid) ORDER BY c.conname) FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c') AS checks
		FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
		WHERE n.nspname = $1 AND t.typtype = 'd' ORDER BY t.typname`, [schemaName])
	const nativeEnums = await client.query<{ name: string; labels: string[] }>(
		`SELECT t.typname::text AS name, array(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels
		FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
		WHERE n.nspname = $1 AND t.typtype = 'e' ORDER BY t.typname`, [schemaName])
	const metadata = await readCatalog(client, schemaName)

	const tables: Record<string, { columns: Record<string, CatalogColumn>; primaryKey?: readonly string[] }> = nameMap()
	const views: Record<string, { materialized: boolean }> = nameMap()
	for (const row of relations.rows) {
		if (skip.has(row.name)) continue
		if (row.kind === 'v' && isCompatibilityComment(row.comment)) continue
		if (row.kind === 'v' || row.kind === 'm') views[row.name] = { materialized: row.kind === 'm' }
		else tables[row.name] = { columns: nameMap() }
	}
	const quoteName = (name: string) => `"${name.replace(/"/g, '""')}"`
	for (const row of columns.rows) {
		const table = tables[row.table_name]
		if (!table) continue
		const type = row.domain !== null
			? quoteName(row.domain)
			: row.element_domain !== null
				? `${quoteName(row.element_domain)}[]`
				// a type outside the search path comes schema-qualified; the schema is not part of the comparison
				: normaliseType(row.formatted.replace(/^(?:"(?:[^"]|"")*"|[a-z_][a-z0-9_$]*)\.(?=.)/i, ''))
		const identity = row.identity === 'a' ? 'ALWAYS' : row.identity === 'd' ? 'BY DEFAULT' : undefined
		table.columns[row.column_name] = { type, nullable: !row.not_null, ...(identity ? { identity } : {}) }
	}
	for (const row of primaryKeys.rows) {
		const table = tables[row.table_name]
		if (table) table.primaryKey = row.column_names
	}
	const keep = (table: string) => !skip.has(table)
	const enums: Record<string, readonly string[] | undefined> = nameMap()
	for (const row of domains.rows) {
		const parsed = (row.checks ?? []).map(parseEnumCheck).find(values => values !== undefined)
		enums[row.name] = parsed
	}
	// a native enum type (CREATE TYPE … AS ENUM) adopted with db:introspect is the schema's enum
	// of that name: both accept exactly their values
	for (const row of nativeEnums.rows) enums[row.name] = row.labels
	return {
		tables,
		views,
		foreignKeys: metadata.foreignKeys.filter(fk => keep(fk.fromTable)).map(fk => ({
			table: fk.fromTable, column: fk.fromColumn, refTable: fk.toTable, refColumn: fk.toColumn, onDelete: DELETE_ACTIONS[fk.deleteAction] ?? fk.deleteAction,
		})),
		uniques: [
			...metadata.uniqueConstraints.filter(u => keep(u.tableName)).map(u => ({
				table: u.tableName,
				columns: u.columnNames,
				unique: {
					form: 'constraint' as const,
					timing: u.deferred ? 'deferred' as const : u.deferrable ? 'deferrable' as const : 'immediate' as const,
					nullsNotDistinct: u.definition?.nullsNotDistinct ?? false,
					method: u.definition?.method ?? 'btree',
				},
			})),
			...metadata.indexes.filter(i => i.unique && keep(i.tableName) && declarable(i)).map(i => ({
				table: i.tableName,
				columns: i.columnNames,
				unique: { form: 'index' as const, timing: 'immediate' as const, nullsNotDistinct: i.definition?.nullsNotDistinct ?? false, method: i.definition?.method ?? 'btree' },
			})),
		],
		indexes: metadata.indexes.filter(i => !i.unique && keep(i.tableName) && declarable(i)).map(i => ({ table: i.tableName, columns: i.columnNames, actual: i })),
		enums,
	}
}

// ---------------------------------------------------------------------------------------------
// comparison

const columnLabel = (column: CatalogColumn): string =>
	`${column.type}${column.nullable ? '' : ' NOT NULL'}${column.identity ? ` GENERATED ${column.identity} AS IDENTITY` : ''}`

const keyId = (key: CatalogKey) => `${key.table}(${[...key.columns].sort().join(', ')})`
const keyTargets = (key: { table: string; columns: readonly string[] }) => [key.table, ...key.columns.map(column => `${key.table}.${column}`)]

/** an expected key and a live one on the same columns are the same object (a predicate PostgreSQL prints differently counts as the same) */
const sameDefinition = (expected: CatalogKey, live: CatalogKey): boolean => {
	if (expected.unique && live.unique) {
		const [a, b] = [expected.unique, live.unique]
		return a.form === b.form && a.timing === b.timing && a.nullsNotDistinct === b.nullsNotDistinct && a.method === b.method
	}
	return !expected.expected || !live.actual || compareIndex(live.actual, expected.expected) !== 'different'
}

/** `unique constraint (a, b) DEFERRABLE`, `unique index USING hash (a) NULLS NOT DISTINCT` */
const uniqueLabel = (columns: readonly string[], unique: UniqueDefinition): string =>
	`unique ${unique.form}${unique.method === 'btree' ? '' : ` USING ${unique.method}`} (${columns.join(', ')})`
	+ `${unique.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''}${unique.timing === 'deferrable' ? ' DEFERRABLE' : unique.timing === 'deferred' ? ' DEFERRABLE INITIALLY DEFERRED' : ''}`

/** a key's definition as describeIndexDefinition prints it, the expected one put in catalog terms */
const definitionLabel = (key: CatalogKey): string | undefined => {
	if (key.unique) return uniqueLabel(key.columns, key.unique)
	if (key.actual) return describeIndexDefinition(key.actual.definition, key.actual.columnNames)
	const expected = key.expected
	if (!expected) return undefined
	return describeIndexDefinition({
		oid: 0,
		method: expected.method,
		keys: expected.keys.map(it => ({ column: it.column, expression: false, opClass: it.opClass ?? '', defaultOpClass: it.opClass === undefined, descending: it.descending, nullsFirst: it.nullsFirst })),
		include: expected.include,
		predicate: expected.where ?? null,
		nullsNotDistinct: expected.nullsNotDistinct,
	}, key.columns)
}

/**
 * Multiset difference of keys by table and column set (two identical indexes are two); then, for
 * plain indexes present on both sides, their definitions (method, key order and operator
 * classes, INCLUDE, predicate) are compared, never their names. A predicate PostgreSQL prints
 * differently from the schema's text is not reported.
 */
const compareKeys = (expected: readonly CatalogKey[], actual: readonly CatalogKey[], what: 'Unique' | 'Index'): DriftItem[] => {
	const group = (keys: readonly CatalogKey[]) => {
		const map = new Map<string, CatalogKey[]>()
		for (const key of keys) {
			const id = keyId(key)
			const entry = map.get(id)
			if (entry) entry.push(key)
			else map.set(id, [key])
		}
		return map
	}
	const label = what === 'Unique' ? 'unique' : 'index'
	const items: DriftItem[] = []
	const wanted = group(expected)
	const present = group(actual)
	for (const [id, keys] of wanted) {
		const have = [...(present.get(id) ?? [])]
		const unmatched: CatalogKey[] = []
		// pair each expected key with a live one of the same definition first
		for (const key of keys) {
			const index = have.findIndex(live => sameDefinition(key, live))
			if (index >= 0) have.splice(index, 1)
			else unmatched.push(key)
		}
		for (const key of unmatched) {
			const other = have.shift()
			if (other) {
				items.push({ kind: `${label}Definition`, object: id, expected: definitionLabel(key) ?? null, actual: definitionLabel(other) ?? null, targets: keyTargets(key) })
			} else {
				items.push({ kind: `missing${what}`, object: id, expected: `${label} on (${key.columns.join(', ')})`, actual: null, targets: keyTargets(key) })
			}
		}
		present.set(id, have)
	}
	for (const [id, keys] of present) {
		for (const key of keys) items.push({ kind: `extra${what}`, object: id, expected: null, actual: `${label} on (${key.columns.join(', ')})`, targets: keyTargets(key) })
	}
	return items
}

/**
 * The schema's `restrict` is created as NO ACTION; a RESTRICT key (checked at once instead of at
 * the end of the statement) refuses the same deletes, and no schema can ask for it, so it is not
 * drift. Every other action must be the one expected.
 */
const sameDeleteAction = (expected: string, live: string): boolean =>
	expected === live || (expected === 'no action' && live === 'restrict')

const fkId = (fk: CatalogForeignKey) => `${fk.table}(${fk.column}) → ${fk.refTable}(${fk.refColumn})`
const fkTargets = (fk: CatalogForeignKey) => [fk.table, `${fk.table}.${fk.column}`]

/** every difference between the expected and the live catalog, tables first, then keys, then enums */
export const compareCatalogs = (expected: Catalog, actual: Catalog): DriftItem[] => {
	const items: DriftItem[] = []
	const push = (item: DriftItem) => items.push(item)
	const sorted = (record: object) => Object.keys(record).sort()

	for (const name of sorted(expected.tables)) {
		const want = expected.tables[name]!
		const have = actual.tables[name]
		if (!have) {
			push({ kind: 'missingTable', object: name, expected: `table with ${Object.keys(want.columns).length} column(s)`, actual: actual.views[name] ? (actual.views[name]!.materialized ? 'materialized view' : 'view') : null, targets: [name] })
			continue
		}
		for (const column of Object.keys(want.columns)) {
			const w = want.columns[column]!
			const h = have.columns[column]
			const object = `${name}.${column}`
			const targets = [name, object]
			if (!h) {
				push({ kind: 'missingColumn', object, expected: columnLabel(w), actual: null, targets })
				continue
			}
			if (w.type !== h.type) push({ kind: 'columnType', object, expected: w.type, actual: h.type, targets })
			if (w.nullable !== h.nullable) push({ kind: 'columnNullability', object, expected: w.nullable ? 'NULL' : 'NOT NULL', actual: h.nullable ? 'NULL' : 'NOT NULL', targets })
			if ((w.identity ?? null) !== (h.identity ?? null)) {
				const identity = (value?: string) => (value ? `GENERATED ${value} AS IDENTITY` : 'no identity')
				push({ kind: 'columnIdentity', object, expected: identity(w.identity), actual: identity(h.identity), targets })
			}
		}
		for (const column of Object.keys(have.columns)) {
			if (!want.columns[column]) push({ kind: 'extraColumn', object: `${name}.${column}`, expected: null, actual: columnLabel(have.columns[column]!), targets: [name, `${name}.${column}`] })
		}
		const pk = (columns?: readonly string[]) => (columns ? `primary key (${columns.join(', ')})` : 'no primary key')
		if (want.primaryKey && pk(want.primaryKey) !== pk(have.primaryKey)) {
			push({ kind: 'primaryKey', object: name, expected: pk(want.primaryKey), actual: pk(have.primaryKey), targets: [name, ...want.primaryKey.map(column => `${name}.${column}`)] })
		}
	}
	for (const name of sorted(actual.tables)) {
		if (!expected.tables[name]) {
			push({ kind: 'extraTable', object: name, expected: expected.views[name] ? (expected.views[name]!.materialized ? 'materialized view' : 'view') : null, actual: `table with ${Object.keys(actual.tables[name]!.columns).length} column(s)`, targets: [name] })
		}
	}

	const viewLabel = (view: { materialized: boolean }) => (view.materialized ? 'materialized view' : 'view')
	for (const name of sorted(expected.views)) {
		const want = expected.views[name]!
		const have = actual.views[name]
		if (!have) push({ kind: 'missingView', object: name, expected: viewLabel(want), actual: actual.tables[name] ? 'table' : null, targets: [name] })
		else if (have.materialized !== want.materialized) push({ kind: 'viewKind', object: name, expected: viewLabel(want), actual: viewLabel(have), targets: [name] })
	}
	for (const name of sorted(actual.views)) {
		if (!expected.views[name]) push({ kind: 'extraView', object: name, expected: expected.tables[name] ? 'table' : null, actual: viewLabel(actual.views[name]!), targets: [name] })
	}

	// keys of a missing table are covered by missingTable; those of an extra table by extraTable
	const inBoth = (table: string) => (table in actual.tables || table in actual.views) && (table in expected.tables || table in expected.views)
	const actualFks = actual.foreignKeys.filter(fk => inBoth(fk.table))
	const matched = new Set<CatalogForeignKey>()
	for (const fk of expected.foreignKeys.filter(fk => inBoth(fk.table))) {
		const same = actualFks.find(it => !matched.has(it) && fkId(it) === fkId(fk) && sameDeleteAction(fk.onDelete, it.onDelete))
			?? actualFks.find(it => !matched.has(it) && fkId(it) === fkId(fk))
		if (!same) {
			push({ kind: 'missingForeignKey', object: fkId(fk), expected: `on delete ${fk.onDelete}`, actual: null, targets: fkTargets(fk) })
			continue
		}
		matched.add(same)
		if (!sameDeleteAction(fk.onDelete, same.onDelete)) push({ kind: 'foreignKeyOnDelete', object: fkId(fk), expected: `on delete ${fk.onDelete}`, actual: `on delete ${same.onDelete}`, targets: fkTargets(fk) })
	}
	for (const fk of actualFks) {
		if (!matched.has(fk)) push({ kind: 'extraForeignKey', object: fkId(fk), expected: null, actual: `on delete ${fk.onDelete}`, targets: fkTargets(fk) })
	}

	const onlyShared = (keys: readonly CatalogKey[]) => keys.filter(key => inBoth(key.table))
	items.push(...compareKeys(onlyShared(expected.uniques), onlyShared(actual.uniques), 'Unique'))
	items.push(...compareKeys(onlyShared(expected.indexes), onlyShared(actual.indexes), 'Index'))

	const values = (list: readonly string[] | undefined) => (list === undefined ? 'no CHECK (VALUE IN …) constraint' : list.join(', '))
	for (const name of sorted(expected.enums)) {
		const object = `enum ${name}`
		if (!(name in actual.enums)) {
			push({ kind: 'missingEnum', object, expected: values(expected.enums[name]), actual: null, targets: [name] })
			continue
		}
		const want = [...(expected.enums[name] ?? [])].sort()
		const have = actual.enums[name]
		if (have === undefined || want.join('\u0000') !== [...have].sort().join('\u0000')) {
			push({ kind: 'enumValues', object, expected: values(expected.enums[name]), actual: values(have), targets: [name] })
		}
	}
	for (const name of sorted(actual.enums)) {
		if (!(name in expected.enums)) push({ kind: 'extraEnum', object: `enum ${name}`, expected: null, actual: values(actual.enums[name]), targets: [name] })
	}
	return items
}

// ---------------------------------------------------------------------------------------------
// --ignore

/** `*` matches within one name (not across `.`), `?` one character; everything else is literal */
export const globToRegExp = (pattern: string): RegExp =>
	new RegExp(`^${pattern.split('').map(char => (char === '*' ? '[^.]*' : char === '?' ? '[^.]' : char.replace(/[\\^$+?.()|[\]{}]/g, '\\$&'))).join('')}$`)

/** drops the items any pattern matches: a table pattern covers everything on the table, `table.column` that column */
export const applyIgnores = (items: readonly DriftItem[], patterns: readonly string[]): DriftItem[] =>
	splitIgnored(items, patterns).kept

/** the items no pattern matches, and those some pattern matches */
export const splitIgnored = (items: readonly DriftItem[], patterns: readonly string[]): { kept: DriftItem[]; ignored: DriftItem[] } => {
	const regexps = patterns.map(globToRegExp)
	const kept: DriftItem[] = []
	const ignored: DriftItem[] = []
	for (const item of items) (item.targets.some(target => regexps.some(regexp => regexp.test(target))) ? ignored : kept).push(item)
	return { kept, ignored }
}

// ---------------------------------------------------------------------------------------------
// the whole check

interface Replayable {
	readonly name: string
	readonly version: string
	readonly formatVersion: number
	readonly modifications: Modification[]
}

/** the executed migrations as the ledger stored them when they ran, checked like a migration file */
const fromLedger = (rows: readonly LedgerRow[], ledgerSchema: string): Replayable[] =>
	rows.map(row => {
		try {
			return parseMigration(row.name, row.migration)
		} catch (error) {
			if (!(error instanceof ValidationError)) throw error
			throw new StrataError('LEDGER_CONTENT_INVALID', `The ledger ${ledgerSchema}.migrations holds content for ${row.name} that strata cannot replay:\n`
				+ `${error.problems.map(problem => `  - ${formatProblem(problem)}`).join('\n')}\nUse --from files to replay the migration files instead.`)
		}
	})

/** the files of the executed versions; a missing one is an error (its content is only in the ledger) */
const fromFiles = async (rows: readonly LedgerRow[], migrationsDir: string): Promise<Replayable[]> => {
	if (rows.length === 0) return []
	const files = new Map((await readMigrations(migrationsDir)).map(file => [file.version, file]))
	const missing = rows.filter(row => !files.has(row.version))
	if (missing.length > 0) {
		const many = missing.length > 1
		throw new StrataError('MIGRATION_FILE_MISSING', `--from files: executed migration${many ? 's' : ''} ${missing.map(row => row.name).join(', ')} ha${many ? 've' : 's'} no file in ${migrationsDir}. Drop --from files to replay the content stored in the ledger.`)
	}
	return rows.map(row => files.get(row.version)!)
}

export interface DetectDriftOptions {
	readonly ledgerSchema?: string
	/** the PostgreSQL schema the migrations ran in (default `public`) */
	readonly schemaName?: string
	/** replay the ledger's stored content (default; files may have changed since) or the files of the executed versions */
	readonly source?: 'ledger' | 'files'
	/** needed with `source: 'files'` */
	readonly migrationsDir?: string
	/** globs on `table` / `table.column` / enum name */
	readonly ignore?: readonly string[]
}

export interface DriftResult {
	readonly items: DriftItem[]
	/** how many differences the ignore patterns left out */
	readonly ignored: number
	/** the differences the ignore patterns left out */
	readonly ignoredItems: DriftItem[]
	readonly executed: readonly LedgerRow[]
	readonly source: 'ledger' | 'files'
}

/** reads the ledger, replays the executed migrations and compares the result with the live catalog */
export const detectDrift = async (client: pg.Client, options: DetectDriftOptions = {}): Promise<DriftResult> => {
	const ledgerSchema = options.ledgerSchema ?? DEFAULT_LEDGER_SCHEMA
	const schemaName = options.schemaName ?? 'public'
	const source = options.source ?? 'ledger'
	const namespaces = await client.query<{ name: string }>(`SELECT nspname::text AS name FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY 1`)
	if (!namespaces.rows.some(row => row.name === schemaName)) {
		// a mistyped --db-schema would otherwise report every table as missing
		throw new StrataError('DB_SCHEMA_NOT_FOUND', `The database has no schema "${schemaName}" (it has: ${namespaces.rows.map(row => row.name).join(', ') || 'none'}).`)
	}
	const rows = await readLedger(client, ledgerSchema)
	if (source === 'files' && options.migrationsDir === undefined) throw new StrataError('INVALID_OPTION', 'Replaying files needs the migrations directory.')
	const history = source === 'files' ? await fromFiles(rows, options.migrationsDir!) : fromLedger(rows, ledgerSchema)
	const expected = expectedCatalog(validateForSql(history).schema)
	// the ledger is strata's own bookkeeping, not part of the compared schema
	const skipTables = ledgerTablesIn(ledgerSchema, schemaName)
	const all = compareCatalogs(expected, await readLiveCatalog(client, schemaName, { skipTables }))
	const { kept: items, ignored } = splitIgnored(all, options.ignore ?? [])
	return { items, ignored: ignored.length, ignoredItems: ignored, executed: rows, source }
}
