/**
 * The catalog check of SQLRUN's suites: what a PostgreSQL schema holds (tables, columns with
 * types, nullability, identity and explicit collation, primary keys, foreign keys with actions
 * and timing, unique constraints, indexes, views, enum domains), and what a strata Schema says it
 * should hold, both as sets of one-line facts so a mismatch reads as "missing" / "unexpected".
 */
import type pg from 'pg'
import {
	type Column,
	type Entity,
	hasJoiningColumn,
	isColumn,
	isUniqueIndex,
	type Schema,
} from '../../src/schema/model.js'
import { quoteIdentifier } from '../../src/sql/quote.js'

const onDeleteSql = { cascade: 'CASCADE', 'set null': 'SET NULL', restrict: 'NO ACTION' } as const
const deleteActionSql: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' }
const timing = (deferrable: boolean, deferred: boolean) => (deferred ? ' DEFERRABLE INITIALLY DEFERRED' : deferrable ? ' DEFERRABLE' : '')
const list = (names: readonly string[]) => names.map(it => quoteIdentifier(it)).join(', ')
const sortedList = (names: readonly string[]) => list([...names].sort())

/** every fact the live schema holds */
export const readCatalog = async (client: pg.Client, schemaName: string): Promise<string[]> => {
	const facts: string[] = []
	const q = async <R extends pg.QueryResultRow>(sql: string) => (await client.query<R>(sql, [schemaName])).rows

	for (const row of await q<{ name: string; kind: string }>(`SELECT c.relname AS name, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'v', 'm', 'p')`)) {
		facts.push(`${row.kind === 'v' ? 'view' : row.kind === 'm' ? 'materialized view' : 'table'} ${quoteIdentifier(row.name)}`)
	}
	for (const row of await q<{ tbl: string; col: string; type: string; notnull: boolean; identity: string; collation: string | null }>(`
		SELECT c.relname AS tbl, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull, a.attidentity AS identity,
			CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_collation co ON co.oid = a.attcollation
		WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`)) {
		facts.push(columnFact(row.tbl, row.col, row.type, !row.notnull, row.identity === 'a' ? 'ALWAYS' : row.identity === 'd' ? 'BY DEFAULT' : undefined, row.collation ?? undefined))
	}
	for (const row of await q<{ tbl: string; contype: string; cols: string[]; ref: string | null; refcols: string[] | null; deltype: string; deferrable: boolean; deferred: boolean }>(`
		SELECT c.relname AS tbl, k.contype::text AS contype, k.condeferrable AS deferrable, k.condeferred AS deferred, k.confdeltype::text AS deltype,
			array(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o) AS cols,
			r.relname AS ref,
			array(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.o) AS refcols
		FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_class r ON r.oid = k.confrelid
		WHERE n.nspname = $1 AND k.contype IN ('p', 'u', 'f')`)) {
		if (row.contype === 'p') facts.push(`primary key ${quoteIdentifier(row.tbl)} (${list(row.cols)})`)
		else if (row.contype === 'u') facts.push(`unique ${quoteIdentifier(row.tbl)} (${sortedList(row.cols)})${timing(row.deferrable, row.deferred)}`)
		else facts.push(foreignKeyFact(row.tbl, row.cols.join(','), row.ref!, row.refcols!.join(','), deleteActionSql[row.deltype]!, row.deferrable, row.deferred))
	}
	for (const row of await q<{ tbl: string; method: string; unique: boolean; keys: string[]; include: string[]; partial: boolean; nnd: boolean }>(`
		SELECT c.relname AS tbl, am.amname AS method, i.indisunique AS unique, i.indpred IS NOT NULL AS partial,
			coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nnd,
			array(SELECT concat('"' || replace(a.attname, '"', '""') || '"',
					CASE WHEN oc.opcdefault THEN '' ELSE ' ' || oc.opcname END,
					CASE WHEN (i.indoption[u.o - 1] & 1) = 1 THEN ' DESC' ELSE '' END,
					CASE WHEN (i.indoption[u.o - 1] & 1) = 0 AND (i.indoption[u.o - 1] & 2) = 2 THEN ' NULLS FIRST'
						WHEN (i.indoption[u.o - 1] & 1) = 1 AND (i.indoption[u.o - 1] & 2) = 0 THEN ' NULLS LAST' ELSE '' END)
				FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(n, o)
				JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.n
				LEFT JOIN pg_opclass oc ON oc.oid = i.indclass[u.o - 1]
				WHERE u.o <= i.indnkeyatts ORDER BY u.o) AS keys,
			array(SELECT '"' || replace(a.attname, '"', '""') || '"' FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(n, o)
				JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.n WHERE u.o > i.indnkeyatts ORDER BY u.o) AS include
		FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
		WHERE n.nspname = $1 AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))`)) {
		facts.push(indexFact(row.tbl, row.unique, row.method, row.keys, row.include, row.partial, row.nnd))
	}
	for (const row of await q<{ name: string; base: string; checks: string[] }>(`
		SELECT t.typname AS name, format_type(t.typbasetype, t.typtypmod) AS base,
			array(SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k WHERE k.contypid = t.oid ORDER BY k.conname) AS checks
		FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND t.typtype = 'd'`)) {
		facts.push(domainFact(row.name, row.base, row.checks.map(parseDomainValues)))
	}
	return facts.sort()
}

