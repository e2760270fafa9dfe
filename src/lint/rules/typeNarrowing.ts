/** L004: a column type change that can fail the cast or lose information (the step warning S008). */
import { WarningCode } from '../../modifications/warnings.js'
import { castability } from '../castable.js'
import { LintCode } from '../codes.js'
import { warningFindings, type LintRule } from '../rule.js'

export const typeNarrowingRule: LintRule = {
	code: LintCode.typeNarrowing,
	severity: 'warning',
	title: 'type narrowing',
	explanation: 'The new column type holds fewer values than the old one (text → integer, a shorter varchar, smaller numeric precision, list → scalar…): the cast fails on the first row that does not fit, or rounds or cuts values.',
	alternative: 'Check the data first (SELECT the rows that would not fit), or add a new column, copy with an explicit conversion and drop the old one.',
	stepWarnings: [WarningCode.typeNarrowing],
	// a change PostgreSQL cannot cast at all is L005's
	check: step => (step.retype && castability(step.retype.from, step.retype.to) === 'uncastable' ? [] : warningFindings(step, [WarningCode.typeNarrowing])),
}
