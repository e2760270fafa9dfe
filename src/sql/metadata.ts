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

export interface DatabaseMetadata {
	/** false for the offline preview: lookups return nothing and handlers say the name is resolved at execution */
	readonly live: boolean
	readonly foreignKeys: readonly ForeignKeyMetadata[]
	readonly indexes: readonly IndexMetadata[]
	readonly uniqueConstraints: readonly UniqueConstraintMetadata[]
}

export const offlineMetadata: DatabaseMetadata = { live: false, foreignKeys: [], indexes: [], uniqueConstraints: [] }

export const createDatabaseMetadata = (data: Omit<DatabaseMetadata, 'live'>): DatabaseMetadata => ({ live: true, ...data })

export const findForeignKeys = (metadata: DatabaseMetadata, fromTable: string, fromColumn: string) =>
	metadata.foreignKeys.filter(it => it.fromTable === fromTable && it.fromColumn === fromColumn)
