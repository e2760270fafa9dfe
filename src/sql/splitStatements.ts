/**
 * Splits hand-written SQL (an executeSql step) into its statements at each `;` that is outside a
 * string literal, a quoted identifier, a dollar-quoted body (a function's) and a comment, so
 * that strata can count them, classify each and run them one by one. Pure. Comments stay with
 * the statement they precede; a part holding only whitespace and comments is no statement.
 */

const DOLLAR_TAG = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/y
const IDENTIFIER_CHAR = /[A-Za-z0-9_]/

/** the end (exclusive) of the quoted, commented or dollar-quoted run starting at `i`, or undefined when none starts there */
const skipQuoted = (sql: string, i: number): number | undefined => {
	const c = sql[i]!
	if (c === "'" || c === '"') {
		let j = i + 1
		// E'…' literals escape with a backslash
		const escapes = c === "'" && i > 0 && /[Ee]/.test(sql[i - 1]!) && (i < 2 || !IDENTIFIER_CHAR.test(sql[i - 2]!))
		while (j < sql.length) {
			if (escapes && sql[j] === '\\') j += 2
			else if (sql[j] === c && sql[j + 1] === c) j += 2
			else if (sql[j] === c) return j + 1
			else j++
		}
		return sql.length
	}
	if (c === '-' && sql[i + 1] === '-') {
		const end = sql.indexOf('\n', i)
		return end === -1 ? sql.length : end + 1
	}
	if (c === '/' && sql[i + 1] === '*') {
		let depth = 1
		let j = i + 2
		while (j < sql.length && depth > 0) {
			if (sql.startsWith('/*', j)) (depth++, (j += 2))
			else if (sql.startsWith('*/', j)) (depth--, (j += 2))
			else j++
		}
		return j
	}
	if (c === '$' && (i === 0 || !IDENTIFIER_CHAR.test(sql[i - 1]!))) {
		DOLLAR_TAG.lastIndex = i
		const tag = DOLLAR_TAG.exec(sql)?.[0]
		if (tag === undefined) return undefined
		const end = sql.indexOf(tag, i + tag.length)
		return end === -1 ? sql.length : end + tag.length
	}
	return undefined
}

/** the text with comments removed: what is left says whether a part is a statement */
const withoutComments = (part: string): string => {
	let out = ''
	let i = 0
	while (i < part.length) {
		const end = skipQuoted(part, i)
		if (end === undefined) {
			out += part[i]
			i++
			continue
		}
		const isComment = part.startsWith('--', i) || part.startsWith('/*', i)
		if (!isComment) out += part.slice(i, end)
		i = end
	}
	return out
}

/** the statements of `sql`, each trimmed and without its terminating `;` */
export const splitSqlStatements = (sql: string): string[] => {
	const statements: string[] = []
	let start = 0
	let i = 0
	const close = (end: number) => {
		const part = sql.slice(start, end).trim()
		if (withoutComments(part).trim() !== '') statements.push(part)
	}
	while (i < sql.length) {
		const end = skipQuoted(sql, i)
		if (end !== undefined) {
			i = end
			continue
		}
		if (sql[i] === ';') {
			close(i)
			start = i + 1
		}
		i++
	}
	close(sql.length)
	return statements
}

/** DDL a hand-written step may hold: strata does not follow it into the schema it replays */
const DDL = /^\s*(?:CREATE|ALTER|DROP|RENAME|COMMENT\s+ON|GRANT|REVOKE)\b/i

/** the statements of `sql` that change structure (their first keyword is DDL) */
export const ddlStatements = (statements: readonly string[]): string[] => statements.filter(statement => DDL.test(withoutComments(statement)))
