/**
 * How `migrations:describe` shows what each statement locks: one `-- locks: …` comment line
 * before the statement (a comment, so the printed SQL stays SQL), the table sizes when a
 * database was read, and a warning line for a write-blocking lock held while a large table is
 * rewritten or scanned. Also the `--json` form of a statement. Pure: returns text and data.
 */
import { largeTableLocks, type DescribedStatement, type LargeTableLock, type TableSize } from '../../migrations/describeLocks.js'

const effectText: Record<DescribedStatement['effect'], string> = {
	rewrite: 'rewrite',
	scan: 'scan',
	data: 'writes rows',
	catalog: 'catalog only',
	none: 'no table',
	unknown: 'unknown statement: assumed to rewrite',
}

/** a plain lower-case name as is; anything else JSON-quoted, so no character of it can end the comment line */
const tableName = (name: string): string => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : JSON.stringify(name))

export const formatRows = (rows: number): string => rows.toLocaleString('en-US')

export const formatBytes = (bytes: number): string => {
	const units = ['bytes', 'kB', 'MB', 'GB', 'TB']
	let value = bytes
	let unit = 0
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024
		unit++
	}
	return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

const sizeText = (size: TableSize | undefined): string => {
	if (!size) return ''
	const rows = size.rows === undefined ? 'rows unknown' : `~${formatRows(size.rows)} rows`
	return ` [${rows}, ${formatBytes(size.bytes)}]`
}

/** `-- locks: post ACCESS EXCLUSIVE [~1,200 rows, 96 kB] (rewrite)` */
export const lockAnnotation = (statement: DescribedStatement, sizes?: ReadonlyMap<string, TableSize>): string => {
	const tables = statement.locks.map(({ table, lock }) => `${tableName(table)} ${lock}${sizeText(sizes?.get(table))}`)
	const details = [effectText[statement.effect], ...(statement.transactional ? [] : ['cannot run in a transaction block'])]
	return tables.length === 0 ? `-- locks: no table (${details.join('; ')})` : `-- locks: ${tables.join(', ')} (${details.join('; ')})`
}

/** `LARGE TABLE: post (~2,000,000 rows) stays in ACCESS EXCLUSIVE during the rewrite: reads and writes wait` */
export const largeTableWarning = (statement: DescribedStatement, large: readonly LargeTableLock[]): string =>
	large.map(({ table, lock, rows }) => {
		const during = statement.effect === 'unknown' ? 'while it runs' : statement.effect === 'rewrite' ? 'during the rewrite' : 'during the scan'
		const waits = lock === 'ACCESS EXCLUSIVE' ? 'reads and writes wait' : 'writes wait'
		return `LARGE TABLE: ${tableName(table)} (~${formatRows(rows)} rows) stays in ${lock} ${during}: ${waits}`
	}).join('\n')

/** a statement in `--json`: its locks with the table sizes when known, and the large tables it holds */
export const statementJson = (statement: DescribedStatement, withSql: boolean, sizes: ReadonlyMap<string, TableSize> | undefined, threshold: number) => {
	const { sql, locks, ...rest } = statement
	const large = sizes ? largeTableLocks(statement, sizes, threshold) : []
	return {
		...(withSql ? { sql } : {}),
		...rest,
		locks: locks.map(it => ({ ...it, ...sizes?.get(it.table) })),
		...(large.length ? { largeTables: large.map(it => it.table) } : {}),
	}
}
