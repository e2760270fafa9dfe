/**
 * Normalises SQL for comparison with Contember's expected SQL, as test/fixtures/conformance/README.md
 * describes: split on top-level `;`, drop engine-only statements (system schema, event-log
 * triggers), collapse whitespace outside quoted text, remove whitespace next to ( ) ,.
 */
export const splitStatements = (sql: string): string[] => {
	const statements: string[] = []
	let current = ''
	let i = 0
	while (i < sql.length) {
		const ch = sql[i]!
		if (ch === "'" || ch === '"') {
			let j = i + 1
			while (j < sql.length) {
				if (sql[j] === ch) {
					if (sql[j + 1] === ch) { j += 2; continue }
					break
				}
				j++
			}
			current += sql.slice(i, j + 1)
			i = j + 1
			continue
		}
		if (ch === '$') {
			const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i))
			if (m) {
				const tag = m[0]
				const end = sql.indexOf(tag, i + tag.length)
				const stop = end === -1 ? sql.length : end + tag.length
				current += sql.slice(i, stop)
				i = stop
				continue
			}
		}
		if (ch === '-' && sql[i + 1] === '-') {
			const end = sql.indexOf('\n', i)
			i = end === -1 ? sql.length : end + 1
			continue
		}
		if (ch === ';') {
			statements.push(current)
			current = ''
			i++
			continue
		}
		current += ch
		i++
	}
	statements.push(current)
	return statements.map(it => it.trim()).filter(it => it !== '')
}

const normaliseWhitespace = (statement: string): string => {
	let out = ''
	let i = 0
	while (i < statement.length) {
		const ch = statement[i]!
		if (ch === "'" || ch === '"') {
			let j = i + 1
			while (j < statement.length) {
				if (statement[j] === ch) {
					if (statement[j + 1] === ch) { j += 2; continue }
					break
				}
				j++
			}
			out += statement.slice(i, j + 1)
			i = j + 1
			continue
		}
		if (ch === '$') {
			const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(statement.slice(i))
			if (m) {
				const end = statement.indexOf(m[0], i + m[0].length)
				const stop = end === -1 ? statement.length : end + m[0].length
				out += statement.slice(i, stop)
				i = stop
				continue
			}
		}
		if (/\s/.test(ch)) {
			while (i < statement.length && /\s/.test(statement[i]!)) i++
			out += ' '
			continue
		}
		out += ch
		i++
	}
	return out.replace(/ ?([(),]) ?/g, '$1').trim()
}

const isEngineOnly = (statement: string) =>
	/"system"\./.test(statement) || /\b(log_event|log_event_trx)\b/.test(statement)

/**
 * Contember back-fills ids with a uuid function it creates in its engine-only `system` schema;
 * strata uses PostgreSQL's built-in gen_random_uuid() (PG 13+). The call is the same statement
 * otherwise, so it is compared as equal rather than dropped with the engine-only statements.
 */
const withPortableUuid = (statement: string) =>
	/^UPDATE\b/i.test(statement) ? statement.replace(/"system"\."uuid_generate_v4"\(\)/g, 'gen_random_uuid()') : statement

export const normaliseSql = (sql: string): string[] =>
	splitStatements(sql).map(withPortableUuid).filter(it => !isEngineOnly(it)).map(normaliseWhitespace)
