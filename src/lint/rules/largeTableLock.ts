/** L001: a lock that stops writers, held while a table of at least the threshold's rows is rewritten or scanned. */
import { largeTableLocks } from '../../migrations/describeLocks.js'
import { LintCode } from '../codes.js'
import type { LintRule } from '../rule.js'

const rows = (count: number) => count.toLocaleString('en-US')

export const largeTableLockRule: LintRule = {
	code: LintCode.largeTableLock,
	severity: 'error',
	title: 'write-blocking lock on a large table during a rewrite or scan',
	explanation: 'The statement holds SHARE or a stronger lock on a table of at least --large-table rows (estimated by the planner) while it rewrites or reads the whole table: writers (and, under ACCESS EXCLUSIVE, readers) wait until the migration commits. Only checked with --database-url.',
	alternative: 'Split the change so that no step rewrites or scans the table under such a lock (new column + backfill in batches + swap; CREATE INDEX CONCURRENTLY; NOT VALID + VALIDATE CONSTRAINT), or run it in a maintenance window.',
	check: step => {
		const sizes = step.tableSizes
		if (!sizes) return []
		return step.statements.flatMap(statement => largeTableLocks(statement, sizes.sizes, sizes.largeTableRows).map(({ table, lock, rows: count }) => {
			const during = statement.effect === 'rewrite' ? 'rewrites' : statement.effect === 'scan' ? 'scans' : 'runs on'
			const waits = lock === 'ACCESS EXCLUSIVE' ? 'reads and writes wait' : 'writes wait'
			return { message: `holds ${lock} on "${table}" (~${rows(count)} rows, threshold ${rows(sizes.largeTableRows)}) while it ${during} it: ${waits}`, statement: statement.sql, table }
		}))
	},
}
