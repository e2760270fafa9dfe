/**
 * Whether `ALTER TABLE … ALTER c SET DATA TYPE t [USING …]` rewrites the table. PostgreSQL
 * (ALTER TABLE, "Notes") skips the rewrite when the USING clause does not change the column
 * contents and the old type is binary coercible to the new one (or an unconstrained domain
 * over it); indexes on the column are still rebuilt when the collation changes. What counts as
 * binary coercible for the built-in types strata writes (checked against PostgreSQL 15 by
 * test/integration/locks/probe.test.ts):
 *
 * - the same type (only the collation changes: no rewrite, indexes rebuilt);
 * - varchar(n) → varchar(m ≥ n), → varchar, → text; text ↔ varchar without a length;
 * - numeric(p, s) → numeric(q ≥ p, s), → numeric;
 * - a domain → its base type (strata's enums are domains over text).
 *
 * Everything else rewrites: int → bigint, text → varchar(n), text → an enum (its check runs on
 * every row), scalar → list, and timestamp → timestamptz (PostgreSQL skips that rewrite only
 * when the session's TimeZone is UTC, which a migration cannot count on).
 */

/** what a type change costs: `rewrite`, `scan` (only the collation changes: indexes on the column are rebuilt) or `catalog` */
export type TypeChangeEffect = 'rewrite' | 'scan' | 'catalog'

export interface ColumnTypeFacts {
	/** the SQL type as strata writes it (`varchar(10)`, `"status"`, `text[]`) */
	readonly type: string
	readonly collation?: string
}

const aliases: Record<string, string> = {
	'charactervarying': 'varchar', 'int': 'integer', 'int4': 'integer', 'int8': 'bigint', 'int2': 'smallint',
	'bool': 'boolean', 'float8': 'doubleprecision', 'float4': 'real', 'decimal': 'numeric',
	'timestampwithouttimezone': 'timestamp', 'timestampwithtimezone': 'timestamptz',
}

/** `character varying(10)` → `varchar(10)`; a quoted name (a domain) keeps its quotes and case */
const normalise = (type: string): string => {
	if (type.trim().startsWith('"')) return type.trim()
	const compact = type.toLowerCase().replace(/\s+/g, '')
	const match = /^([a-z0-9]+)(\(.*\))?(\[\])?$/.exec(compact)
	if (!match) return compact
	return `${aliases[match[1]!] ?? match[1]}${match[2] ?? ''}${match[3] ?? ''}`
}

const varcharLength = (type: string): number | 'unbounded' | undefined => {
	if (type === 'text' || type === 'varchar') return 'unbounded'
	const match = /^varchar\((\d+)\)$/.exec(type)
	return match ? Number(match[1]) : undefined
}

const numericShape = (type: string): { precision: number; scale: number } | 'unbounded' | undefined => {
	if (type === 'numeric') return 'unbounded'
	const match = /^numeric\((\d+)(?:,(\d+))?\)$/.exec(type)
	return match ? { precision: Number(match[1]), scale: Number(match[2] ?? 0) } : undefined
}

/** whether values of `from` are valid `to` values bit for bit (PostgreSQL's "binary coercible", for strata's types) */
const binaryCoercible = (from: string, to: string, domainBase: (name: string) => string | undefined): boolean => {
	if (from === to) return true
	if (from.startsWith('"')) {
		const base = domainBase(from.slice(1, -1).replace(/""/g, '"'))
		return base !== undefined && binaryCoercible(normalise(base), to, domainBase)
	}
	const fromLength = varcharLength(from)
	const toLength = varcharLength(to)
	if (fromLength !== undefined && toLength !== undefined) {
		return toLength === 'unbounded' || (fromLength !== 'unbounded' && fromLength <= toLength)
	}
	const fromNumeric = numericShape(from)
	const toNumeric = numericShape(to)
	if (fromNumeric !== undefined && toNumeric !== undefined) {
		return toNumeric === 'unbounded' || (fromNumeric !== 'unbounded' && fromNumeric.scale === toNumeric.scale && fromNumeric.precision <= toNumeric.precision)
	}
	return false
}

/** `"c"::type`, the cast strata writes as USING when it only changes the type */
const isPlainCast = (using: string, column: string, type: string): boolean => {
	const match = /^("(?:[^"]|"")+")::(.+)$/s.exec(using.trim())
	return match !== null && match[1]!.slice(1, -1).replace(/""/g, '"') === column && normalise(match[2]!) === normalise(type)
}

/**
 * The cost of re-typing `column` from `before` (unknown: assumed to rewrite) to `type` with the
 * given COLLATE and USING clauses.
 */
export const typeChangeEffect = (
	column: string,
	before: ColumnTypeFacts | undefined,
	after: { readonly type: string; readonly collation?: string; readonly using?: string },
	domainBase: (name: string) => string | undefined,
): TypeChangeEffect => {
	if (before === undefined) return 'rewrite'
	if (after.using !== undefined && !isPlainCast(after.using, column, after.type)) return 'rewrite'
	if (!binaryCoercible(normalise(before.type), normalise(after.type), domainBase)) return 'rewrite'
	// SET DATA TYPE without COLLATE resets the collation to the new type's default
	return (after.collation ?? 'default') !== (before.collation ?? 'default') ? 'scan' : 'catalog'
}
