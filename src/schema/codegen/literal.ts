/**
 * TypeScript source for data: string literals, property keys, identifiers and pretty-printed JSON
 * values. Everything here round-trips: evaluating the emitted text gives back the exact value,
 * whatever the names and SQL hold (quotes, backslashes, line breaks, `${`, lone surrogates).
 */
import type { JsonValue } from '../model.js'

/** tab-indented, like the rest of strata's sources */
export const indentation = (level: number): string => '\t'.repeat(level)

/** a value fits on one line when its text is at most this long */
const INLINE_WIDTH = 100

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

const unicodeEscape = (char: string): string => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`

const CHARACTER_ESCAPES: { readonly [char: string]: string } = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '\v': '\\v' }

/**
 * Characters a literal never holds as they are: control characters, the line separators, lone
 * surrogates (a file written as UTF-8 could not keep them) and the backslash.
 */
const escapeCommon = (char: string): string => CHARACTER_ESCAPES[char] ?? unicodeEscape(char)

const quotedEscapes = (quote: string) => new RegExp(`[\\\\${quote}\\u0000-\\u001f\\u007f\\u2028\\u2029]|${LONE_SURROGATE.source}`, 'g')
const SINGLE_QUOTED_ESCAPES = quotedEscapes("'")
const DOUBLE_QUOTED_ESCAPES = quotedEscapes('"')

/**
 * `'…'` (or `"…"` for text with single quotes and no double ones, as a person would write it),
 * with every character that would end or change the literal escaped
 */
export const stringLiteral = (value: string): string => {
	const quote = value.includes("'") && !value.includes('"') ? '"' : "'"
	const escapes = quote === "'" ? SINGLE_QUOTED_ESCAPES : DOUBLE_QUOTED_ESCAPES
	return `${quote}${value.replace(escapes, char => (char === quote ? `\\${quote}` : escapeCommon(char)))}${quote}`
}

// a template literal keeps line breaks and tabs as they are; `\r` is escaped because a source
// line break always reads as `\n`, and `${` because it would start a substitution
const TEMPLATE_ESCAPES = new RegExp(`\\$\\{|[\\\\\`\\u0000-\\u0008\\u000b-\\u001f\\u007f\\u2028\\u2029]|${LONE_SURROGATE.source}`, 'g')

/** `` `…` ``: keeps the line breaks of multi-line text */
export const templateLiteral = (value: string): string =>
	`\`${value.replace(TEMPLATE_ESCAPES, match => (match === '${' ? '\\${' : match === '`' ? '\\`' : escapeCommon(match)))}\``

/** SQL as a literal: a template literal when it spans lines (so it reads as it runs), else quoted */
export const sqlLiteral = (value: string): string => (value.includes('\n') ? templateLiteral(value) : stringLiteral(value))

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/**
 * An object-literal key. `__proto__` is written as a computed key: in any other form an object
 * literal takes it as the prototype instead of a property.
 */
export const propertyKey = (key: string): string =>
	key === '__proto__' ? `[${stringLiteral(key)}]` : IDENTIFIER.test(key) ? key : stringLiteral(key)

/** words that cannot name a `const` in an ES module (strict mode) or would shadow what the module needs */
const RESERVED = new Set([
	'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
	'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in', 'instanceof', 'interface',
	'let', 'new', 'null', 'package', 'private', 'protected', 'public', 'return', 'static', 'super', 'switch', 'this', 'throw',
	'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'arguments', 'eval', 'undefined', 'NaN', 'Infinity',
])

/**
 * Gives every name a distinct identifier that is valid for a module-level `const`: the name itself
 * where it can be, else the name with `suffix` (and a number when that is taken too).
 */
export class IdentifierScope {
	private readonly taken: Set<string>

	constructor(occupied: Iterable<string>) {
		this.taken = new Set([...RESERVED, ...occupied])
	}

	claim(name: string, suffix: string): string {
		const base = IDENTIFIER.test(name) ? name : name.replace(/[^A-Za-z0-9_$]/g, '_').replace(/^(?=[0-9])/, '_')
		let candidate = this.taken.has(base) ? `${base}${suffix}` : base
		for (let counter = 2; this.taken.has(candidate); counter++) candidate = `${base}${suffix}${counter}`
		this.taken.add(candidate)
		return candidate
	}
}

const isObject = (value: JsonValue | undefined): value is { [key: string]: JsonValue } =>
	typeof value === 'object' && value !== null && !Array.isArray(value)

const inlineLiteral = (value: JsonValue): string => {
	if (typeof value === 'string') return stringLiteral(value)
	if (Array.isArray(value)) return `[${value.map(inlineLiteral).join(', ')}]`
	if (isObject(value)) {
		const entries = Object.entries(value)
		return entries.length === 0 ? '{}' : `{ ${entries.map(([key, item]) => `${propertyKey(key)}: ${inlineLiteral(item)}`).join(', ')} }`
	}
	return JSON.stringify(value)
}

const fitsOnLine = (text: string, level: number) => text.length + level * 4 <= INLINE_WIDTH && !text.includes('\n')

/** items (code) between `open` and `close`: on one line when it fits at `level`, else one a line, a level deeper */
const bracketed = (open: string, close: string, inline: string, items: () => readonly string[], level: number): string => {
	if (fitsOnLine(inline, level)) return inline
	const inner = indentation(level + 1)
	return `${open}\n${items().map(item => `${inner}${item},`).join('\n')}\n${indentation(level)}${close}`
}

/** `[a, b]` for expressions (identifiers, calls) */
export const codeList = (items: readonly string[], level = 0): string => bracketed('[', ']', `[${items.join(', ')}]`, () => items, level)

/**
 * A JSON value as a TypeScript expression, on one line when it is short and has no line
 * break, else one item a line, indented one level deeper than `level` (the line it starts on).
 */
export const literal = (value: JsonValue, level = 0): string => {
	const inline = inlineLiteral(value)
	if (Array.isArray(value)) return bracketed('[', ']', inline, () => value.map(item => literal(item, level + 1)), level)
	if (isObject(value)) return bracketed('{', '}', inline, () => Object.entries(value).map(([key, item]) => `${propertyKey(key)}: ${literal(item, level + 1)}`), level)
	return inline
}
