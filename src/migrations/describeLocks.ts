/**
 * The lock and cost of every statement of a migration's steps, in order: each statement is
 * classified (src/sql/statementLocks.ts) against the catalog as the statements before it left
 * it, starting from the schema the migration meets (and the live catalog, when there is one).
 * Offline placeholders for drops resolved at execution are classified as the drop they stand for.
 */
import type { SqlBuilder } from '../sql/builder.js'
import type { DatabaseMetadata } from '../sql/metadata.js'
import { blocksWrites, classifyStatement, type StatementLocks, type TableLock } from '../sql/statementLocks.js'
import { classifyResolvedAtExecution } from '../sql/statementLocksDeferred.js'
import { trackCatalog } from '../sql/statementLocksFacts.js'
import type { Schema } from '../schema/model.js'
import type { Modification } from '../modifications/types.js'
import { schemaCatalogFacts } from './schemaCatalogFacts.js'

export interface DescribedStatement extends Omit<StatementLocks, 'tables'> {
	/** the statement, terminated with `;`, or the placeholder comment of a drop resolved at execution */
	readonly sql: string
	/** each table it locks and the strongest lock held on it */
	readonly locks: readonly TableLock[]
	/**
	 * in an online migration, the step it runs in (from 0, of `total`), whether that step is a
	 * transaction, and whether the statement opens the step
	 */
	readonly onlineStep?: { readonly step: number; readonly total: number; readonly transactional: boolean; readonly first: boolean }
}

const described = (sql: string, { tables, ...rest }: StatementLocks): DescribedStatement => ({ sql, ...rest, locks: tables })

/**
 * A statement of a hand-written SQL step (executeSql): the shapes the classification knows keep
 * their locks; any other is not guessed at (no table, effect unknown), and it runs where the
 * step says, in the transaction or alone outside it.
 */
const handWritten = (locks: StatementLocks, transactional: boolean): StatementLocks => locks.kind !== 'unknown'
	? { ...locks, transactional: locks.transactional && transactional }
	: { kind: 'unknown', tables: [], effect: 'unknown', transactional, note: 'hand-written SQL: strata does not know what it locks or does' }

/** per step, its classified statements */
export const describeStatementLocks = (
	schemaBefore: Schema, steps: readonly { readonly sql: SqlBuilder; readonly modification?: Modification }[], databaseMetadata?: DatabaseMetadata,
): DescribedStatement[][] => {
	const catalog = trackCatalog(schemaCatalogFacts(schemaBefore, databaseMetadata))
	return steps.map(step => step.sql.items.flatMap(item => {
		if (item.kind === 'comment') {
			const deferred = classifyResolvedAtExecution(item.sql)
			return deferred ? [described(item.sql, deferred)] : []
		}
		const { change, ...locks } = classifyStatement(item.sql, catalog)
		if (step.modification?.modification === 'executeSql') return [described(`${item.sql};`, handWritten(locks, step.modification['transactional'] !== false))]
		if (change) catalog.apply(change)
		return [described(`${item.sql};`, locks)]
	}))
}

/** a table's size as the live catalog estimates it: rows from the planner statistics (unknown until ANALYZE or autovacuum ran), bytes with indexes and TOAST */
export interface TableSize {
	readonly rows?: number
	readonly bytes: number
}

/** the default of `--large-table` / `largeTableRows` */
export const DEFAULT_LARGE_TABLE_ROWS = 1_000_000

export interface LargeTableLock extends TableLock {
	readonly rows: number
}

/**
 * The tables on which the statement holds a lock that stops writers (SHARE or stronger) for as
 * long as it rewrites or scans, and that hold at least `threshold` rows: the steps a reviewer
 * must plan a window (or another way) for.
 */
export const largeTableLocks = (statement: Pick<DescribedStatement, 'locks' | 'effect'>, sizes: ReadonlyMap<string, TableSize>, threshold: number): LargeTableLock[] => {
	if (!['rewrite', 'scan', 'unknown'].includes(statement.effect)) return []
	return statement.locks.flatMap(({ table, lock }) => {
		const rows = sizes.get(table)?.rows
		return blocksWrites(lock) && rows !== undefined && rows >= threshold ? [{ table, lock, rows }] : []
	})
}
