/**
 * Whether PostgreSQL can cast a column's values from one type to another, as strata re-types a
 * column: `SET DATA TYPE new USING "c"::new` (an explicit cast), or `ARRAY["c"]::new[]` when a
 * scalar becomes a list. The facts are PostgreSQL's (15), for the types strata's columns use:
 *
 * - `pg_cast` between the built-in types (the table below, read from the catalog);
 * - I/O conversion: every type casts to a string type (text, varchar, char) by its output
 *   function, and a string type casts to every type by the input function — explicitly, which
 *   is what USING writes. So text → integer is castable (a row that does not parse fails: that
 *   is a narrowing, L004), while json → uuid or boolean → date is not castable at all (L005);
 * - arrays cast element by element; an array casts to a string type but to no other scalar;
 * - a domain (strata's enums are domains over text) casts as its base type, and a cast to a
 *   domain is a cast to its base type followed by the domain's check.
 *
 * A type this table does not know (an extension's, `inet`, …) is `unknown`: never refused.
 */

/** castsource → casttarget in pg_cast, between the types below (PostgreSQL 15) */
const castTargets: Readonly<Record<string, readonly string[]>> = {
	smallint: ['integer', 'bigint', 'real', 'double precision', 'numeric'],
	integer: ['smallint', 'bigint', 'real', 'double precision', 'numeric', 'boolean'],
	bigint: ['smallint', 'integer', 'real', 'double precision', 'numeric'],
	real: ['smallint', 'integer', 'bigint', 'double precision', 'numeric'],
	'double precision': ['smallint', 'integer', 'bigint', 'real', 'numeric'],
	numeric: ['smallint', 'integer', 'bigint', 'real', 'double precision'],
	boolean: ['integer'],
	date: ['timestamp', 'timestamptz'],
	timestamp: ['date', 'time', 'timestamptz'],
	timestamptz: ['date', 'time', 'timetz', 'timestamp'],
	time: ['interval', 'timetz'],
	timetz: ['time'],
	interval: ['time'],
	json: ['jsonb'],
	jsonb: ['json', 'smallint', 'integer', 'bigint', 'real', 'double precision', 'numeric', 'boolean'],
	uuid: [],
}

const stringTypes = new Set(['text', 'varchar', 'char'])

const aliases: Readonly<Record<string, string>> = {
	int: 'integer', int4: 'integer', int2: 'smallint', int8: 'bigint', float4: 'real', float8: 'double precision', float: 'double precision',
	decimal: 'numeric', bool: 'boolean', 'character varying': 'varchar', character: 'char', bpchar: 'char',
	'timestamp without time zone': 'timestamp', 'timestamp with time zone': 'timestamptz',
	'time without time zone': 'time', 'time with time zone': 'timetz',
}

interface TypeShape {
	/** the base type's name without modifiers (`varchar`, `numeric`), `text` for a domain */
	readonly base: string
	readonly array: boolean
}

/** `varchar(10)`, `"status"[]`, `timestamp(3) with time zone` → its base and whether it is a list */
const shape = (sqlType: string): TypeShape => {
	let type = sqlType.trim()
	const array = type.endsWith('[]')
	if (array) type = type.slice(0, -2).trim()
	// a quoted name is a domain: strata's enums are domains over text
	if (type.startsWith('"')) return { base: 'text', array }
	const name = type.toLowerCase().replace(/\(.*?\)/g, '').replace(/\s+/g, ' ').trim()
	return { base: aliases[name] ?? name, array }
}

const known = (base: string): boolean => stringTypes.has(base) || base in castTargets

export type Castability = 'castable' | 'uncastable' | 'unknown'

const scalarCast = (from: string, to: string): Castability => {
	if (!known(from) || !known(to)) return 'unknown'
	if (from === to || stringTypes.has(from) || stringTypes.has(to)) return 'castable'
	return castTargets[from]!.includes(to) ? 'castable' : 'uncastable'
}

/** whether the values of a column of `from` can be cast to `to` (both SQL types as strata writes them) */
export const castability = (from: string, to: string): Castability => {
	const before = shape(from)
	const after = shape(to)
	// an array's output is text: it casts to a string type, to no other scalar
	if (before.array && !after.array) return stringTypes.has(after.base) ? 'castable' : known(after.base) ? 'uncastable' : 'unknown'
	return scalarCast(before.base, after.base)
}
