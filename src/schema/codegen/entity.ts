/**
 * One entity as `export const Post = entity('Post', { …fields }, { …options })`, or `view(…)`
 * for a view. Options are written only where they differ from the DSL's defaults; a unique on a
 * single column or many-has-one relation becomes that field's `.unique()`.
 */
import { canonicalJson } from '../compare.js'
import { type ColumnBuilder, column as columnKinds } from '../define/columns.js'
import { type EntityDefinition, type EntityOptions, type FieldMap, entity as defineEntity, view as defineView, type ViewOptions } from '../define/entity.js'
import type { AnyRelationBuilder, EntityRef } from '../define/relations.js'
import type { Entity, Field, Index, JsonObject, JsonValue, UniqueConstraint } from '../model.js'
import { isColumn, own, setOwn } from '../model.js'
import { defaultTableName } from '../naming.js'
import { type Emitted, emitted } from './emitted.js'
import { columnExpression, type FieldContext, fieldExpression } from './fields.js'
import { indentation, literal, propertyKey, stringLiteral, sqlLiteral } from './literal.js'

/** the keys each `.unique()` shorthand accepts (FieldUniqueOptions), besides `fields` */
const SHORTHAND_KEYS = { constraint: ['fields', 'timing', 'name'], index: ['fields', 'index', 'nulls', 'name'] }
/** the keys the DSL's unique and index inputs accept; an item with others is left to the post-processing step */
const UNIQUE_INPUT_KEYS = ['fields', 'timing', 'index', 'nulls', 'method', 'name']
const INDEX_INPUT_KEYS = ['fields', 'method', 'where', 'include', 'opClass', 'columnOptions', 'name']

const hasOnlyKeys = (value: object, keys: readonly string[]) => Object.keys(value).every(key => keys.includes(key))

/** the options of `.unique(…)` when `unique` can be written on its single field, else undefined */
const shorthandOf = (entity: Entity, unique: UniqueConstraint): JsonObject | undefined => {
	if (unique.fields.length !== 1) return undefined
	const field: Field | undefined = own(entity.fields, unique.fields[0]!)
	if (field === undefined || !(isColumn(field) || field.type === 'ManyHasOne')) return undefined
	if (!hasOnlyKeys(unique, unique.index === true ? SHORTHAND_KEYS.index : SHORTHAND_KEYS.constraint)) return undefined
	const { fields: _fields, ...options } = unique
	return options as JsonObject
}

/** a unique or an index as an options item: the bare field list when that is all it has */
const listItem = (item: UniqueConstraint | Index): JsonValue =>
	Object.keys(item).length === 1 ? [...item.fields] : (item as unknown as JsonObject)

/** `{ key: code, … }` one entry a line at `level`, or `{}` */
const objectBlock = (entries: readonly (readonly [string, string])[], level: number): string =>
	entries.length === 0 ? '{}' : `{\n${entries.map(([key, code]) => `${indentation(level + 1)}${propertyKey(key)}: ${code},`).join('\n')}\n${indentation(level)}}`

/** the `id` field the DSL adds when an entity does not declare one */
const IMPLIED_PRIMARY = canonicalJson(columnKinds.uuid().notNull().build('', 'id').field)

interface Split {
	/** field name → the options of its `.unique()` shorthand */
	readonly fieldUniques: Map<string, JsonObject>
	readonly optionUniques: JsonValue[]
}

const splitUniques = (entity: Entity): Split => {
	const fieldUniques = new Map<string, JsonObject>()
	const optionUniques: JsonValue[] = []
	for (const unique of entity.unique) {
		const shorthand = shorthandOf(entity, unique)
		if (shorthand && !fieldUniques.has(unique.fields[0]!)) fieldUniques.set(unique.fields[0]!, shorthand)
		else if (hasOnlyKeys(unique, UNIQUE_INPUT_KEYS)) optionUniques.push(listItem(unique))
	}
	return { fieldUniques, optionUniques }
}

