/**
 * Unique constraint and index rules. `fields` name fields, not columns; the allowed kinds
 * differ: unique takes non-list columns and many-has-one (one-has-one owning is already
 * unique), plain indexes also take one-has-one owning.
 */
import type { Entity, Field, Index, UniqueConstraint } from '../model.js'
import { isColumn } from '../model.js'
import { sqlEndState } from '../../sql/builder.js'
import { findPsqlMetaCommand } from '../../sql/psqlSafety.js'
import { type Report, isObject } from './codes.js'
import { own } from '../model.js'

/** raw SQL (view bodies, index predicates) reaches `migrations:describe --sql-only`, which is piped into psql */
export const reportPsqlMetaCommand = (sql: string, path: string, report: Report) => {
	const found = findPsqlMetaCommand(sql)
	if (found) {
		report(path, 'SQL_PSQL_META_COMMAND', `a backslash outside a quoted string (line ${found.line}, column ${found.column}: ${JSON.stringify(found.text)}); psql would run it as a meta-command (\\! runs a shell command) and SQL has no use for it there`)
	}
}

/**
 * Verbatim SQL (a view body, an index predicate) must be one lexically complete piece: ending
 * inside a quote would swallow what strata appends, and a `;` outside quotes and comments ends
 * the statement early, so whatever follows runs as a statement of its own. A single trailing
 * `;` (with trailing whitespace or comments) is allowed: the SQL builder drops it.
 */
export const reportRawSqlProblems = (sql: string, path: string, report: Report) => {
	const end = sqlEndState(sql)
	if (end !== 'top' && end !== 'line-comment') {
		report(path, 'SQL_UNTERMINATED', `the SQL ends inside an unterminated ${end.replace('-', ' ')}`)
		return
	}
	const body = sql.trim().replace(/;\s*$/, '')
	for (let at = body.indexOf(';'); at !== -1; at = body.indexOf(';', at + 1)) {
		if (sqlEndState(body.slice(0, at)) === 'top') {
			report(path, 'SQL_MULTIPLE_STATEMENTS', `a ";" outside quotes and comments at offset ${at} ends the statement early; the rest would run as a separate statement`)
			return
		}
	}
	reportPsqlMetaCommand(sql, path, report)
}

const OPCLASS = /^([a-zA-Z_][a-zA-Z0-9_]*\.)?[a-zA-Z_][a-zA-Z0-9_]*$/

const fieldOf = (entity: Entity, name: string): Field | undefined => {
	const field = isObject(entity.fields) ? own(entity.fields, name) : undefined
	return isObject(field) ? (field as Field) : undefined
}

const kindOf = (field: Field): string =>
	isColumn(field) ? (field.list ? 'a list column' : 'a column') : `a ${'ownedBy' in field ? 'inverse ' : ''}${field.type} relation`

const itemsOf = <T>(value: unknown): [string, T][] =>
	Array.isArray(value) ? value.map((item, i) => [String(i), item as T]) : isObject(value) ? (Object.entries(value) as [string, T][]) : []

const repeated = (names: readonly string[]): string[] => names.filter((name, i) => names.indexOf(name) !== i)

/** identity of an index for duplicate detection: everything but the legacy name, keys sorted */
const identity = (value: object): string =>
	JSON.stringify(value, (key, inner) =>
		key === 'name' ? undefined : isObject(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b))) : inner)

