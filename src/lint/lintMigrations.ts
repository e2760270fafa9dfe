/**
 * Linting migrations: every rule (rules.ts) over every step of each migration, the findings a
 * migration's `strata.lint.allow` accepts marked suppressed with their reason. Pure: the
 * caller reads the files, the live catalog and the table sizes.
 *
 * Two phases, so that a caller with a database can read the sizes of exactly the tables the
 * statements lock: `prepareLint` describes the migrations (SQL and locks), `lintPrepared`
 * applies the rules. `lintMigrations` does both, without sizes.
 */
import { describeMigration } from '../migrations/describe.js'
import type { MigrationFile } from '../migrations/format.js'
import type { Modification } from '../modifications/types.js'
import { replay } from '../migrations/replay.js'
import { validateForSql } from '../migrations/validated.js'
import type { Schema } from '../schema/model.js'
import type { DatabaseMetadata } from '../sql/metadata.js'
import { LintCode, type LintSeverity } from './codes.js'
import type { LintSuppression } from './extension.js'
import { columnRetypes } from './retypes.js'
import { expandContractPhase, isOnlineMigration } from './extension.js'
import { onlineDescribeOption } from '../online/onlineDescribe.js'
import type { LintStatement, LintStep, TableSizes } from './rule.js'
import { lintRules } from './rules.js'

export type LintableMigration = Pick<MigrationFile, 'name' | 'version' | 'formatVersion' | 'strata'> & { readonly modifications: readonly Modification[] }

export interface LintFinding {
	readonly code: LintCode
	readonly severity: LintSeverity
	readonly title: string
	readonly migration: string
	/** the modification's index in the file, from 0 */
	readonly modification: number
	/** its id, e.g. `createIndex` */
	readonly modificationId: string
	readonly statement?: string
	readonly table?: string
	readonly message: string
	/** what to do instead */
	readonly alternative: string
	/** present when the migration's `strata.lint.allow` accepts the finding */
	readonly suppressed?: { readonly reason: string }
}

export interface UnusedSuppression {
	readonly migration: string
	readonly suppression: LintSuppression
}

export interface LintReport {
	readonly findings: readonly LintFinding[]
	/** suppressions that accept no finding: stale after an edit, or naming the wrong modification */
	readonly unusedSuppressions: readonly UnusedSuppression[]
}

export interface PreparedMigration {
	readonly file: LintableMigration
	readonly steps: readonly Omit<LintStep, 'tableSizes'>[]
}

export interface LintOptions {
	/** the live catalog, for the names PostgreSQL chose (offline otherwise) */
	readonly databaseMetadata?: DatabaseMetadata
}

/** the steps of one migration with their classified statements, each knowing the tables the migration created before it */
const prepareMigration = (schemaBefore: Schema, file: LintableMigration, options: LintOptions): PreparedMigration => {
	const described = describeMigration(schemaBefore, file, { ...(options.databaseMetadata ? { databaseMetadata: options.databaseMetadata } : {}), ...onlineDescribeOption(file) })
	const retypes = columnRetypes(schemaBefore, file)
	let newTables: ReadonlySet<string> = new Set()
	const steps = described.map(step => {
		const statements: LintStatement[] = step.statements.map(statement => {
			const here = { ...statement, newTables }
			// a table created here is new for the statements after this one
			if (statement.kind === 'createTable' && statement.locks[0]) newTables = new Set([...newTables, statement.locks[0].table])
			return here
		})
		const retype = retypes.get(step.index)
		return { migration: file.name, online: isOnlineMigration(file), ...(expandContractPhase(file) === 'contract' ? { contractPhase: true } : {}), index: step.index, modification: file.modifications[step.index]!, described: step, statements, ...(retype ? { retype } : {}) }
	})
	return { file, steps }
}

/**
 * Describes consecutive migrations, `schemaBefore` being the schema the first one starts from
 * (the replay of every file before it).
 */
export const prepareLint = (files: readonly LintableMigration[], schemaBefore: Schema, options: LintOptions = {}): PreparedMigration[] => {
	let schema = schemaBefore
	return files.map((file, position) => {
		const prepared = prepareMigration(schema, file, options)
		if (position < files.length - 1) schema = replay([file], { initial: schema })
		return prepared
	})
}

/** every table a statement of the prepared migrations locks: the ones whose sizes L001 needs */
export const lockedTables = (prepared: readonly PreparedMigration[]): string[] =>
	[...new Set(prepared.flatMap(it => it.steps.flatMap(step => step.statements.flatMap(statement => statement.locks.map(lock => lock.table)))))]

const accepts = (suppression: LintSuppression, finding: Pick<LintFinding, 'code' | 'modification'>): boolean =>
	suppression.code === finding.code && (suppression.modification === undefined || suppression.modification === finding.modification)

/** applies every rule; `tableSizes` (from a database) enables L001 */
export const lintPrepared = (prepared: readonly PreparedMigration[], tableSizes?: TableSizes): LintReport => {
	const findings: LintFinding[] = []
	const unusedSuppressions: UnusedSuppression[] = []
	for (const { file, steps } of prepared) {
		const allow = file.strata?.lint?.allow ?? []
		const used = new Set<LintSuppression>()
		for (const step of steps) {
			for (const rule of lintRules) {
				for (const found of rule.check(tableSizes ? { ...step, tableSizes } : step)) {
					const base = {
						code: rule.code, severity: rule.severity, title: rule.title, migration: file.name,
						modification: step.index, modificationId: step.modification.modification, ...found, alternative: rule.alternative,
					}
					const suppression = allow.find(it => accepts(it, base))
					if (suppression) used.add(suppression)
					findings.push(suppression ? { ...base, suppressed: { reason: suppression.reason } } : base)
				}
			}
		}
		// without sizes L001 cannot be checked: its suppressions are not stale for that
		const checkable = (it: LintSuppression) => tableSizes !== undefined || it.code !== LintCode.largeTableLock
		unusedSuppressions.push(...allow.filter(it => !used.has(it) && checkable(it)).map(suppression => ({ migration: file.name, suppression })))
	}
	return { findings, unusedSuppressions }
}

/** lints consecutive migrations offline (no table sizes: L001 needs a database); the entry point for other commands */
export const lintMigrations = (files: readonly LintableMigration[], schemaBefore: Schema, options: LintOptions = {}): LintReport =>
	lintPrepared(prepareLint(files, schemaBefore, options))

/** the selected files in runs of consecutive versions, each with the schema the files before it build */
export const prepareSelectedLint = (files: readonly MigrationFile[], selected: readonly MigrationFile[], databaseMetadata?: DatabaseMetadata): PreparedMigration[] => {
	if (selected.length === 0) return []
	const last = selected[selected.length - 1]!
	validateForSql(files.filter(file => file.version <= last.version), new Set(selected.map(file => file.name)))
	const runs: MigrationFile[][] = []
	for (const file of selected) {
		const run = runs[runs.length - 1]
		const previous = run?.[run.length - 1]
		if (run && previous && files.indexOf(previous) + 1 === files.indexOf(file)) run.push(file)
		else runs.push([file])
	}
	return runs.flatMap(run => prepareLint(run, replay(files, { before: run[0]!.version }), databaseMetadata ? { databaseMetadata } : {}))
}
