/**
 * Collects the statements of one modification (or one migration). Pure: no I/O.
 * Statements are stored without their terminating `;`, comments as `-- …` lines.
 *
 * Verbatim SQL (view bodies, index predicates) passes through here, so the builder makes sure
 * the terminator it appends is really a terminator: a statement ending in a `--` comment gets
 * its `;` on the next line, and one ending inside a quote or block comment is refused (it would
 * swallow every following statement).
 */
import { StrataError } from '../errors.js'

export interface SqlStatement {
	readonly kind: 'statement' | 'comment'
	readonly sql: string
}

/** where a piece of SQL ends, lexically: at top level, in a `--` comment, or inside something unterminated */
export type SqlEndState = 'top' | 'line-comment' | 'block-comment' | 'string' | 'identifier' | 'dollar'

const identifierChar = /[A-Za-z0-9_$\u0080-\uffff]/

/** A small lexer following PostgreSQL's rules for quotes, E'' escapes, dollar quotes and (nested) comments. */
export const sqlEndState = (sql: string): SqlEndState => {
	let i = 0
	while (i < sql.length) {
		const ch = sql[i]!
		const next = sql[i + 1]
		if (ch === '-' && next === '-') {
			const end = sql.slice(i).search(/[\r\n]/) // PostgreSQL ends a line comment at either
			if (end === -1) return 'line-comment'
			i += end + 1
		} else if (ch === '/' && next === '*') {
			let depth = 1
			i += 2
			while (depth > 0) {
				if (i >= sql.length) return 'block-comment'
				if (sql.startsWith('/*', i)) { depth++; i += 2 } else if (sql.startsWith('*/', i)) { depth--; i += 2 } else i++
			}
		} else if (ch === "'") {
			const escapes = /[eE]/.test(sql[i - 1] ?? '') && !identifierChar.test(sql[i - 2] ?? '')
			i++
			for (;;) {
				if (i >= sql.length) return 'string'
				if (escapes && sql[i] === '\\') { i += 2; continue }
				if (sql[i] === "'") {
					if (sql[i + 1] === "'") { i += 2; continue }
					i++
					break
				}
				i++
			}
		} else if (ch === '"') {
			const end = sql.indexOf('"', i + 1)
			if (end === -1) return 'identifier'
			i = end + 1 // a doubled "" simply reopens on the next round
		} else if (ch === '$' && !identifierChar.test(sql[i - 1] ?? '')) {
			const tag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i))
			if (tag) {
				const end = sql.indexOf(tag[0], i + tag[0].length)
				if (end === -1) return 'dollar'
				i = end + tag[0].length
			} else i++
		} else if (identifierChar.test(ch)) {
			while (i < sql.length && identifierChar.test(sql[i]!)) i++ // keeps `a$b$` inside the identifier
		} else i++
	}
	return 'top'
}

export class SqlBuilder {
	readonly #items: SqlStatement[] = []

	/** add one statement; a trailing `;` is optional and removed */
	statement(sql: string): this {
		const trimmed = sql.trim().replace(/;\s*$/, '')
		if (trimmed === '') return this
		const end = sqlEndState(trimmed)
		if (end !== 'top' && end !== 'line-comment') {
			throw new StrataError('UNTERMINATED_SQL', `SQL ends inside an unterminated ${end.replace('-', ' ')}: ${trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed}`)
		}
		this.#items.push({ kind: 'statement', sql: end === 'line-comment' ? `${trimmed}\n` : trimmed })
		return this
	}

	/** an explanatory comment for reviewers (e.g. a name resolved only at execution) */
	comment(text: string): this {
		// PostgreSQL ends a `--` comment at \r as well as \n: every line of the text gets its own `--`
		this.#items.push({ kind: 'comment', sql: text.split(/\r\n|\r|\n/).map(line => `-- ${line}`).join('\n') })
		return this
	}

	get items(): readonly SqlStatement[] {
		return this.#items
	}

	get statements(): readonly string[] {
		return this.#items.filter(it => it.kind === 'statement').map(it => it.sql)
	}

	get isEmpty(): boolean {
		return this.#items.length === 0
	}

	/** the script: each statement terminated with `;`, one per line */
	toString(): string {
		return this.#items.map(it => (it.kind === 'statement' ? `${it.sql};` : it.sql)).join('\n')
	}
}