export const validateUniques = (entity: Entity, entityPath: string, report: Report) => {
	const materialized = isObject(entity.view) && entity.view.materialized === true
	const seen = new Map<string, string>()
	for (const [key, unique] of itemsOf<UniqueConstraint>(entity.unique)) {
		if (!isObject(unique) || !Array.isArray(unique.fields)) continue
		const path = `${entityPath}.unique.${key}`
		for (const name of repeated(unique.fields)) report(`${path}.fields`, 'UNIQUE_DUPLICATE', `field "${name}" is listed twice`)
		// the differ and removeUniqueConstraint identify uniques by their field set
		const fieldSet = [...unique.fields].sort().join('\u0000')
		const first = seen.get(fieldSet)
		if (first !== undefined) report(path, 'UNIQUE_DUPLICATE', `unique ${first} already covers [${unique.fields.join(', ')}]`)
		else seen.set(fieldSet, key)
		for (const name of unique.fields) {
			const field = fieldOf(entity, name)
			if (!field) {
				report(`${path}.fields`, 'UNIQUE_UNDEFINED_FIELD', `field "${name}" does not exist on ${entity.name}`)
			} else if ((isColumn(field) && field.list) || (!isColumn(field) && field.type !== 'ManyHasOne')) {
				report(`${path}.fields`, 'UNIQUE_INVALID_FIELD', `field "${name}" is ${kindOf(field)}; unique takes non-list columns and many-has-one relations`)
			}
		}
		const index = (unique as { index?: boolean }).index === true
		const extra = unique as { nulls?: string; method?: string; timing?: string }
		if (!index && (extra.nulls !== undefined || extra.method !== undefined)) {
			report(path, 'UNIQUE_INVALID_OPTION', 'nulls and method are only allowed on a unique index (index: true)')
		}
		if (index && extra.timing !== undefined) report(path, 'UNIQUE_INVALID_OPTION', 'timing is only allowed on a unique constraint, not a unique index')
		if (materialized && !index) report(path, 'VIEW_UNIQUE_NOT_INDEX', 'a unique on a materialized view must be a unique index (index: true)')
	}
}

const isIndexable = (field: Field) => isColumn(field) || field.type === 'ManyHasOne' || (field.type === 'OneHasOne' && 'joiningColumn' in field)

export const validateIndexes = (entity: Entity, entityPath: string, report: Report) => {
	const seen = new Map<string, string>()
	for (const [key, index] of itemsOf<Index>(entity.indexes)) {
		if (!isObject(index) || !Array.isArray(index.fields)) continue
		const path = `${entityPath}.indexes.${key}`
		for (const name of repeated(index.fields)) report(`${path}.fields`, 'INDEX_DUPLICATE', `field "${name}" is listed twice`)
		const id = identity(index)
		const first = seen.get(id)
		if (first !== undefined) report(path, 'INDEX_DUPLICATE', `index ${first} is identical`)
		else seen.set(id, key)
		const checkFields = (names: readonly string[], at: string) => {
			for (const name of names) {
				const field = fieldOf(entity, name)
				if (!field) report(at, 'INDEX_UNDEFINED_FIELD', `field "${name}" does not exist on ${entity.name}`)
				else if (!isIndexable(field)) report(at, 'INDEX_INVALID_FIELD', `field "${name}" is ${kindOf(field)} and has no column to index`)
			}
		}
		checkFields(index.fields, `${path}.fields`)
		if (Array.isArray(index.include)) {
			checkFields(index.include, `${path}.include`)
			for (const name of index.include) {
				if (index.fields.includes(name)) report(`${path}.include`, 'INDEX_FIELD_IN_KEY_AND_INCLUDE', `field "${name}" is both a key field and included`)
			}
		}
		if (typeof index.where === 'string' && (index.where.trim() === '' || index.where.includes(';'))) {
			report(`${path}.where`, 'INDEX_INVALID_WHERE', 'the predicate must be non-empty and must not contain ";"')
		}
		else if (typeof index.where === 'string') reportRawSqlProblems(index.where, `${path}.where`, report)
		if (typeof index.opClass === 'string' && !OPCLASS.test(index.opClass)) {
			report(`${path}.opClass`, 'INDEX_INVALID_OPCLASS', `"${index.opClass}" is not an operator class name`)
		}
		const btree = index.method === undefined || index.method === 'btree'
		for (const [name, options] of Object.entries(isObject(index.columnOptions) ? index.columnOptions : {})) {
			const at = `${path}.columnOptions.${name}`
			if (!index.fields.includes(name)) report(at, 'INDEX_INVALID_COLUMN_OPTIONS', `"${name}" is not a key field of the index`)
			if (!isObject(options)) continue
			if (!btree && (options.order !== undefined || options.nulls !== undefined)) {
				report(at, 'INDEX_INVALID_COLUMN_OPTIONS', `order and nulls are only allowed for btree indexes, not ${index.method}`)
			}
			if (typeof options.opClass === 'string' && !OPCLASS.test(options.opClass)) {
				report(`${at}.opClass`, 'INDEX_INVALID_OPCLASS', `"${options.opClass}" is not an operator class name`)
			}
		}
	}
}
