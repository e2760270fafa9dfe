/**
 * Which physical index (or unique constraint) a schema index designates, decided on the whole
 * definition the catalog reports: key columns in order, operator classes, DESC / NULLS FIRST,
 * INCLUDE columns, access method, predicate, uniqueness, NULLS NOT DISTINCT, and for a
 * constraint its timing. Pure: catalog metadata and the expected definition in, a choice out.
 *
 * PostgreSQL lets two indexes have the same definition (Contember indexes every many-has-one
 * column, so a schema index on that column makes a second one). Identical indexes are
 * interchangeable: dropping either leaves the database as the schema says. The one dropped is
 * the newest (highest oid), so the older one, usually made with the relation, stays; without
 * oids (metadata snapshots) the last name in code-point order goes.
 */
import type { IndexDefinition, IndexMetadata, UniqueConstraintMetadata } from './metadata.js'

export interface ExpectedIndexKey {
	readonly column: string
	/** as written in the schema (may be schema-qualified); undefined = the type's default */
	readonly opClass?: string
	readonly descending: boolean
	readonly nullsFirst: boolean
}

/** the definition a schema index or unique index stands for, in column terms */
export interface ExpectedIndex {
	readonly tableName: string
	readonly keys: readonly ExpectedIndexKey[]
	readonly include: readonly string[]
	readonly method: string
	/** the schema's predicate text, or undefined for a full index */
	readonly where?: string
	readonly unique: boolean
	readonly nullsNotDistinct: boolean
}

export interface ExpectedUniqueConstraint {
	readonly tableName: string
	readonly columns: readonly string[]
	readonly deferrable: boolean
	readonly deferred: boolean
}

/** `ASC NULLS LAST` is PostgreSQL's default; `DESC` implies `NULLS FIRST` unless told otherwise */
export const expectedKey = (column: string, options: { order?: 'asc' | 'desc'; nulls?: 'first' | 'last'; opClass?: string | undefined } = {}): ExpectedIndexKey => {
	const descending = options.order === 'desc'
	return { column, ...(options.opClass !== undefined ? { opClass: options.opClass } : {}), descending, nullsFirst: options.nulls === undefined ? descending : options.nulls === 'first' }
}

/** the index a unique constraint is backed by: plain ascending btree keys, nothing else */
const uniqueConstraintIndex = (expected: ExpectedUniqueConstraint): ExpectedIndex => ({
	tableName: expected.tableName,
	keys: expected.columns.map(column => expectedKey(column)),
	include: [],
	method: 'btree',
	unique: true,
	nullsNotDistinct: false,
})

/** `::type`, including the multi-word names PostgreSQL prints, a type modifier and array brackets */
const cast = /::\s*[a-z_][a-z0-9_.$]*(?:\s+varying|\s+precision|\s+with(?:out)?\s+time\s+zone)?(?:\s*\(\s*\d+(?:\s*,\s*\d+)*\s*\))?(?:\[\])*/g

/**
 * Predicates are compared loosely: PostgreSQL prints `status = 'a'` back as
 * `(status = 'a'::text)`. Outside quotes, case, whitespace, parentheses and `::type` casts are
 * dropped, `!=` is `<>` and a quoted lower-case identifier loses its quotes. Two predicates
 * that still differ may mean the same (`IN` is printed as `= ANY (ARRAY[…])`): `compareIndex` says `unsure` then.
 */
export const normalizePredicate = (sql: string): string => {
	let out = ''
	for (const token of sql.match(/'(?:[^']|'')*'|"(?:[^"]|"")*"|[^'"]+|['"]/g) ?? []) {
		if (token.startsWith("'") && token.length > 1) out += token
		else if (token.startsWith('"') && token.length > 1) {
			const name = token.slice(1, -1).replace(/""/g, '"')
			out += /^[a-z_][a-z0-9_$]*$/.test(name) ? name : token
		} else out += token.toLowerCase().replace(cast, '').replace(/!=/g, '<>').replace(/[\s()]+/g, '')
	}
	return out
}

/** an operator class as written in the schema: bare identifiers fold to lower case, a schema prefix is not part of the name */
const opClassName = (opClass: string): string => opClass.slice(opClass.lastIndexOf('.') + 1).toLowerCase()

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every(it => b.includes(it))

/**
 * same: the catalog's definition is the expected one. unsure: everything matches but the
 * predicate text, which PostgreSQL may print differently. unknown: the metadata has no
 * definition (a snapshot) and the columns match. different: anything else.
 */
export type Verdict = 'same' | 'unsure' | 'unknown' | 'different'

export const compareIndex = (actual: IndexMetadata, expected: ExpectedIndex): Verdict => {
	if (actual.tableName !== expected.tableName || (actual.unique === true) !== expected.unique) return 'different'
	const definition = actual.definition
	if (!definition) {
		return sameSet(actual.columnNames, [...expected.keys.map(it => it.column), ...expected.include]) ? 'unknown' : 'different'
	}
	const keysMatch = definition.keys.length === expected.keys.length && definition.keys.every((key, position) => {
		const wanted = expected.keys[position]!
		return !key.expression && key.column === wanted.column && key.descending === wanted.descending && key.nullsFirst === wanted.nullsFirst &&
			(wanted.opClass === undefined ? key.defaultOpClass : key.opClass === opClassName(wanted.opClass))
	})
	if (!keysMatch || definition.method !== expected.method || definition.nullsNotDistinct !== expected.nullsNotDistinct || !sameSet(definition.include, expected.include)) {
		return 'different'
	}
	if ((definition.predicate === null) !== (expected.where === undefined)) return 'different'
	if (definition.predicate === null || normalizePredicate(definition.predicate) === normalizePredicate(expected.where!)) return 'same'
	return 'unsure'
}

