/** L003: NOT NULL on an existing table without a fill value (the step warnings S001 and S006). */
import { WarningCode } from '../../modifications/warnings.js'
import { LintCode } from '../codes.js'
import { warningFindings, type LintRule } from '../rule.js'

const codes = [WarningCode.notNullWithoutFill, WarningCode.setNotNullMayFail]

export const notNullWithoutFillRule: LintRule = {
	code: LintCode.notNullWithoutFill,
	severity: 'error',
	title: 'NOT NULL without a fill value on an existing table',
	explanation: 'A NOT NULL column is added to a table that exists, or an existing column becomes NOT NULL, and the modification has no fillValue/copyValue: PostgreSQL refuses the statement as soon as one row has no value, and the deploy stops there.',
	alternative: 'Give a fill value (migrations:diff --fill Entity.field=value or --copy Entity.field=otherField), or add the column nullable, backfill it and make it NOT NULL in a later migration.',
	stepWarnings: codes,
	check: step => warningFindings(step, codes),
}
