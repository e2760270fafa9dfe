/**
 * The only two quoting routines in strata. Every identifier and every value that ends up in
 * generated SQL passes through one of them; nothing else concatenates user text into SQL.
 */
import type { JsonValue } from '../schema/model.js'

/** `"name"` with embedded quotes doubled. NUL cannot be represented in an identifier. */
export const quoteIdentifier = (name: string): string => {
	if (name.includes('\0')) throw new Error(`Identifier ${JSON.stringify(name)} contains a NUL character`)
	return `"${name.replace(/"/g, '""')}"`
}

/** `'text'` with quotes doubled; backslashes force an E'' literal so standard_conforming_strings does not matter. */
export const quoteString = (value: string): string => {
	if (value.includes('\0')) throw new Error(`String literal contains a NUL character`)
	const doubled = value.replace(/'/g, "''")
	return value.includes('\\') ? `E'${doubled.replace(/\\/g, '\\\\')}'` : `'${doubled}'`
}

/**
 * Dollar-quoted string as Contember writes it (`$pga$…$pga$`). When the text could close the
 * quote, a numbered tag is used instead. "Could close" includes text that merely *ends* with
 * `$pga`: followed by the closing tag's first `$` it would form `$pga$` one character early.
 */
export const dollarQuote = (value: string): string => {
	if (value.includes('\0')) throw new Error(`String literal contains a NUL character`)
	let tag = 'pga'
	for (let i = 1; `${value}$`.includes(`$${tag}$`); i++) tag = `pga${i}`
	return `$${tag}$${value}$${tag}$`
}

/**
 * A value literal: strings dollar-quoted, numbers and booleans bare, arrays as ARRAY[...] ('{}' when empty),
 * objects as JSON text (Contember renders objects as an empty string, which is invalid SQL).
 */
export const quoteLiteral = (value: JsonValue): string => {
	if (value === null) return 'NULL'
	if (typeof value === 'string') return dollarQuote(value)
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new Error(`Cannot write ${value} as an SQL literal`)
		return String(value)
	}
	if (typeof value === 'boolean') return value ? 'true' : 'false'
	// `ARRAY[]` has no type and PostgreSQL rejects it; the untyped `'{}'` takes the column's array type
	if (Array.isArray(value)) return value.length === 0 ? `'{}'` : `ARRAY[${value.map(quoteLiteral).join(',')}]`
	return dollarQuote(JSON.stringify(value))
}
