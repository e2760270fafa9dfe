/**
 * A column's SQL DEFAULT as the model's `default` (the fill value, see docs/schema.md), when it
 * is a constant: a string, number or boolean literal, possibly cast (`'draft'::text`,
 * `'1.5'::numeric`, `(-1)`, `true`), `'{}'` for an empty list and a JSON literal for Json
 * columns. Anything else (now(), nextval(…), gen_random_uuid(), an expression) is not a
 * constant: the database keeps it, the schema cannot declare it.
 */
import type { ColumnType, JsonValue } from '../model.js'

export type MappedDefault =
	| { readonly kind: 'none' }
	| { readonly kind: 'constant'; readonly value: JsonValue }
	| { readonly kind: 'expression'; readonly expression: string }

/** the literal inside `'…'::type`, `(…)`, a bare number or boolean; undefined for anything else */
const literalOf = (expression: string): { text: string; quoted: boolean } | null | undefined => {
	let text = expression.trim()
	while (/^\(.*\)$/s.test(text)) text = text.slice(1, -1).trim()
	// a trailing cast, possibly with a multi-word type, a modifier, a quoted name, array brackets
	const cast = /::(?:"(?:[^"]|"")+"|[a-z_][\w .]*?)(?:\(\d+(?:,\s*\d+)*\))?(?:\[\])*$/i
	while (cast.test(text)) text = text.replace(cast, '').trim()
	while (/^\(.*\)$/s.test(text)) text = text.slice(1, -1).trim()
	if (/^null$/i.test(text)) return null
	const quoted = /^'((?:[^']|'')*)'$/s.exec(text)
	if (quoted) return { text: quoted[1]!.replace(/''/g, "'"), quoted: true }
	if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text) || /^(true|false)$/i.test(text)) return { text, quoted: false }
	return undefined
}

const numberOf = (text: string): number | undefined => {
	if (!/^\s*-?\d+(\.\d+)?(e[+-]?\d+)?\s*$/i.test(text)) return undefined
	const value = Number(text)
	return Number.isFinite(value) ? value : undefined
}

const typed = (text: string, type: ColumnType): JsonValue | undefined => {
	switch (type) {
		case 'Integer': {
			const value = numberOf(text)
			return value !== undefined && Number.isSafeInteger(value) ? value : undefined
		}
		case 'Double':
		case 'Numeric':
			return numberOf(text)
		case 'Bool': {
			const lower = text.toLowerCase()
			return ['true', 't', 'yes', 'on', '1'].includes(lower) ? true : ['false', 'f', 'no', 'off', '0'].includes(lower) ? false : undefined
		}
		case 'Json':
			try {
				return JSON.parse(text) as JsonValue
			} catch {
				return undefined
			}
		default:
			return text
	}
}

/** the default of a column of `type` (a list when `list`) */
export const mapDefault = (expression: string | undefined, type: ColumnType, list: boolean): MappedDefault => {
	if (expression === undefined) return { kind: 'none' }
	const literal = literalOf(expression)
	if (literal === null) return { kind: 'none' }
	if (literal === undefined) return { kind: 'expression', expression }
	if (list) return literal.quoted && literal.text === '{}' ? { kind: 'constant', value: [] } : { kind: 'expression', expression }
	// an unquoted number for a string column (or the other way round) is still that constant
	const value = typed(literal.text, type)
	return value === undefined ? { kind: 'expression', expression } : { kind: 'constant', value }
}
