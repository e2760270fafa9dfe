/**
 * Semantic rules of the model: names, enums, primary keys, columns, table and column
 * collisions, views. Relation and constraint rules live in relations.ts and constraints.ts.
 * Every function tolerates values of the wrong shape (ajv reports those) and skips them.
 */
import type { Column, Entity, Field, Model } from '../model.js'
import { isColumn, isOwningRelation, isRelation } from '../model.js'
import { IDENTIFIER, MAX_IDENTIFIER_BYTES, type Report, checkIdentifierLength, isObject } from './codes.js'
import { reportRawSqlProblems, validateIndexes, validateUniques } from './constraints.js'
import { validateOrderBy, validateRelation } from './relations.js'
import { own } from '../model.js'

const RESERVED_ENTITY_NAMES = new Set(['Query', 'Mutation'])
const RESERVED_VALUES = new Set(['and', 'or', 'not'])

/** "word, optional (words), optional word, optional "quoted", any number of []", whitespace removed */
const COLUMN_TYPE = /^\w+(\(\w+(,\w+)*\))?\w*("[^";]*")?(\[\])*$/

const objectEntries = (value: unknown): [string, Record<string, unknown>][] =>
	isObject(value) ? (Object.entries(value).filter(([, it]) => isObject(it)) as [string, Record<string, unknown>][]) : []

export const validateEnums = (enums: unknown, report: Report) => {
	if (!isObject(enums)) return
	for (const [name, values] of Object.entries(enums)) {
		const path = `model.enums.${name}`
		if (!IDENTIFIER.test(name)) report(path, 'MODEL_INVALID_IDENTIFIER', `enum name "${name}" is not a valid identifier`)
		checkIdentifierLength(name, 'enum (domain) name', path, report)
		if (!Array.isArray(values)) continue
		if (values.length === 0) report(path, 'MODEL_EMPTY_ENUM', `enum ${name} has no values`)
		const seen = new Set<unknown>()
		values.forEach((value, i) => {
			if (typeof value !== 'string') return
			if (!IDENTIFIER.test(value)) report(`${path}.${i}`, 'MODEL_INVALID_ENUM_VALUE', `enum value "${value}" is not a valid identifier (^[_a-zA-Z][_a-zA-Z0-9]*$)`)
			else if (RESERVED_VALUES.has(value)) report(`${path}.${i}`, 'MODEL_INVALID_ENUM_VALUE', `enum value "${value}" is reserved`)
			if (seen.has(value)) report(`${path}.${i}`, 'MODEL_DUPLICATE_ENUM_VALUE', `enum value "${value}" is listed twice`)
			seen.add(value)
		})
	}
}

const validateColumn = (model: Model, column: Column, path: string, report: Report) => {
	if (typeof column.columnType === 'string' && !COLUMN_TYPE.test(column.columnType.replace(/\s+/g, ''))) {
		report(`${path}.columnType`, 'MODEL_INVALID_COLUMN_TYPE', `"${column.columnType}" is not a valid column type`)
	} else if (typeof column.columnType === 'string') {
		// a type (or domain) name is an identifier too: PostgreSQL would truncate it and name another type
		const long = column.columnType.split(/[^\w\u0080-\uffff]+/).find(word => Buffer.byteLength(word, 'utf8') > MAX_IDENTIFIER_BYTES)
		if (long !== undefined) report(`${path}.columnType`, 'MODEL_NAME_TOO_LONG', `the type name "${long}" is ${Buffer.byteLength(long, 'utf8')} bytes long; PostgreSQL keeps only the first ${MAX_IDENTIFIER_BYTES}`)
	}
	if (column.type === 'Enum') {
		const enumName = (column as { enumName?: string }).enumName ?? column.columnType
		const values = isObject(model.enums) ? own(model.enums, enumName) : undefined
		// a default outside the enum is not reported: Contember accepts it and a real history
		// (esszed/contember-ares) passes through such a state; the DSL's typing prevents it
		if (!Array.isArray(values)) report(`${path}.columnType`, 'MODEL_UNDEFINED_ENUM', `enum "${enumName}" is not defined in model.enums`)
	}
	if (column.sequence && column.nullable) report(`${path}.sequence`, 'MODEL_NULLABLE_SEQUENCE', 'a sequence column cannot be nullable')
	if (column.collation !== undefined && column.type !== 'String') {
		report(`${path}.collation`, 'MODEL_INVALID_COLLATION', `a collation is only allowed on String columns, not ${column.type}`)
	}
}

/** the SQL columns an entity's own table holds, with the field each belongs to */
const ownColumns = (entity: Entity): [string, string][] =>
	objectEntries(entity.fields).flatMap(([name, raw]) => {
		const field = raw as unknown as Field
		if (isColumn(field) && typeof field.columnName === 'string') return [[field.columnName, name] as [string, string]]
		if ('joiningColumn' in field && isObject(field.joiningColumn) && typeof field.joiningColumn.columnName === 'string') {
			return [[field.joiningColumn.columnName, name] as [string, string]]
		}
		return []
	})

