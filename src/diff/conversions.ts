/**
 * Conversions for type changes (`--using Entity.field=<expression>`, or answered in a terminal):
 * strata's `conversion` on the migration's updateColumnDefinition of that field, written as the
 * type change's `USING (…)` instead of the cast PostgreSQL may not have. Pure.
 */
import { StrataError } from '../errors.js'
import { columnRetypes } from '../lint/retypes.js'
import { conversionExpressionProblem } from '../migrations/conversionExpression.js'
import type { Modification } from '../modifications/types.js'
import type { Schema } from '../schema/model.js'

/** "Entity.field" → the SQL expression giving the new value */
export type ConversionAnswers = Readonly<Record<string, string>>

const KEY = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/

/** `--using Post.published=CASE WHEN "published" THEN now() END` (repeatable) */
export const parseUsingFlags = (flags: readonly string[]): ConversionAnswers => {
	const out: Record<string, string> = {}
	for (const flag of flags) {
		const eq = flag.indexOf('=')
		const key = eq < 0 ? '' : flag.slice(0, eq)
		if (!KEY.test(key)) throw new StrataError('INVALID_USING', `--using ${flag}: expected Entity.field=<SQL expression computing the new value from the old row>.`)
		const expression = flag.slice(eq + 1).trim()
		const problem = conversionExpressionProblem(expression)
		if (problem) throw new StrataError('INVALID_USING', `--using ${key}: ${problem}.`)
		out[key] = expression
	}
	return out
}

/**
 * `modifications` with each answered field's type change carrying its conversion, and the
 * answers that found no type change of their field.
 */
export const attachConversions = (schemaBefore: Schema, modifications: readonly Modification[], formatVersion: number, answers: ConversionAnswers): { modifications: Modification[]; unused: string[]; retyped: string[] } => {
	if (Object.keys(answers).length === 0) return { modifications: [...modifications], unused: [], retyped: [] }
	const retypes = columnRetypes(schemaBefore, { formatVersion, modifications })
	const retyped = [...retypes.values()].map(retype => retype.field)
	return {
		modifications: modifications.map((modification, index) => {
			const field = retypes.get(index)?.field
			return field !== undefined && answers[field] !== undefined ? { ...modification, conversion: answers[field] } as Modification : modification
		}),
		unused: Object.keys(answers).filter(key => !retyped.includes(key)),
		retyped,
	}
}

/** an answer for a field whose type the migration does not change: a typo would silently do nothing */
export const unusedConversion = (key: string, retyped: readonly string[]): StrataError =>
	new StrataError('INVALID_USING', `--using ${key}: this migration does not change the type of ${key}${retyped.length ? ` (it changes ${retyped.join(', ')})` : ''}.`)

/** `modifications` with the answered conversions; every answer must meet a type change of its field */
export const withConversions = (schemaBefore: Schema, modifications: readonly Modification[], formatVersion: number, answers: ConversionAnswers): Modification[] => {
	const attached = attachConversions(schemaBefore, modifications, formatVersion, answers)
	if (attached.unused.length > 0) throw unusedConversion(attached.unused[0]!, attached.retyped)
	return attached.modifications
}