/** `CHECK ((VALUE = ANY (ARRAY['a'::text, 'b'::text])))` → ['a', 'b'] */
const parseDomainValues = (check: string): string[] =>
	[...check.matchAll(/'((?:[^']|'')*)'::text/g)].map(match => match[1]!.replace(/''/g, "'"))

const columnFact = (table: string, column: string, type: string, nullable: boolean, identity?: string, collation?: string) =>
	`column ${quoteIdentifier(table)}.${quoteIdentifier(column)} ${type}${nullable ? '' : ' NOT NULL'}${identity ? ` GENERATED ${identity}` : ''}${collation ? ` COLLATE ${collation}` : ''}`

const foreignKeyFact = (table: string, column: string, refTable: string, refColumn: string, onDelete: string, deferrable: boolean, deferred: boolean) =>
	`foreign key ${quoteIdentifier(table)}.${column} → ${quoteIdentifier(refTable)}.${refColumn} ON DELETE ${onDelete}${timing(deferrable, deferred)}`

const indexFact = (table: string, unique: boolean, method: string, keys: readonly string[], include: readonly string[], partial: boolean, nullsNotDistinct: boolean) =>
	`${unique ? 'unique index' : 'index'} ${quoteIdentifier(table)} USING ${method} (${keys.join(', ')})${include.length ? ` INCLUDE (${include.join(', ')})` : ''}${nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''}${partial ? ' WHERE …' : ''}`

const domainFact = (name: string, base: string, checks: readonly (readonly string[])[]) =>
	`domain ${quoteIdentifier(name)} ${base} ${checks.map(values => `CHECK IN (${values.map(it => JSON.stringify(it)).join(', ')})`).join(' ')}`

/**
 * The facts `schema` says the database holds. Column types are written as SQL type expressions
 * here; `normaliseTypes` turns them into format_type() spelling using the server itself.
 */
