/**
 * One statement strata's generators wrote, in its online form: the pieces that replace it and
 * how each must run. Pure. Only the shapes that hold a write-blocking lock while they read the
 * whole table change; every other statement is kept as it is.
 *
 * - `CREATE [UNIQUE] INDEX ON t …` → `CREATE [UNIQUE] INDEX CONCURRENTLY <name> ON t …`, alone
 *   and outside a transaction (PostgreSQL refuses CONCURRENTLY in one).
 * - `ALTER TABLE t ADD UNIQUE (…)` → the same unique index built concurrently, then
 *   `ADD CONSTRAINT <name> UNIQUE USING INDEX <name>` (catalog only: the index exists).
 * - `ALTER TABLE t ADD FOREIGN KEY … ` / `ADD CHECK (…)` → named and `NOT VALID` (the rows are
 *   not read; new rows are checked), then `VALIDATE CONSTRAINT` in a transaction of its own,
 *   which holds SHARE UPDATE EXCLUSIVE: reads and writes go on while it reads the table.
 * - `ALTER TABLE t ALTER c SET NOT NULL` → `CHECK (c IS NOT NULL) NOT VALID`, validated as
 *   above; then SET NOT NULL, which PostgreSQL 12+ proves from the validated check without a
 *   scan, and the check is dropped again. When SET NOT NULL ends a statement with other actions
 *   on the column (a type change), those run first, alone, and the NOT NULL follows this way.
 *
 * Statements on a table the same migration created are never changed: the table is empty, and
 * CONCURRENTLY there would only cost a transaction boundary.
 */
import { IDENT, identifierName, identifierNames, statementText } from '../sql/statementLocksSyntax.js'
import { quoteIdentifier } from '../sql/quote.js'
import { onlineObjectName } from './onlineNames.js'

/**
 * How a piece runs: `batch` with its neighbours in one transaction; `own` in a transaction of
 * its own (a VALIDATE, so the lock of the statement before it is released first); `concurrent`
 * alone and outside any transaction.
 */
export type SegmentMode = 'batch' | 'own' | 'concurrent'

export interface OnlineSegment {
	readonly sql: string
	readonly mode: SegmentMode
	/** the index a `concurrent` piece builds: a re-run drops it first when an interrupted build left it INVALID */
	readonly builds?: string
}

/**
 * How a statement of the online form runs, read back from its text: what the rewriter below
 * assigned to it (a unit test holds the two together). describe uses it to show the steps.
 */
export const segmentModeOf = (sql: string): SegmentMode => {
	const text = statementText(sql)
	if (/^(?:CREATE (?:UNIQUE )?INDEX|DROP INDEX) CONCURRENTLY\b/.test(text)) return 'concurrent'
	if (new RegExp(String.raw`^ALTER TABLE ${IDENT} VALIDATE CONSTRAINT ${IDENT}$`).test(text)) return 'own'
	return 'batch'
}

/** the table a statement creates (a table or a materialized view), if it is a CREATE of one */
export const createdTable = (sql: string): string | undefined => {
	const match = new RegExp(String.raw`^CREATE (?:MATERIALIZED VIEW|TABLE)(?: IF NOT EXISTS)? (${IDENT})`, 'i').exec(statementText(sql))
	return match ? identifierName(match[1]!) : undefined
}

const CREATE_INDEX = new RegExp(String.raw`^CREATE (UNIQUE )?INDEX ON (${IDENT})(.*)$`, 's')
const ADD_UNIQUE = new RegExp(String.raw`^ALTER TABLE (${IDENT}) ADD UNIQUE \(([^)]*)\)(.*)$`, 's')
const ADD_FOREIGN_KEY = new RegExp(String.raw`^ALTER TABLE (${IDENT}) ADD FOREIGN KEY \(([^)]*)\)(.*)$`, 's')
const ADD_CHECK = new RegExp(String.raw`^ALTER TABLE (${IDENT}) ADD CHECK (.*)$`, 's')
const SET_NOT_NULL = new RegExp(String.raw`^ALTER TABLE (${IDENT}) ALTER (?:COLUMN )?(${IDENT}) SET NOT NULL$`, 's')
/** several actions on one column, SET NOT NULL the last (a type change with it): `ALTER TABLE t ALTER c SET DATA TYPE …, ALTER c SET NOT NULL` */
const ACTIONS_THEN_NOT_NULL = new RegExp(String.raw`^(ALTER TABLE (${IDENT}) ALTER (?:COLUMN )?(${IDENT}) .*), ALTER (?:COLUMN )?\3 SET NOT NULL$`, 's')

/** the columns of an index definition's first parenthesised list, for a readable name */
const indexColumns = (rest: string): string[] => {
	const open = rest.indexOf('(')
	const close = rest.indexOf(')', open)
	return open === -1 || close === -1 ? [] : identifierNames(rest.slice(open + 1, close)).slice(0, 4)
}

