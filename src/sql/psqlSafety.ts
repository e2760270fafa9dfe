/**
 * SQL that strata prints for piping into psql (`migrations:describe --sql-only`) must never hold
 * a psql meta-command. psql's lexer treats a backslash anywhere outside a quoted literal,
 * a quoted identifier or a dollar-quoted string as the start of one — `\! cmd` runs a shell
 * command, `\o file` writes files, `\c` reconnects. PostgreSQL's SQL grammar has no use for a
 * backslash there (it is not an operator character), so any such backslash is refused rather
 * than escaped: nothing legitimate is lost.
 *
 * How psql splits a script depends on standard_conforming_strings: off, a backslash escapes
 * the next character in an ordinary '...' literal as well, and the literal may end elsewhere.
 * The scan runs under both readings, so a script passes only if no reading leaves a backslash
 * outside a literal. Backslashes in comments are refused too (psql's comment handling is not
 * worth betting on).
 */

export interface PsqlMetaCommand {
	/** offset of the backslash in the scanned text */
	readonly offset: number
	/** 1-based */
	readonly line: number
	readonly column: number
	/** the rest of that line, for the message */
	readonly text: string
}

const IDENTIFIER_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y

/** an E'…' (or e'…') literal: backslash escapes apply whatever the setting */
const isEscapeLiteral = (sql: string, quote: number): boolean =>
	quote > 0 && /[Ee]/.test(sql[quote - 1]!) && (quote < 2 || !IDENTIFIER_CHAR.test(sql[quote - 2]!))

/** the offset of the first backslash outside literals, identifiers and dollar quotes, or -1 */
const firstUnquotedBackslash = (sql: string, standardConformingStrings: boolean): number => {
	let i = 0
	while (i < sql.length) {
		const c = sql[i]!
		if (c === '\\') return i
		if (c === '-' && sql[i + 1] === '-') {
			const end = sql.indexOf('\n', i)
			const comment = sql.slice(i, end === -1 ? sql.length : end)
			if (comment.includes('\\')) return i + comment.indexOf('\\')
			i += comment.length
		} else if (c === '/' && sql[i + 1] === '*') {
			let depth = 1
			i += 2
			while (i < sql.length && depth > 0) {
				if (sql[i] === '\\') return i
				if (sql.startsWith('/*', i)) (depth++, (i += 2))
				else if (sql.startsWith('*/', i)) (depth--, (i += 2))
				else i++
			}
		} else if (c === "'") {
			const escapes = !standardConformingStrings || isEscapeLiteral(sql, i)
			i++
			while (i < sql.length) {
				if (escapes && sql[i] === '\\') i += 2
				else if (sql[i] === "'" && sql[i + 1] === "'") i += 2
				else if (sql[i] === "'") break
				else i++
			}
			i++
		} else if (c === '"') {
			i++
			while (i < sql.length && !(sql[i] === '"' && sql[i + 1] !== '"')) i += sql[i] === '"' ? 2 : 1
			i++
		} else if (c === '$' && (i === 0 || !IDENTIFIER_CHAR.test(sql[i - 1]!))) {
			DOLLAR_TAG.lastIndex = i
			const tag = DOLLAR_TAG.exec(sql)?.[0]
			if (tag === undefined) {
				i++
				continue
			}
			const end = sql.indexOf(tag, i + tag.length)
			i = end === -1 ? sql.length : end + tag.length
		} else {
			i++
		}
	}
	return -1
}

/** where psql could read a meta-command in this SQL, or undefined when it cannot */
export const findPsqlMetaCommand = (sql: string): PsqlMetaCommand | undefined => {
	const offsets = [firstUnquotedBackslash(sql, true), firstUnquotedBackslash(sql, false)].filter(it => it >= 0)
	if (offsets.length === 0) return undefined
	const offset = Math.min(...offsets)
	const before = sql.slice(0, offset)
	const lineStart = before.lastIndexOf('\n') + 1
	const lineEnd = sql.indexOf('\n', offset)
	return {
		offset,
		line: before.split('\n').length,
		column: offset - lineStart + 1,
		text: sql.slice(offset, lineEnd === -1 ? undefined : lineEnd).slice(0, 60),
	}
}
