/** L002: a statement rewrites an existing table (any size) under ACCESS EXCLUSIVE. */
import { WarningCode } from '../../modifications/warnings.js'
import { LintCode } from '../codes.js'
import { onExistingTables, type LintRule } from '../rule.js'

export const tableRewriteRule: LintRule = {
	code: LintCode.tableRewrite,
	severity: 'warning',
	title: 'table rewrite',
	explanation: 'The table and its indexes are written anew while ACCESS EXCLUSIVE is held: nobody reads or writes it until the migration commits, for as long as the rewrite takes (minutes on a big table). Decided by the statement classification, which knows the binary-coercible type changes that do not rewrite.',
	alternative: 'Add a new column of the new type, backfill it in batches, switch the application to it and drop the old column; or accept the lock in a quiet window.',
	// S004 says the same of the step; this rule says it of the statement, and only when it really rewrites
	stepWarnings: [WarningCode.tableRewrite],
	check: step => onExistingTables(step.statements, it => it.effect === 'rewrite').map(({ statement, table }) => ({
		message: `rewrites table "${table}" under ACCESS EXCLUSIVE: reads and writes wait until it is done`,
		statement: statement.sql,
		table,
	})),
}
