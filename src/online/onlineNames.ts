/**
 * Names of the objects the online strategy creates itself. PostgreSQL names an index or a
 * constraint only when it is created, and an interrupted `CREATE INDEX CONCURRENTLY` leaves an
 * INVALID index behind under that name: a re-run must find it again without asking what the
 * first run was told. So the name is chosen here, from what does not change between runs — the
 * migration's version and the statement strata's generator wrote — and never from the catalog.
 */
import { createHash } from 'node:crypto'

/** PostgreSQL's NAMEDATALEN - 1: a longer name is truncated (with a NOTICE), which would break the lookup */
const MAX_NAME_BYTES = 63

/** `text` cut to at most `bytes` UTF-8 bytes, never inside a character */
const truncateBytes = (text: string, bytes: number): string => {
	let out = ''
	let used = 0
	for (const char of text) {
		const size = Buffer.byteLength(char)
		if (used + size > bytes) break
		out += char
		used += size
	}
	return out
}

/**
 * `<table>_<columns>_<hash>_<suffix>`, at most 63 bytes: readable in `\d` and in lock reports,
 * and unique per migration and statement (the hash), so it never meets a name a person chose.
 */
export const onlineObjectName = (version: string, statement: string, table: string, columns: readonly string[], suffix: string): string => {
	const hash = createHash('sha256').update(`${version}\u0000${statement}`).digest('hex').slice(0, 8)
	const tail = `_${hash}_${suffix}`
	const head = truncateBytes([table, ...columns].join('_'), MAX_NAME_BYTES - Buffer.byteLength(tail))
	return `${head}${tail}`
}
