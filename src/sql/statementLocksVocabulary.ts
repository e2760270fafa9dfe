/**
 * The words of the lock classification (statementLocks.ts): PostgreSQL's table lock modes in
 * order of strength, what a statement does to the rows, and the classification itself.
 */
import type { ColumnActionKind } from './statementLocksColumns.js'
import type { CatalogChange } from './statementLocksFacts.js'

/** PostgreSQL's table lock modes, weakest first */
export const lockModes = [
	'ACCESS SHARE', 'ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE',
] as const
export type LockMode = typeof lockModes[number]

export const strongerLock = (a: LockMode, b: LockMode): LockMode => (lockModes.indexOf(a) >= lockModes.indexOf(b) ? a : b)

/** SHARE and every mode above it conflict with ROW EXCLUSIVE: writers (INSERT, UPDATE, DELETE) wait */
export const blocksWrites = (lock: LockMode): boolean => lockModes.indexOf(lock) >= lockModes.indexOf('SHARE')

/**
 * What the statement does to the rows of the tables it locks: `rewrite` (the table is written
 * anew), `scan` (read in full under the lock: a check, an index build), `data` (rows written),
 * `catalog` (the catalog only), `none` (no table at all), `unknown`.
 */
export type StatementEffect = 'rewrite' | 'scan' | 'data' | 'catalog' | 'none' | 'unknown'

export const effectWeight: Record<StatementEffect, number> = { none: 0, catalog: 1, data: 2, scan: 3, rewrite: 4, unknown: 5 }
export const heavierEffect = (a: StatementEffect, b: StatementEffect): StatementEffect => (effectWeight[a] >= effectWeight[b] ? a : b)

export type StatementKind =
	| 'createTable' | 'dropTable' | 'renameTable' | 'renameView'
	| 'addColumn' | 'dropColumn' | 'renameColumn' | 'alterColumn'
	| 'addForeignKey' | 'addUnique' | 'addUniqueUsingIndex' | 'addPrimaryKey' | 'addCheck' | 'dropConstraint' | 'validateConstraint'
	| 'createIndex' | 'createIndexConcurrently' | 'dropIndex' | 'dropIndexConcurrently'
	| 'createDomain' | 'dropDomain' | 'renameDomain' | 'addDomainConstraint' | 'dropDomainConstraint' | 'addEnumValue'
	| 'createView' | 'replaceView' | 'dropView' | 'createMaterializedView' | 'dropMaterializedView'
	| 'update' | 'insertSelect' | 'setConstraints'

export interface TableLock {
	readonly table: string
	readonly lock: LockMode
}

export interface StatementLocks {
	readonly kind: StatementKind | 'unknown'
	/** the actions of an `alterColumn` statement, in order */
	readonly actions?: readonly ColumnActionKind[]
	/** each table the statement locks, with the strongest lock it holds on it until the transaction ends */
	readonly tables: readonly TableLock[]
	readonly effect: StatementEffect
	/** false: PostgreSQL refuses it inside a transaction block (SQLSTATE 25001) */
	readonly transactional: boolean
	readonly note?: string
	/** a generator comment standing for a drop whose name the live catalog supplies at execution */
	readonly resolvedAtExecution?: true
}

/** a classification and how the statement changes the catalog facts later statements are classified with */
export interface ClassifiedStatement extends StatementLocks {
	readonly change?: CatalogChange
}
