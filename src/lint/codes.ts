/**
 * The stable codes of `migrations:lint` (docs/online.md, "Lint rules"). Scripts and the
 * suppressions stored in migration files name them, so a code is never reused or renumbered;
 * titles and messages may be reworded. Kept apart from the rules so that the migration parser
 * can check a suppression's code without loading the rules.
 */
export const LintCode = {
	/** a lock that stops writers held while a large table is rewritten or scanned (needs table sizes) */
	largeTableLock: 'L001',
	/** the table is rewritten under ACCESS EXCLUSIVE */
	tableRewrite: 'L002',
	/** NOT NULL on an existing table without a fill value */
	notNullWithoutFill: 'L003',
	/** the new column type can fail the cast or lose information */
	typeNarrowing: 'L004',
	/** PostgreSQL has no cast from the old column type to the new one */
	uncastableTypeChange: 'L005',
	/** a table, column, enum or enum value is dropped with its data */
	destructiveDrop: 'L006',
	/** an index is built on an existing table without CONCURRENTLY */
	indexWithoutConcurrently: 'L007',
	/** a foreign key or check is added to an existing table without NOT VALID */
	constraintWithoutNotValid: 'L008',
	/** a statement PostgreSQL refuses inside a transaction block */
	notTransactional: 'L009',
	/** a hand-written SQL step changes structure strata does not follow */
	sqlStepChangesStructure: 'L010',
} as const
export type LintCode = (typeof LintCode)[keyof typeof LintCode]

export const lintCodes: readonly LintCode[] = Object.values(LintCode)

export const isLintCode = (value: string): value is LintCode => (lintCodes as readonly string[]).includes(value)

/** how bad a finding is, weakest first; `--fail-on` picks the weakest that fails `--check` */
export const lintSeverities = ['notice', 'warning', 'error'] as const
export type LintSeverity = typeof lintSeverities[number]

export const atLeast = (severity: LintSeverity, threshold: LintSeverity): boolean =>
	lintSeverities.indexOf(severity) >= lintSeverities.indexOf(threshold)
