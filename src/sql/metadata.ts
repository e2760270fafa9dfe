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

export interface IndexMetadata {
	readonly indexName: string
	readonly tableName: string
	readonly columnNames: readonly string[]
	readonly unique: boolean
}

export interface UniqueConstraintMetadata {
	readonly constraintName: string
	readonly tableName: string
	readonly columnNames: readonly string[]
	readonly deferrable: boolean
	readonly deferred: boolean
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

const sameSet = (a: readonly string[], b: readonly string[]) =>
	a.length === b.length && a.every(it => b.includes(it))

export const findForeignKeys = (metadata: DatabaseMetadata, fromTable: string, fromColumn: string) =>
	metadata.foreignKeys.filter(it => it.fromTable === fromTable && it.fromColumn === fromColumn)

export const findIndexes = (metadata: DatabaseMetadata, tableName: string, columnNames: readonly string[], unique?: boolean) =>
	metadata.indexes.filter(it =>
		it.tableName === tableName && sameSet(it.columnNames, columnNames) && (unique === undefined || it.unique === unique))

export const findUniqueConstraints = (metadata: DatabaseMetadata, tableName: string, columnNames: readonly string[]) =>
	metadata.uniqueConstraints.filter(it => it.tableName === tableName && sameSet(it.columnNames, columnNames))