export const expectedCatalog = (schema: Schema): { facts: string[]; typeExpressions: string[] } => {
	const facts: string[] = []
	const typeExpressions = new Set<string>()
	const entities = schema.model.entities
	const isTable = (entity: Entity | undefined) => entity !== undefined && entity.view === undefined
	const primaryOf = (entity: Entity) => entity.fields[entity.primary] as Column
	const typeOf = (column: Pick<Column, 'type' | 'columnType' | 'list'>) => {
		const base = column.type === 'Enum' ? quoteIdentifier(column.columnType) : column.columnType
		const expression = column.list ? `${base}[]` : base
		typeExpressions.add(expression)
		return `{type:${expression}}`
	}
	const columnNameOf = (entity: Entity, fieldName: string) => {
		const field = entity.fields[fieldName]
		if (!field) return fieldName
		return isColumn(field) ? field.columnName : hasJoiningColumn(field) ? field.joiningColumn.columnName : fieldName
	}

	for (const entity of Object.values(entities)) {
		const table = entity.tableName
		if (!isTable(entity)) {
			facts.push(`${entity.view?.materialized ? 'materialized view' : 'view'} ${quoteIdentifier(table)}`)
		} else {
			facts.push(`table ${quoteIdentifier(table)}`, `primary key ${quoteIdentifier(table)} (${list([primaryOf(entity).columnName])})`)
			for (const field of Object.values(entity.fields)) {
				if (isColumn(field)) {
					facts.push(columnFact(table, field.columnName, typeOf(field), field.name === entity.primary ? false : field.nullable, field.sequence?.precedence, field.collation))
					continue
				}
				const target = entities[field.target]
				if (!target || !isTable(target)) continue
				if (hasJoiningColumn(field)) {
					const column = field.joiningColumn.columnName
					facts.push(columnFact(table, column, typeOf(primaryOf(target)), field.nullable))
					facts.push(foreignKeyFact(table, column, target.tableName, primaryOf(target).columnName, onDeleteSql[field.joiningColumn.onDelete], true, false))
					if (field.type === 'OneHasOne') facts.push(`unique ${quoteIdentifier(table)} (${list([column])})`)
					else facts.push(indexFact(table, false, 'btree', [quoteIdentifier(column)], [], false, false))
				} else if ('joiningTable' in field) {
					const junction = field.joiningTable
					const [own, inverse] = [junction.joiningColumn.columnName, junction.inverseJoiningColumn.columnName]
					facts.push(
						`table ${quoteIdentifier(junction.tableName)}`,
						`primary key ${quoteIdentifier(junction.tableName)} (${list([own, inverse])})`,
						columnFact(junction.tableName, own, typeOf(primaryOf(entity)), false),
						columnFact(junction.tableName, inverse, typeOf(primaryOf(target)), false),
						foreignKeyFact(junction.tableName, own, table, primaryOf(entity).columnName, 'CASCADE', false, false),
						foreignKeyFact(junction.tableName, inverse, target.tableName, primaryOf(target).columnName, 'CASCADE', false, false),
					)
				}
			}
		}
		const indexable = isTable(entity) || entity.view?.materialized === true
		for (const unique of entity.unique) {
			const columns = unique.fields.map(it => columnNameOf(entity, it))
			if (isUniqueIndex(unique)) {
				if (indexable) facts.push(indexFact(table, true, unique.method ?? 'btree', columns.map(it => quoteIdentifier(it)), [], false, unique.nulls === 'not distinct'))
			} else if (isTable(entity)) {
				facts.push(`unique ${quoteIdentifier(table)} (${sortedList(columns)})${timing(unique.timing !== undefined, unique.timing === 'deferred')}`)
			}
		}
		if (!indexable) continue
		for (const index of entity.indexes) {
			const keys = index.fields.map(fieldName => {
				const options = index.columnOptions?.[fieldName] ?? {}
				const opClass = options.opClass ?? index.opClass
				const desc = options.order === 'desc'
				const nulls = options.nulls === 'first' && !desc ? ' NULLS FIRST' : options.nulls === 'last' && desc ? ' NULLS LAST' : ''
				return `${quoteIdentifier(columnNameOf(entity, fieldName))}${opClass ? ` ${opClass}` : ''}${desc ? ' DESC' : ''}${nulls}`
			})
			const include = (index.include ?? []).map(it => quoteIdentifier(columnNameOf(entity, it)))
			facts.push(indexFact(table, false, index.method ?? 'btree', keys, include, index.where !== undefined, false))
		}
	}
	for (const [name, values] of Object.entries(schema.model.enums)) facts.push(domainFact(name, 'text', [values]))
	return { facts, typeExpressions: [...typeExpressions] }
}

/** asks the server how it spells each type expression (`timestamptz` → `timestamp with time zone`); call outside a transaction */
export const normaliseTypes = async (client: pg.Client, expressions: readonly string[]): Promise<Map<string, string>> => {
	const result = new Map<string, string>()
	for (const expression of expressions) {
		await client.query('BEGIN')
		try {
			await client.query(`CREATE TEMP TABLE strata_type_probe (c ${expression})`)
			const row = (await client.query(`SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'strata_type_probe'::regclass AND attname = 'c'`)).rows[0]
			result.set(expression, row.type)
		} catch {
			result.set(expression, `<unknown type ${expression}>`)
		} finally {
			await client.query('ROLLBACK')
		}
	}
	return result
}

/** expected facts with server-spelled types, sorted */
export const resolveExpected = async (client: pg.Client, schema: Schema): Promise<string[]> => {
	const { facts, typeExpressions } = expectedCatalog(schema)
	const types = await normaliseTypes(client, typeExpressions)
	return facts.map(fact => fact.replace(/\{type:(.*?)\}(?= |$)/g, (_, expression: string) => types.get(expression) ?? expression)).sort()
}

/** `missing …` for expected facts the database lacks, `unexpected …` for the opposite (multisets) */
export const catalogDifferences = (expected: readonly string[], actual: readonly string[]): string[] => {
	const remaining = [...actual]
	const missing: string[] = []
	for (const fact of expected) {
		const at = remaining.indexOf(fact)
		if (at === -1) missing.push(`missing    ${fact}`)
		else remaining.splice(at, 1)
	}
	return [...missing, ...remaining.map(fact => `unexpected ${fact}`)]
}