export const compareUniqueConstraint = (actual: UniqueConstraintMetadata, expected: ExpectedUniqueConstraint): Verdict => {
	if (actual.tableName !== expected.tableName) return 'different'
	if (!actual.definition) return sameSet(actual.columnNames, expected.columns) ? 'unknown' : 'different'
	if (actual.deferrable !== expected.deferrable || actual.deferred !== expected.deferred) return 'different'
	const asIndex: IndexMetadata = { indexName: actual.constraintName, tableName: actual.tableName, columnNames: actual.columnNames, unique: true, definition: actual.definition }
	return compareIndex(asIndex, uniqueConstraintIndex(expected))
}

export type DropChoice<T> =
	/** drop `target`; `kept` are identical to it and stay; `verdict` says how sure the match is */
	| { readonly kind: 'drop'; readonly target: T; readonly kept: readonly T[]; readonly verdict: Exclude<Verdict, 'different'> }
	/** nothing has the definition; `others` are on the same columns but differ, and stay */
	| { readonly kind: 'none'; readonly others: readonly T[] }
	/** several objects differ from each other and none is certainly the one */
	| { readonly kind: 'ambiguous'; readonly candidates: readonly T[] }

interface Described {
	readonly name: string
	readonly definition?: IndexDefinition | undefined
}

/** newest first: highest oid, else last name */
const newestFirst = (a: Described, b: Described): number =>
	a.definition && b.definition ? b.definition.oid - a.definition.oid : a.name < b.name ? 1 : a.name > b.name ? -1 : 0

/** the catalog definition without the oid, or undefined when unknown: equal keys = identical objects */
const identityKey = (item: Described, extra: unknown): string | undefined => {
	if (!item.definition) return undefined
	const { oid: _oid, ...definition } = item.definition
	return JSON.stringify([definition, extra])
}

const choose = <T>(items: readonly T[], verdictOf: (item: T) => Verdict, describe: (item: T) => Described & { extra?: unknown }): DropChoice<T> => {
	const judged = items.map(item => ({ item, verdict: verdictOf(item), ...describe(item) }))
	const pick = (group: typeof judged, verdict: Exclude<Verdict, 'different'>): DropChoice<T> => {
		const [target, ...kept] = [...group].sort(newestFirst)
		return { kind: 'drop', target: target!.item, kept: kept.map(it => it.item), verdict }
	}
	const same = judged.filter(it => it.verdict === 'same')
	if (same.length > 0) return pick(same, 'same')
	const loose = judged.filter(it => it.verdict === 'unsure' || it.verdict === 'unknown')
	if (loose.length === 0) return { kind: 'none', others: [] }
	const key = identityKey(loose[0]!, loose[0]!.extra)
	const identical = key !== undefined && loose.every(it => identityKey(it, it.extra) === key)
	if (loose.length === 1 || identical) return pick(loose, loose[0]!.verdict as 'unsure' | 'unknown')
	return { kind: 'ambiguous', candidates: loose.map(it => it.item) }
}

/** the plain or unique index to drop among `indexes` for the expected definition */
export const chooseIndexToDrop = (indexes: readonly IndexMetadata[], expected: ExpectedIndex): DropChoice<IndexMetadata> => {
	const choice = choose(indexes, it => compareIndex(it, expected), it => ({ name: it.indexName, definition: it.definition }))
	if (choice.kind !== 'none') return choice
	const columns = [...expected.keys.map(it => it.column), ...expected.include]
	return { kind: 'none', others: indexes.filter(it => it.tableName === expected.tableName && sameSet(it.columnNames, columns)) }
}

export const chooseUniqueConstraintToDrop = (constraints: readonly UniqueConstraintMetadata[], expected: ExpectedUniqueConstraint): DropChoice<UniqueConstraintMetadata> => {
	const choice = choose(constraints, it => compareUniqueConstraint(it, expected), it => ({
		name: it.constraintName, definition: it.definition, extra: [it.deferrable, it.deferred],
	}))
	if (choice.kind !== 'none') return choice
	return { kind: 'none', others: constraints.filter(it => it.tableName === expected.tableName && sameSet(it.columnNames, expected.columns)) }
}

/** `USING gin (a jsonb_path_ops DESC) INCLUDE (b) WHERE (…)`, for comments and errors; the columns alone when unknown */
export const describeIndexDefinition = (definition: IndexDefinition | undefined, columnNames: readonly string[]): string => {
	if (!definition) return `(${columnNames.join(', ')})`
	const keys = definition.keys.map(key => [
		key.expression ? `(${key.column})` : key.column,
		key.defaultOpClass ? '' : ` ${key.opClass}`,
		key.descending ? ' DESC' : '',
		key.nullsFirst !== key.descending ? (key.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST') : '',
	].join(''))
	return [
		definition.method !== 'btree' ? `USING ${definition.method} ` : '',
		`(${keys.join(', ')})`,
		definition.include.length > 0 ? ` INCLUDE (${definition.include.join(', ')})` : '',
		definition.nullsNotDistinct ? ' NULLS NOT DISTINCT' : '',
		definition.predicate !== null ? ` WHERE (${definition.predicate})` : '',
	].join('')
}