const validateView = (model: Model, entity: Entity, path: string, report: Report) => {
	const view = entity.view
	if (!isObject(view)) return
	if (typeof view.sql === 'string') reportRawSqlProblems(view.sql, `${path}.view.sql`, report)
	for (const [i, dependency] of (Array.isArray(view.dependencies) ? view.dependencies : []).entries()) {
		if (typeof dependency === 'string' && !isObject(own(model.entities, dependency))) {
			report(`${path}.view.dependencies.${i}`, 'VIEW_UNDEFINED_DEPENDENCY', `entity "${dependency}" does not exist`)
		}
	}
	for (const [name, raw] of objectEntries(entity.fields)) {
		const field = raw as unknown as Field
		if (!isRelation(field)) continue
		const fieldPath = `${path}.fields.${name}`
		const targetIsView = isObject(own(model.entities, field.target)?.view)
		if (field.type === 'ManyHasMany' && isOwningRelation(field)) {
			report(fieldPath, 'VIEW_INVALID_RELATION', 'a view cannot own a many-has-many relation')
		} else if (field.type === 'OneHasMany' && !targetIsView) {
			report(fieldPath, 'VIEW_INVALID_RELATION', `one-has-many on a view must target a view; ${field.target} is a table`)
		} else if (field.type === 'OneHasOne' && !isOwningRelation(field) && !targetIsView) {
			report(fieldPath, 'VIEW_INVALID_RELATION', `one-has-one on a view must be owning or target a view; ${field.target} is a table`)
		}
	}
}

export const validateEntity = (model: Model, key: string, entity: Entity, report: Report) => {
	const path = `model.entities.${key}`
	if (typeof entity.name === 'string' && entity.name !== key) {
		report(`${path}.name`, 'MODEL_NAME_MISMATCH', `entity is stored under "${key}" but named "${entity.name}"`)
	}
	if (!IDENTIFIER.test(key)) report(path, 'MODEL_INVALID_IDENTIFIER', `entity name "${key}" is not a valid identifier`)
	if (RESERVED_ENTITY_NAMES.has(key)) report(path, 'MODEL_RESERVED_NAME', `entity name "${key}" is reserved`)
	if (key.endsWith('Meta') && isObject(own(model.entities, key.slice(0, -4)))) {
		report(path, 'MODEL_NAME_COLLISION', `entity "${key}" collides with the meta type of entity "${key.slice(0, -4)}"`)
	}
	if (isObject(model.enums) && own(model.enums, key) !== undefined) {
		report(path, 'MODEL_NAME_COLLISION', `entity "${key}" has the same name as an enum`)
	}

	const fields = isObject(entity.fields) ? entity.fields : {}
	const primary = own(fields, entity.primary)
	if (typeof entity.primary === 'string' && (!isObject(primary) || !isColumn(primary as Field))) {
		report(`${path}.primary`, 'MODEL_UNDEFINED_PRIMARY', `primary field "${entity.primary}" is not a column of ${key}`)
	}

	for (const [name, raw] of objectEntries(fields)) {
		const field = raw as unknown as Field
		const fieldPath = `${path}.fields.${name}`
		if (typeof field.name === 'string' && field.name !== name) {
			report(`${fieldPath}.name`, 'MODEL_NAME_MISMATCH', `field is stored under "${name}" but named "${field.name}"`)
		}
		if (!IDENTIFIER.test(name)) report(fieldPath, 'MODEL_INVALID_IDENTIFIER', `field name "${name}" is not a valid identifier`)
		if (isColumn(field)) validateColumn(model, field, fieldPath, report)
		else validateRelation(model, entity, key, field, fieldPath, report)
	}

	const seenColumns = new Map<string, string>()
	for (const [column, fieldName] of ownColumns(entity)) {
		checkIdentifierLength(column, 'column name', `${path}.fields.${fieldName}`, report)
		const first = seenColumns.get(column)
		if (first !== undefined) {
			report(`${path}.fields.${fieldName}`, 'MODEL_COLUMN_NAME_COLLISION', `column "${column}" is already used by field "${first}"`)
		} else seenColumns.set(column, fieldName)
	}

	validateUniques(entity, path, report)
	validateIndexes(entity, path, report)
	validateView(model, entity, path, report)
	if (Array.isArray(entity.orderBy)) validateOrderBy(model, key, entity.orderBy, `${path}.orderBy`, report)
}

/** entity tables, view names and junction tables share one namespace */
export const validateTableNames = (model: Model, report: Report) => {
	const seen = new Map<string, string>()
	const claim = (table: unknown, owner: string, path: string) => {
		if (typeof table !== 'string') return
		checkIdentifierLength(table, 'table name', path, report)
		const first = seen.get(table)
		if (first !== undefined) report(path, 'MODEL_TABLE_NAME_COLLISION', `table "${table}" is already used by ${first}`)
		else seen.set(table, owner)
	}
	for (const [key, entity] of objectEntries(model.entities)) {
		claim(entity.tableName, `entity ${key}`, `model.entities.${key}.tableName`)
	}
	for (const [key, entity] of objectEntries(model.entities)) {
		for (const [name, field] of objectEntries(entity.fields)) {
			if (isObject(field.joiningTable)) {
				claim(field.joiningTable.tableName, `the junction of ${key}.${name}`, `model.entities.${key}.fields.${name}.joiningTable.tableName`)
				for (const side of ['joiningColumn', 'inverseJoiningColumn'] as const) {
					const column = field.joiningTable[side]
					if (isObject(column)) checkIdentifierLength(column.columnName, 'junction column name', `model.entities.${key}.fields.${name}.joiningTable.${side}.columnName`, report)
				}
			}
		}
	}
}

export const validateModel = (model: Model, report: Report) => {
	validateEnums(model.enums, report)
	for (const [key, entity] of objectEntries(model.entities)) validateEntity(model, key, entity as unknown as Entity, report)
	validateTableNames(model, report)
}
