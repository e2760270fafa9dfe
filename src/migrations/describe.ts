/**
 * What one migration does: per modification its description (message, destructive with the
 * reason, warnings with their codes) and the SQL it emits, generated against the schema the
 * earlier migrations build. Pure; the CLI command (cli/run/describe.ts) does the I/O.
 *
 * Each statement carries the locks it takes and what it does to the rows (describeLocks.ts).
 *
 * Offline (no database metadata), statements that drop a constraint or index whose name only
 * PostgreSQL knows are replaced by `--` comments saying so; with live metadata they are real.
 */
import { foldModifications } from '../modifications/fold.js'
import type { Warning } from '../modifications/types.js'
import type { Schema } from '../schema/model.js'
import type { DatabaseMetadata } from '../sql/metadata.js'
import type { Modification } from '../modifications/types.js'
import type { MigrationFile } from './format.js'
import { describeStatementLocks, type DescribedStatement } from './describeLocks.js'
import { withOnlineSql, withOnlineSteps, withProvenNotNull } from '../online/onlineDescribe.js'
import { stepsProvenNotNull } from '../expandContract/provenNotNull.js'
import { WarningCode } from '../modifications/warnings.js'

export interface DescribedModification {
	/** position in the migration file, from 0 */
	readonly index: number
	/** the modification id, e.g. `createColumn` */
	readonly modification: string
	readonly message: string
	readonly destructive: boolean
	readonly destructiveReason?: string
	readonly warnings: readonly Warning[]
	/** the statements, each terminated with `;`, and explanatory `--` lines; empty when there is none */
	readonly sql: string
	/**
	 * every statement (and placeholder of a drop resolved at execution) with its locks, effect and
	 * whether it may run in a transaction; empty when described with `locks: false`
	 */
	readonly statements: readonly DescribedStatement[]
}

export interface DescribeOptions {
	/** the live catalog; offline when absent */
	readonly databaseMetadata?: DatabaseMetadata
	/** classify each statement's locks (default true); a caller that only wants the SQL skips the work */
	readonly locks?: boolean
	/** an online migration (docs/online.md): its statements as the online plan runs them; `version` names what the plan creates */
	readonly online?: { readonly version: string }
}

/** Describes every modification of `file`, starting from `schemaBefore` (the replay of the files before it). */
export const describeMigration = (
	schemaBefore: Schema,
	file: Pick<MigrationFile, 'formatVersion'> & { readonly modifications: readonly Modification[] },
	options: DescribeOptions = {},
): DescribedModification[] => {
	const folded = foldModifications(schemaBefore, file.modifications, {
		formatVersion: file.formatVersion,
		...(options.databaseMetadata ? { databaseMetadata: options.databaseMetadata } : {}),
	}).steps
	const steps = options.online ? withOnlineSql(options.online.version, folded) : folded
	const classified = options.locks === false ? steps.map(() => []) : describeStatementLocks(schemaBefore, steps, options.databaseMetadata)
	const statements = options.online ? withOnlineSteps(withProvenNotNull(classified)) : classified
	// a contract's SET NOT NULL after its validated compatibility check cannot fail and reads no row
	const proven = stepsProvenNotNull(steps.map(step => ({ modification: step.modification, sql: step.sql.toString() })))
	return steps.map((step, position) => ({
		index: step.index,
		modification: step.modification.modification,
		message: step.description.message,
		destructive: step.description.destructive,
		...(step.description.destructiveReason !== undefined ? { destructiveReason: step.description.destructiveReason } : {}),
		warnings: proven.has(position) ? step.description.warnings.filter(it => it.code !== WarningCode.notNullWithoutFill && it.code !== WarningCode.setNotNullMayFail) : step.description.warnings,
		sql: step.sql.toString(),
		statements: proven.has(position) ? provenStatements(statements[position]!) : statements[position]!,
	}))
}

const provenStatements = (statements: readonly DescribedStatement[]): DescribedStatement[] =>
	statements.map(statement => (/SET NOT NULL;?$/.test(statement.sql) ? { ...statement, effect: 'catalog' as const, note: 'proved by the validated check of the expand/contract pair: no scan (PostgreSQL 12+)' } : statement))

/**
 * The migration's SQL as one script for psql or a reviewer: every statement terminated, in
 * order, no colour and no decoration; the only comments are those the SQL generator wrote
 * (names resolved at execution). Empty when the migration emits no SQL; else ends with a newline.
 */
export const migrationSqlScript = (described: readonly Pick<DescribedModification, 'sql'>[]): string => {
	const blocks = described.map(it => it.sql).filter(sql => sql.trim() !== '')
	return blocks.length === 0 ? '' : `${blocks.join('\n')}\n`
}
