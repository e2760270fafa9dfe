/** L005: a column type change PostgreSQL has no cast for: the statement fails whatever the rows hold. */
import { castability } from '../castable.js'
import { LintCode } from '../codes.js'
import { onExistingTables, type LintRule } from '../rule.js'

export const uncastableTypeChangeRule: LintRule = {
	code: LintCode.uncastableTypeChange,
	severity: 'error',
	title: 'type change PostgreSQL cannot cast',
	explanation: 'PostgreSQL has no cast from the old column type to the new one (json → uuid, boolean → date, integer → uuid, a list → a number…): ALTER COLUMN … TYPE … USING "c"::new fails with "cannot cast type", even on an empty table, and the deploy stops there.',
	alternative: 'Give the conversion yourself: migrations:diff --using Entity.field=<SQL expression of the old row> writes it as the type change\'s USING (…). Or add a new column of the new type, fill it with an explicit conversion (in the application or by hand), then drop the old column.',
	check: step => {
		const retype = step.retype
		// a conversion of the migration's own replaces the cast
		if (!retype || retype.conversion !== undefined || castability(retype.from, retype.to) !== 'uncastable') return []
		const located = onExistingTables(step.statements, it => it.kind === 'alterColumn' && (it.actions ?? []).includes('setColumnType'))[0]
		return [{
			message: `${retype.field}: PostgreSQL has no cast from ${retype.from} to ${retype.to}; the re-type fails`,
			...(located ? { statement: located.statement.sql, table: located.table } : {}),
		}]
	},
}