const entityOptions = (entity: Entity, optionUniques: JsonValue[]): JsonObject => {
	const indexes = entity.indexes.filter(index => hasOnlyKeys(index, INDEX_INPUT_KEYS)).map(listItem)
	return {
		...(entity.tableName !== defaultTableName(entity.name) ? { tableName: entity.tableName } : {}),
		...(optionUniques.length > 0 ? { unique: optionUniques } : {}),
		...(indexes.length > 0 ? { indexes } : {}),
		...(entity.eventLog?.enabled === false ? { eventLog: false } : {}),
		...(entity.orderBy
			? { orderBy: entity.orderBy.map(item => ({ path: item.path.length === 1 ? item.path[0]! : [...item.path], ...(item.direction === 'asc' ? {} : { direction: item.direction }) })) }
			: {}),
	}
}

/** the view's definition (`sql`, `dependencies` by reference, …) as the second argument of `view()` */
const viewDefinition = (context: FieldContext, definition: NonNullable<Entity['view']>): Emitted<ViewOptions> => {
	const dependencies = definition.dependencies?.map(name => context.entityRef(name))
	const entries: [string, string][] = [['sql', sqlLiteral(definition.sql)]]
	if (dependencies) entries.push(['dependencies', `[${dependencies.map(dependency => dependency.code).join(', ')}]`])
	if (definition.materialized !== undefined) entries.push(['materialized', String(definition.materialized)])
	if (definition.idSource) entries.push(['idSource', literal([...definition.idSource], 1)])
	const value: ViewOptions = {
		sql: definition.sql,
		...(dependencies ? { dependencies: dependencies.map(dependency => dependency.value as EntityRef) } : {}),
		...(definition.materialized !== undefined ? { materialized: definition.materialized } : {}),
		...(definition.idSource ? { idSource: definition.idSource } : {}),
	}
	return emitted(objectBlock(entries, 0), value)
}

/** `export const <identifier> = entity(…)` (or `view(…)`) and the definition it evaluates to */
export const entityDeclaration = (context: FieldContext, entity: Entity, identifier: string): Emitted<EntityDefinition> => {
	const { fieldUniques, optionUniques } = splitUniques(entity)
	const fieldCode: [string, string][] = []
	const fields: Record<string, ColumnBuilder | AnyRelationBuilder> = {}
	const add = (name: string, expression: Emitted<ColumnBuilder | AnyRelationBuilder>) => {
		fieldCode.push([name, expression.code])
		setOwn(fields, name, expression.value)
	}
	const primary: Field | undefined = own(entity.fields, 'id')
	// the DSL puts `id` first; it is written only when it is not the implied uuid
	if (primary && isColumn(primary) && canonicalJson(primary) !== IMPLIED_PRIMARY) {
		add('id', columnExpression(context, entity.name, primary, { primary: true, unique: fieldUniques.get('id') }))
	}
	for (const field of Object.values(entity.fields)) if (field.name !== 'id') add(field.name, fieldExpression(context, entity.name, field, fieldUniques.get(field.name)))

	const options = entityOptions(entity, optionUniques)
	const hasOptions = Object.keys(options).length > 0
	const tail = `${objectBlock(fieldCode, 0)}${hasOptions ? `, ${literal(options, 0)}` : ''})`
	const optionsValue = options as unknown as EntityOptions<string>
	if (entity.view) {
		const definition = viewDefinition(context, entity.view)
		context.imports.add('view')
		return emitted(`export const ${identifier} = view(${stringLiteral(entity.name)}, ${definition.code}, ${tail}`,
			defineView(entity.name, definition.value, fields as FieldMap, optionsValue))
	}
	context.imports.add('entity')
	return emitted(`export const ${identifier} = entity(${stringLiteral(entity.name)}, ${tail}`, defineEntity(entity.name, fields as FieldMap, optionsValue))
}
