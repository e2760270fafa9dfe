/** L010: a hand-written SQL step (executeSql) holds DDL, which strata does not follow (the step warning S013). */
import { WarningCode } from '../../modifications/warnings.js'
import { LintCode } from '../codes.js'
import { warningFindings, type LintRule } from '../rule.js'

export const sqlStepChangesStructureRule: LintRule = {
	code: LintCode.sqlStepChangesStructure,
	severity: 'warning',
	title: 'SQL step that changes structure',
	explanation: 'An executeSql step runs its SQL as written and does not change the schema strata replays. CREATE, ALTER, DROP, RENAME, COMMENT ON, GRANT or REVOKE in it change the database behind strata\'s back: the next diff does not know, and db:drift reports the difference on every database.',
	alternative: 'Declare the change in the schema and let migrations:diff write it; keep SQL steps for data (UPDATE, INSERT, DELETE). For objects strata does not manage, pass db:drift --ignore.',
	stepWarnings: [WarningCode.sqlStepChangesStructure],
	check: step => warningFindings(step, [WarningCode.sqlStepChangesStructure]),
}
