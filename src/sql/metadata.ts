/**
 * What the live catalog holds about constraints and indexes. Constraint and index names
 * chosen by PostgreSQL are only known here; SQL generation looks them up to drop them.
 * Shapes match the conformance cases' `databaseMetadata`.
 */
export interface ForeignKeyMetadata {
	readonly constraintName: string
	readonly fromTable: string
	readonly fromColumn: string
	readonly toTable: string
	readonly toColumn: string
	/** pg_constraint.confdeltype: a = no action, r = restrict, c = cascade, n = set null, d = set default */
	readonly deleteAction: string
	readonly deferrable: boolean
	readonly deferred: boolean
}

/** one key column of an index, as pg_index reports it */
export interface IndexKeyMetadata {
	/** the column name, or the expression's text for an expression column */
	readonly column: string
	readonly expression: boolean
	/** operator class name (unqualified) */
	readonly opClass: string
	/** whether `opClass` is the one PostgreSQL picks for the column's type when none is written */
	readonly defaultOpClass: boolean
	readonly descending: boolean
	readonly nullsFirst: boolean
}

/**
 * The whole definition of a physical index. Read from a live catalog; absent in metadata
 * snapshots that only carry names and columns (the conformance cases), where an index is
 * known by its column set alone.
 */
export interface IndexDefinition {
	/** pg_class oid of the index: larger is newer, which breaks ties between identical indexes */
	readonly oid: number
	/** access method (pg_am.amname) */
	readonly method: string
	readonly keys: readonly IndexKeyMetadata[]
	/** INCLUDE columns, in order */
	readonly include: readonly string[]
	/** the partial index's predicate as PostgreSQL prints it (pg_get_expr), or null */
	readonly predicate: string | null
	readonly nullsNotDistinct: boolean
}

export interface IndexMetadata {
	readonly indexName: string
	readonly tableName: string
	/** key and INCLUDE columns (expression columns left out) */
	readonly columnNames: readonly string[]
	readonly unique: boolean
	readonly definition?: IndexDefinition
}

export interface UniqueConstraintMetadata {
	readonly constraintName: string
	readonly tableName: string
	readonly columnNames: readonly string[]
	readonly deferrable: boolean
	readonly deferred: boolean
	/** the definition of the index backing the constraint (live catalog only) */
	readonly definition?: IndexDefinition
}

/** the catalog's foreign keys, unique constraints and indexes, as read or as a conformance case gives them */
export interface CatalogSnapshot {
	readonly foreignKeys: readonly ForeignKeyMetadata[]
	readonly indexes: readonly IndexMetadata[]
	readonly uniqueConstraints: readonly UniqueConstraintMetadata[]
}

/**
 * What SQL generation may ask the catalog: always about one table, so the executor can read
 * just the tables a step looks at instead of the whole schema.
 */
export interface DatabaseMetadata {
	/** false for the offline preview: lookups return nothing and handlers say the name is resolved at execution */
	readonly live: boolean
	/** foreign keys whose referencing column is in `table` */
	foreignKeysOf(table: string): readonly ForeignKeyMetadata[]
	/** plain indexes of `table` (not those backing a primary key or constraint) */
	indexesOf(table: string): readonly IndexMetadata[]
	uniqueConstraintsOf(table: string): readonly UniqueConstraintMetadata[]
}

const nothing: readonly never[] = []

export const offlineMetadata: DatabaseMetadata = { live: false, foreignKeysOf: () => nothing, indexesOf: () => nothing, uniqueConstraintsOf: () => nothing }

const groupBy = <T>(items: readonly T[], key: (item: T) => string): ReadonlyMap<string, readonly T[]> => {
	const groups = new Map<string, T[]>()
	for (const item of items) {
		const group = groups.get(key(item))
		if (group) group.push(item)
		else groups.set(key(item), [item])
	}
	return groups
}

/** live metadata answering from a snapshot */
export const createDatabaseMetadata = (snapshot: CatalogSnapshot): DatabaseMetadata => {
	const foreignKeys = groupBy(snapshot.foreignKeys, it => it.fromTable)
	const indexes = groupBy(snapshot.indexes, it => it.tableName)
	const uniqueConstraints = groupBy(snapshot.uniqueConstraints, it => it.tableName)
	return {
		live: true,
		foreignKeysOf: table => foreignKeys.get(table) ?? nothing,
		indexesOf: table => indexes.get(table) ?? nothing,
		uniqueConstraintsOf: table => uniqueConstraints.get(table) ?? nothing,
	}
}

export const findForeignKeys = (metadata: DatabaseMetadata, fromTable: string, fromColumn: string) =>
	metadata.foreignKeysOf(fromTable).filter(it => it.fromColumn === fromColumn)
