/**
 * A migration's fold steps (one per modification) with their SQL in the online form, for
 * describe and lint: they show and judge what `migrations:execute` will run. Placeholder
 * comments of drops resolved at execution stay where they were. Pure.
 */
import { isOnlineMigration, type StrataExtension } from '../lint/extension.js'
import type { DescribedStatement } from '../migrations/describeLocks.js'
import type { ModificationStep } from '../modifications/fold.js'
import { SqlBuilder } from '../sql/builder.js'
import { IDENT, identifierName } from '../sql/statementLocksSyntax.js'
import { OnlineRewriter, segmentModeOf } from './onlineStatement.js'

/** describeMigration's option for a migration marked online, none for the others */
export const onlineDescribeOption = (file: { readonly version: string; readonly strata?: StrataExtension }): { online?: { version: string } } =>
	isOnlineMigration(file) ? { online: { version: file.version } } : {}

/** each step with its statements rewritten; `version` names the objects the online strategy creates */
export const withOnlineSql = <Step extends Pick<ModificationStep, 'sql'>>(version: string, steps: readonly Step[]): Step[] => {
	const rewriter = new OnlineRewriter(version)
	return steps.map(step => {
		const sql = new SqlBuilder()
		for (const item of step.sql.items) {
			if (item.kind === 'comment') appendComment(sql, item.sql)
			else for (const segment of rewriter.rewrite(item.sql)) sql.statement(segment.sql)
		}
		return { ...step, sql }
	})
}

/** a `-- …` comment item, as the generator wrote it (SqlBuilder.comment would prefix `-- ` again) */
const appendComment = (sql: SqlBuilder, text: string) => sql.comment(text.split('\n').map(line => line.replace(/^-- /, '')).join('\n'))

const NOT_NULL_CHECK = new RegExp(String.raw`^ALTER TABLE (${IDENT}) ADD CONSTRAINT ${IDENT} CHECK \((${IDENT}) IS NOT NULL\) NOT VALID;$`)
const SET_NOT_NULL = new RegExp(String.raw`^ALTER TABLE (${IDENT}) ALTER (${IDENT}) SET NOT NULL;$`)

/**
 * SET NOT NULL after the online plan's validated `CHECK (c IS NOT NULL)` reads no row:
 * PostgreSQL 12+ proves the column from the check. The classification, which looks at one
 * statement, would call it a scan; this says what really happens.
 */
export const withProvenNotNull = (steps: readonly (readonly DescribedStatement[])[]): DescribedStatement[][] => {
	const checked = new Set<string>()
	const key = (table: string, column: string) => `${identifierName(table)}\u0000${identifierName(column)}`
	return steps.map(statements => statements.map(statement => {
		const check = NOT_NULL_CHECK.exec(statement.sql)
		if (check) checked.add(key(check[1]!, check[2]!))
		const notNull = SET_NOT_NULL.exec(statement.sql)
		if (!notNull || !checked.has(key(notNull[1]!, notNull[2]!))) return statement
		return { ...statement, effect: 'catalog' as const, note: 'proved by the validated check: no scan (PostgreSQL 12+)' }
	}))
}

/**
 * Each statement with the online step it belongs to, cut the way the plan cuts them
 * (onlinePlan.ts): consecutive `batch` statements share a transaction; a VALIDATE has one of its
 * own; a CONCURRENTLY statement runs alone, outside any transaction.
 */
export const withOnlineSteps = (steps: readonly (readonly DescribedStatement[])[]): DescribedStatement[][] => {
	const numbered: { step: number; transactional: boolean; first: boolean }[][] = []
	let step = -1
	let open = false
	for (const statements of steps) {
		numbered.push(statements.map(statement => {
			const mode = segmentModeOf(statement.sql.replace(/;$/, ''))
			const first = mode !== 'batch' || !open
			if (first) step++
			open = mode === 'batch'
			return { step, transactional: mode !== 'concurrent', first }
		}))
	}
	const total = step + 1
	return steps.map((statements, position) => statements.map((statement, index) => ({ ...statement, onlineStep: { ...numbered[position]![index]!, total } })))
}
