/** L008: a foreign key or check added to an existing table without NOT VALID: every row is checked under the lock. */
import { LintCode } from '../codes.js'
import { onExistingTables, type LintRule } from '../rule.js'

const checksRows = new Set(['addForeignKey', 'addCheck', 'addDomainConstraint'])

export const constraintWithoutNotValidRule: LintRule = {
	code: LintCode.constraintWithoutNotValid,
	severity: 'warning',
	title: 'foreign key or check added without NOT VALID on an existing table',
	explanation: 'Adding a foreign key (SHARE ROW EXCLUSIVE on both tables), a CHECK (ACCESS EXCLUSIVE) or a domain check (SHARE on every table using the enum) reads every row under the lock: writes wait for the whole scan. A table created in the same migration is exempt.',
	alternative: 'Add the constraint NOT VALID (only new rows are checked, at once), then ALTER TABLE … VALIDATE CONSTRAINT in a later step, which holds SHARE UPDATE EXCLUSIVE and lets reads and writes go on.',
	check: step => onExistingTables(step.statements, it => checksRows.has(it.kind) && it.effect === 'scan').map(({ statement, table }) => ({
		message: `checks every row of "${table}" under ${statement.locks[0]!.lock}${statement.kind === 'addDomainConstraint' ? ' (the enum\'s domain check)' : ''}: writes wait for the scan`,
		statement: statement.sql,
		table,
	})),
}
