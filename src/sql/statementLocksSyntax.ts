/**
 * The lexical pieces the statement lock table (statementLocks.ts) matches with: identifiers as
 * strata's generators write them (quoted by quote.ts, or bare and folded to lower case), and a
 * splitter for comma lists that respects quotes, dollar quotes and parentheses (a USING
 * expression holds commas of its own).
 */

/** an identifier, quoted (`"a""b"`) or bare (`status_check`) */
export const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`

/** the name an identifier denotes: quotes removed and `""` undone, a bare one folded to lower case as PostgreSQL does */
export const identifierName = (identifier: string): string =>
	identifier.startsWith('"') ? identifier.slice(1, -1).replace(/""/g, '"') : identifier.toLowerCase()

/** every identifier of a list such as `"a", "b"` (anything that is not an identifier is skipped) */
export const identifierNames = (list: string): string[] =>
	[...list.matchAll(new RegExp(IDENT, 'g'))].map(it => identifierName(it[0]))

/** splits at commas outside quotes, dollar quotes and parentheses */
export const splitTopLevel = (text: string): string[] => {
	const parts: string[] = []
	let depth = 0
	let start = 0
	let i = 0
	while (i < text.length) {
		const ch = text[i]!
		if (ch === "'" || ch === '"') {
			const end = text.indexOf(ch, i + 1)
			i = end === -1 ? text.length : end + 1 // a doubled quote simply reopens on the next round
			continue
		}
		const tag = ch === '$' ? /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i)) : null
		if (tag) {
			const end = text.indexOf(tag[0], i + tag[0].length)
			i = end === -1 ? text.length : end + tag[0].length
			continue
		}
		if (ch === '(') depth++
		else if (ch === ')') depth--
		else if (ch === ',' && depth === 0) {
			parts.push(text.slice(start, i).trim())
			start = i + 1
		}
		i++
	}
	parts.push(text.slice(start).trim())
	return parts.filter(it => it !== '')
}

/** a statement as the table matches it: no trailing `;`, surrounding blanks removed */
export const statementText = (sql: string): string => sql.trim().replace(/;\s*$/, '').trim()
