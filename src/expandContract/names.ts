/**
 * The names and comments of the compatibility objects an expand/contract pair creates (triggers,
 * their functions, NOT VALID checks, views under an old table name). Each name is derived from
 * the table and column it serves, never from a random id, so the contract file can drop exactly
 * what the expand file created; each object carries a COMMENT starting with
 * `strata compatibility`, which is how db:drift and a person reading the catalog recognise it.
 */
import { createHash } from 'node:crypto'
import { quoteIdentifier, quoteLiteral } from '../sql/quote.js'

/** the prefix of the COMMENT on every compatibility object */
export const COMPATIBILITY_COMMENT = 'strata compatibility'

/** whether a catalog comment marks a compatibility object */
export const isCompatibilityComment = (comment: string | null | undefined): boolean => comment?.startsWith(COMPATIBILITY_COMMENT) ?? false

// PostgreSQL cuts identifiers at 63 bytes; a long one keeps a readable head and a hash of the whole
const MAX_IDENTIFIER = 63

/** `strata_<purpose>_<table>_<column>`, shortened deterministically when too long */
export const compatibilityName = (purpose: 'sync' | 'fill' | 'notnull' | 'retype', table: string, column: string): string => {
	const name = `strata_${purpose}_${table}_${column}`
	if (Buffer.byteLength(name) <= MAX_IDENTIFIER) return name
	const hash = createHash('sha256').update(name).digest('hex').slice(0, 8)
	let head = name
	while (Buffer.byteLength(head) > MAX_IDENTIFIER - 9) head = head.slice(0, -1)
	return `${head}_${hash}`
}

/** `COMMENT ON <what> IS 'strata compatibility: <why>'` */
export const commentSql = (what: string, why: string): string => `COMMENT ON ${what} IS ${quoteLiteral(`${COMPATIBILITY_COMMENT}: ${why}`)}`

export { quoteIdentifier as q }