/** a constraint added NOT VALID (new rows checked at once), then validated in a transaction of its own */
const addedThenValidated = (table: string, constraint: string, definition: string): OnlineSegment[] => [
	{ sql: `ALTER TABLE ${table} ADD CONSTRAINT ${constraint} ${definition} NOT VALID`, mode: 'batch' },
	{ sql: `ALTER TABLE ${table} VALIDATE CONSTRAINT ${constraint}`, mode: 'own' },
]

/**
 * The online form of `sql` (as the generator wrote it, without `;`). `newTables` are the tables
 * created earlier in the same migration; `version` names the objects deterministically.
 */
export const onlineStatement = (sql: string, version: string, newTables: ReadonlySet<string>): OnlineSegment[] => {
	const text = statementText(sql)
	// a statement ending in a `--` comment keeps its line break, or the `;` after it would be commented out
	const kept: OnlineSegment[] = [{ sql, mode: 'batch' }]
	const existing = (table: string) => !newTables.has(identifierName(table))
	const name = (table: string, columns: readonly string[], suffix: string) => onlineObjectName(version, text, identifierName(table), columns, suffix)

	const index = CREATE_INDEX.exec(sql.trimStart())
	if (index) {
		const [, unique, table, rest] = index as unknown as [string, string | undefined, string, string]
		if (!existing(table)) return kept
		const indexName = name(table, indexColumns(rest), unique ? 'key' : 'idx')
		return [{ sql: `CREATE ${unique ?? ''}INDEX CONCURRENTLY ${quoteIdentifier(indexName)} ON ${table}${rest}`, mode: 'concurrent', builds: indexName }]
	}
	const addUnique = ADD_UNIQUE.exec(text)
	if (addUnique) {
		const [, table, columns, timing] = addUnique as unknown as [string, string, string, string]
		if (!existing(table)) return kept
		const indexName = quoteIdentifier(name(table, identifierNames(columns), 'key'))
		return [
			{ sql: `CREATE UNIQUE INDEX CONCURRENTLY ${indexName} ON ${table} (${columns})`, mode: 'concurrent', builds: identifierName(indexName) },
			{ sql: `ALTER TABLE ${table} ADD CONSTRAINT ${indexName} UNIQUE USING INDEX ${indexName}${timing}`, mode: 'batch' },
		]
	}
	const foreignKey = ADD_FOREIGN_KEY.exec(text)
	if (foreignKey) {
		const [, table, columns, rest] = foreignKey as unknown as [string, string, string, string]
		if (!existing(table)) return kept
		return addedThenValidated(table, quoteIdentifier(name(table, identifierNames(columns), 'fkey')), `FOREIGN KEY (${columns})${rest}`)
	}
	const check = ADD_CHECK.exec(text)
	if (check) {
		const [, table, expression] = check as unknown as [string, string, string]
		if (!existing(table)) return kept
		return addedThenValidated(table, quoteIdentifier(name(table, [], 'check')), `CHECK ${expression}`)
	}
	const notNullThrough = (table: string, column: string): OnlineSegment[] => {
		const constraint = quoteIdentifier(name(table, [identifierName(column)], 'not_null'))
		return [
			...addedThenValidated(table, constraint, `CHECK (${column} IS NOT NULL)`),
			// both in one transaction: the column is never left without either guarantee
			{ sql: `ALTER TABLE ${table} ALTER ${column} SET NOT NULL`, mode: 'batch' },
			{ sql: `ALTER TABLE ${table} DROP CONSTRAINT ${constraint}`, mode: 'batch' },
		]
	}
	const notNull = SET_NOT_NULL.exec(text)
	if (notNull) {
		const [, table, column] = notNull as unknown as [string, string, string]
		return existing(table) ? notNullThrough(table, column) : kept
	}
	// a type change (or identity drop) with SET NOT NULL: the other actions first, then the NOT NULL
	// as above. Where the type change rewrites the table, that rewrite is what it was (it holds
	// ACCESS EXCLUSIVE either way); where it is catalog only, the NOT NULL no longer scans under it.
	const withActions = ACTIONS_THEN_NOT_NULL.exec(text)
	if (withActions) {
		const [, others, table, column] = withActions as unknown as [string, string, string, string]
		return existing(table) ? [{ sql: others, mode: 'batch' }, ...notNullThrough(table, column)] : kept
	}
	return kept
}

/**
 * Rewrites a migration's statements in order, knowing which tables the migration created
 * before each one (exempt: they are empty).
 */
export class OnlineRewriter {
	readonly #newTables = new Set<string>()
	constructor(private readonly version: string) {}

	rewrite(sql: string): OnlineSegment[] {
		const segments = onlineStatement(sql, this.version, this.#newTables)
		const created = createdTable(sql)
		if (created !== undefined) this.#newTables.add(created)
		return segments
	}
}
