/**
 * What a lint rule sees and says. A rule looks at one step (modification) of a migration at a
 * time: the step's description and warnings (src/modifications/warnings.ts) and its statements
 * as statementLocks classified them (lock, effect, transactional). It re-derives nothing those
 * already know; it only decides what is risky and says what to do instead.
 */
import type { DescribedModification } from '../migrations/describe.js'
import type { DescribedStatement, TableSize } from '../migrations/describeLocks.js'
import type { Modification } from '../modifications/types.js'
import type { LintCode, LintSeverity } from './codes.js'

/** the sizes of the tables a migration locks, read from a database, and from how many rows on a table is large */
export interface TableSizes {
	readonly sizes: ReadonlyMap<string, TableSize>
	readonly largeTableRows: number
}

export interface LintStatement extends DescribedStatement {
	/** tables created earlier in the same migration: empty, so nothing on them is slow or can fail on rows */
	readonly newTables: ReadonlySet<string>
}

/** a column re-typed by the step, with both SQL types as strata writes them */
export interface ColumnRetype {
	readonly field: string
	readonly from: string
	readonly to: string
	/** the migration's own USING expression (strata's `conversion`), when it has one: no cast is used */
	readonly conversion?: string
}

export interface LintStep {
	/** the migration's name */
	readonly migration: string
	/** the modification's index in the file, from 0 */
	readonly index: number
	/** the migration runs with the online strategy: its statements are the online plan's, CONCURRENTLY ones run outside the transaction */
	readonly online?: boolean
	/** the contract phase of an expand/contract pair: it runs after the new application is deployed (docs/zero-downtime.md) */
	readonly contractPhase?: boolean
	readonly modification: Modification
	readonly described: DescribedModification
	readonly statements: readonly LintStatement[]
	readonly retype?: ColumnRetype
	/** only with a database */
	readonly tableSizes?: TableSizes
}

export interface RuleFinding {
	readonly message: string
	/** the statement it is about, terminated with `;` */
	readonly statement?: string
	readonly table?: string
}

export interface LintRule {
	readonly code: LintCode
	readonly severity: LintSeverity
	/** one line, for tables and headings */
	readonly title: string
	/** why it is risky */
	readonly explanation: string
	/** what to do instead */
	readonly alternative: string
	/** the step warnings (docs/warnings.md) the rule reports as findings, when it is built on them */
	readonly stepWarnings?: readonly string[]
	check(step: LintStep): readonly RuleFinding[]
}

/** the statements of the step that touch `table`s not created earlier in the migration, with the first such table */
export const onExistingTables = (statements: readonly LintStatement[], keep: (statement: LintStatement) => boolean): { statement: LintStatement; table: string }[] =>
	statements.filter(keep).flatMap(statement => {
		const table = statement.locks[0]?.table
		return table !== undefined && !statement.newTables.has(table) ? [{ statement, table }] : []
	})

/** a step warning of `codes` as findings, located at the step's first statement on an existing table */
export const warningFindings = (step: LintStep, codes: readonly string[]): RuleFinding[] =>
	step.described.warnings.filter(it => codes.includes(it.code)).map(warning => {
		const first = onExistingTables(step.statements, () => true)[0]
		return { message: `${warning.message} [${warning.code}]`, ...(first ? { statement: first.statement.sql, table: first.table } : {}) }
	})
