/** L006: a step that drops a table, column, enum or enum values, and the data in them. */
import { WarningCode } from '../../modifications/warnings.js'
import { LintCode } from '../codes.js'
import { onExistingTables, type LintRule } from '../rule.js'

export const destructiveDropRule: LintRule = {
	code: LintCode.destructiveDrop,
	severity: 'warning',
	title: 'destructive drop',
	explanation: 'The step drops a table, a column, an enum or enum values, with the data in them. Code still running against the old schema during a rolling deploy fails, and the data only comes back from a backup.',
	alternative: 'Stop using the object in the application first and deploy that; drop it in a later migration once nothing reads it (and after a backup). If it is a rename, use --rename. migrations:diff --expand-contract writes such a pair (docs/zero-downtime.md); the drops of its contract phase are not reported.',
	// a narrowing is also marked destructive; L004/L005 report it
	check: step => {
		const { described } = step
		// a contract runs after the new application is deployed and drops what its expand replaced: the alternative this rule asks for
		if (step.contractPhase) return []
		if (!described.destructive || described.warnings.some(it => it.code === WarningCode.typeNarrowing)) return []
		const drop = onExistingTables(step.statements, it => it.kind === 'dropTable' || it.kind === 'dropColumn' || it.kind === 'dropDomain')[0]
		return [{ message: `${described.destructiveReason ?? `${described.message}: loses data`}`, ...(drop ? { statement: drop.statement.sql, table: drop.table } : {}) }]
	},
}
