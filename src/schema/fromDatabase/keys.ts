/**
 * Unique keys and indexes of entity tables (and materialized views) that no relation accounts
 * for, as the entity's `unique` and `indexes`. A unique constraint keeps its timing
 * (DEFERRABLE → `deferrable`, INITIALLY DEFERRED → `deferred`); a unique index keeps NULLS NOT
 * DISTINCT and its method. An index keeps its method, key order and NULLS placement, operator
 * classes other than the default, INCLUDE columns and its predicate (`where`, as PostgreSQL
 * prints it). Keys on expressions, partial unique indexes, unique indexes with anything but
 * plain keys, and keys over a column the schema leaves out are reported instead.
 */
import type { Index, IndexColumnOptions, IndexMethod, UniqueConstraint } from '../model.js'
import type { IndexMetadata, UniqueConstraintMetadata } from '../../sql/metadata.js'
import type { Draft, DraftEntity } from './draft.js'
import { isPlainDefinition } from './keyShapes.js'

const METHODS: readonly string[] = ['btree', 'gin', 'gist', 'hash', 'brin', 'spgist'] satisfies readonly IndexMethod[]

/** the fields of `columns`, or the first column that has none */
const fieldsOf = (entity: DraftEntity, columns: readonly string[]): { fields: string[] } | { missing: string } => {
	const fields: string[] = []
	for (const column of columns) {
		const field = entity.fieldOfColumn.get(column)
		if (field === undefined) return { missing: column }
		fields.push(field)
	}
	return { fields }
}

const uniqueOfConstraint = (entity: DraftEntity, constraint: UniqueConstraintMetadata): UniqueConstraint | string => {
	const mapped = fieldsOf(entity, constraint.columnNames)
	if ('missing' in mapped) return `it covers ${mapped.missing}, which the schema leaves out`
	const timing = constraint.deferred ? 'deferred' : constraint.deferrable ? 'deferrable' : undefined
	if (constraint.definition?.nullsNotDistinct) {
		// the model's constraints have no NULLS NOT DISTINCT; its unique indexes do
		if (timing !== undefined) return 'a deferrable unique constraint with NULLS NOT DISTINCT; the model has either, not both'
		return { fields: mapped.fields, index: true, nulls: 'not distinct' }
	}
	return { fields: mapped.fields, ...(timing ? { timing } : {}) }
}

const uniqueOfIndex = (entity: DraftEntity, index: IndexMetadata): UniqueConstraint | string => {
	const definition = index.definition
	if (!definition) return 'its definition could not be read'
	if (definition.keys.some(key => key.expression)) return 'a unique index on an expression; the model declares unique keys on fields only'
	if (definition.predicate !== null) return `a partial unique index (WHERE ${definition.predicate}); the model's unique keys cover the whole table`
	if (!isPlainDefinition(definition)) return 'a unique index with a key order, an operator class or INCLUDE columns, which the model\'s unique keys cannot carry'
	const mapped = fieldsOf(entity, index.columnNames)
	if ('missing' in mapped) return `it covers ${mapped.missing}, which the schema leaves out`
	return {
		fields: mapped.fields, index: true,
		...(definition.nullsNotDistinct ? { nulls: 'not distinct' as const } : {}),
		...(definition.method !== 'btree' ? { method: definition.method as IndexMethod } : {}),
	}
}

const indexOf = (entity: DraftEntity, index: IndexMetadata): Index | string => {
	const definition = index.definition
	if (!definition) return 'its definition could not be read'
	if (definition.keys.some(key => key.expression)) return `an index on an expression (${definition.keys.filter(key => key.expression).map(key => key.column).join(', ')}); the model declares indexes on fields only`
	if (!METHODS.includes(definition.method)) return `an index using ${definition.method}; the model's methods are ${METHODS.join(', ')}`
	const keys = fieldsOf(entity, definition.keys.map(key => key.column))
	const include = fieldsOf(entity, definition.include)
	if ('missing' in keys) return `it covers ${keys.missing}, which the schema leaves out`
	if ('missing' in include) return `it includes ${include.missing}, which the schema leaves out`
	const opClasses = new Set(definition.keys.map(key => (key.defaultOpClass ? '' : key.opClass)))
	const shared = opClasses.size === 1 && !opClasses.has('') ? definition.keys[0]!.opClass : undefined
	const columnOptions: Record<string, IndexColumnOptions> = {}
	definition.keys.forEach((key, position) => {
		const options: { -readonly [K in keyof IndexColumnOptions]: IndexColumnOptions[K] } = {}
		if (key.descending) options.order = 'desc'
		// PostgreSQL's default: NULLS LAST ascending, NULLS FIRST descending
		if (key.nullsFirst !== key.descending) options.nulls = key.nullsFirst ? 'first' : 'last'
		if (!key.defaultOpClass && shared === undefined) options.opClass = key.opClass
		if (Object.keys(options).length > 0) columnOptions[keys.fields[position]!] = options
	})
	return {
		fields: keys.fields,
		...(definition.method !== 'btree' ? { method: definition.method as IndexMethod } : {}),
		...(shared !== undefined ? { opClass: shared } : {}),
		...(definition.predicate !== null ? { where: definition.predicate } : {}),
		...(include.fields.length > 0 ? { include: include.fields } : {}),
		...(Object.keys(columnOptions).length > 0 ? { columnOptions } : {}),
	}
}

export const mapKeys = (draft: Draft): void => {
	for (const entity of draft.entities.values()) {
		if (entity.view && !entity.view.materialized) continue
		const add = <T>(name: string, mapped: T | string, list: T[], kind: 'unique' | 'index') => {
			if (typeof mapped === 'string') draft.unrepresentable.push({ kind, name, table: entity.table, reason: mapped })
			else list.push(mapped)
		}
		for (const constraint of draft.db.uniqueConstraints) {
			if (constraint.tableName !== entity.table || draft.consumed.has(constraint.constraintName)) continue
			add(constraint.constraintName, uniqueOfConstraint(entity, constraint), entity.unique, 'unique')
		}
		for (const index of draft.db.indexes) {
			if (index.tableName !== entity.table || draft.consumed.has(index.indexName)) continue
			if (index.unique) add(index.indexName, uniqueOfIndex(entity, index), entity.unique, 'unique')
			else add(index.indexName, indexOf(entity, index), entity.indexes, 'index')
		}
	}
}
