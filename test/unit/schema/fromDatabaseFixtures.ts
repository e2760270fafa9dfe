/** Hand-written live databases for the unit tests of src/schema/fromDatabase: terse builders for catalog rows. */
import type { LiveColumn, LiveDatabase, LiveForeignKey, LiveTable } from '../../../src/schema/fromDatabase/input.js'
import type { IndexMetadata } from '../../../src/sql/metadata.js'

const TYPE_NAMES: Record<string, string> = {
	integer: 'int4', bigint: 'int8', smallint: 'int2', text: 'text', uuid: 'uuid', boolean: 'bool', 'timestamp with time zone': 'timestamptz',
	'double precision': 'float8', jsonb: 'jsonb', date: 'date', inet: 'inet', bytea: 'bytea',
}

/** a column of a built-in type (`text`, `integer[]`, `character varying(80)`) */
export const col = (name: string, type: string, extra: Partial<LiveColumn> = {}): LiveColumn => {
	const isArray = type.endsWith('[]')
	const elementType = type.replace(/\[\]$/, '')
	return {
		name, formattedType: type, elementType, typeName: TYPE_NAMES[elementType] ?? elementType.replace(/\(.*$/, ''),
		typeSchema: 'pg_catalog', typeKind: 'b', isArray, notNull: false, ...extra,
	}
}

/** a column whose type is a domain or a native enum of the schema */
export const typed = (name: string, typeName: string, typeKind: 'd' | 'e', extra: Partial<LiveColumn> = {}): LiveColumn =>
	({ name, formattedType: `"${typeName}"`, elementType: `"${typeName}"`, typeName, typeSchema: 'public', typeKind, isArray: false, notNull: false, ...extra })

export const table = (name: string, columns: readonly LiveColumn[], primaryKey: readonly string[] | null = ['id']): LiveTable =>
	({ name, kind: 'table', columns, ...(primaryKey ? { primaryKey: { name: `${name}_pkey`, columns: primaryKey } } : {}) })

export const fk = (table: string, column: string, refTable: string, onDelete = 'a', refColumn = 'id'): LiveForeignKey =>
	({ name: `${table}_${column}_fkey`, table, columns: [column], refSchema: 'public', refTable, refColumns: [refColumn], onDelete, deferrable: false, deferred: false })

/** a plain ascending btree index (or unique index) on columns */
export const index = (table: string, columns: readonly string[], options: { unique?: boolean; name?: string; predicate?: string; descending?: boolean } = {}): IndexMetadata => ({
	indexName: options.name ?? `${table}_${columns.join('_')}_idx`, tableName: table, columnNames: columns, unique: options.unique === true,
	definition: {
		oid: 1, method: 'btree', include: [], predicate: options.predicate ?? null, nullsNotDistinct: false,
		keys: columns.map(column => ({ column, expression: false, opClass: 'x_ops', defaultOpClass: true, descending: options.descending === true, nullsFirst: options.descending === true })),
	},
})

export const database = (parts: Partial<LiveDatabase>): LiveDatabase => ({
	schemaName: 'public', tables: [], views: [], foreignKeys: [], uniqueConstraints: [], indexes: [], constraints: [],
	domains: [], nativeEnums: [], triggers: [], functions: [], sequences: [], ...parts,
})

export const id = (type = 'uuid') => col('id', type, { notNull: true })
