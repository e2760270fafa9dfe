/**
 * A contract migration sets NOT NULL only after its compatibility step validated the
 * `strata_notnull_<table>_<column>` check the expand added (notNull.ts): the SET NOT NULL cannot
 * fail on a NULL then, and PostgreSQL proves it from the check without reading a row. Describe
 * and lint learn it here, so that they neither warn that the step may fail (S001/S006, lint L003)
 * nor call it a scan.
 */
import type { Modification } from '../modifications/types.js'
import { IDENT, identifierName } from '../sql/statementLocksSyntax.js'
import { compatibilityName } from './names.js'

const VALIDATE = new RegExp(String.raw`ALTER TABLE (${IDENT}) VALIDATE CONSTRAINT (${IDENT})`, 'g')
const SET_NOT_NULL = new RegExp(String.raw`ALTER TABLE (${IDENT}) ALTER (${IDENT}) SET NOT NULL`)

/** the positions of the steps whose SET NOT NULL an earlier compatibility step of the same migration proved */
export const stepsProvenNotNull = (steps: readonly { readonly modification: Modification; readonly sql: string }[]): Set<number> => {
	const validated = new Set<string>()
	const proven = new Set<number>()
	steps.forEach((step, position) => {
		if (step.modification.modification === 'executeSql' && step.modification.compatibility === true) {
			for (const match of String(step.modification.sql).matchAll(VALIDATE)) validated.add(`${identifierName(match[1]!)}\u0000${identifierName(match[2]!)}`)
			return
		}
		const setNotNull = SET_NOT_NULL.exec(step.sql)
		if (!setNotNull) return
		const [table, column] = [identifierName(setNotNull[1]!), identifierName(setNotNull[2]!)]
		if (validated.has(`${table}\u0000${compatibilityName('notnull', table, column)}`)) proven.add(position)
	})
	return proven
}
