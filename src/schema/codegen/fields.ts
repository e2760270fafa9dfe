/**
 * One field as a DSL expression: `column.string().notNull()`, `manyHasOne(Author, 'posts')`.
 * A modifier is written only where the field differs from what the builder makes without it,
 * which is checked by building the field with the DSL itself as the expression grows.
 */
import { canonicalJson } from '../compare.js'
import { type ColumnBuilder, type EnumDefinition, column as columnKinds } from '../define/columns.js'
import { COLUMN_PROPERTIES, RELATION_PROPERTIES } from '../define/extra.js'
import {
	type AnyRelationBuilder,
	type EntityRef,
	manyHasMany,
	manyHasManyInverse,
	manyHasOne,
	oneHasMany,
	oneHasOne,
	oneHasOneInverse,
} from '../define/relations.js'
import type { Column, Field, JsonObject, JsonValue, OrderBy, Relation } from '../model.js'
import { hasJoiningColumn, isColumn, own, setOwn } from '../model.js'
import { chain, data, type Emitted, emitted, type Imports, invoke } from './emitted.js'

/** what a field expression needs from the module around it */
export interface FieldContext {
	readonly imports: Imports
	/** the entity a relation targets: its constant, a thunk when it is declared further down, or its name */
	entityRef(name: string): Emitted<EntityRef>
	/** the `defineEnum` constant of an enum, when the schema has it */
	enumRef(name: string): Emitted<EnumDefinition> | undefined
}

/** a field expression: the builder, and where it sits (entity and field name resolve its defaults) */
interface Draft<B> {
	readonly expression: Emitted<B>
	readonly entityName: string
	readonly fieldName: string
}

const builtField = <B extends ColumnBuilder | AnyRelationBuilder>(draft: Draft<B>): Field =>
	draft.expression.value.build(draft.entityName, draft.fieldName).field

/** adds `.method(arg)` when the field built so far has `property` other than `wanted` */
const unlessBuilt = <B extends ColumnBuilder | AnyRelationBuilder>(draft: Draft<B>, property: string, wanted: JsonValue | undefined, method: string, level: number): Draft<B> => {
	if (wanted === undefined || canonicalJson(own(builtField(draft) as unknown as JsonObject, property)) === canonicalJson(wanted)) return draft
	return { ...draft, expression: chain(draft.expression, method, [data(wanted, level)]) }
}

const modify = <B>(draft: Draft<B>, method: string, args: readonly Emitted[] = []): Draft<B> => ({ ...draft, expression: chain(draft.expression, method, args) })

/** properties of the field the DSL has no modifier for, as `.extra({ … })` */
const withExtra = <B>(draft: Draft<B>, field: Field, known: readonly string[], level: number): Draft<B> => {
	const extra: JsonObject = {}
	for (const [key, value] of Object.entries(field)) if (!known.includes(key) && value !== undefined) setOwn(extra, key, value as JsonValue)
	return Object.keys(extra).length === 0 ? draft : modify(draft, 'extra', [data(extra, level)])
}

const DEFAULT_KINDS = {
	Uuid: 'uuid', String: 'string', Integer: 'int', Double: 'double', Numeric: 'numeric', Bool: 'bool',
	DateTime: 'dateTime', Date: 'date', Time: 'time', Json: 'json', Enum: 'enum',
} as const

type ColumnKind = Exclude<keyof typeof columnKinds, 'enum'>

const kind = (imports: Imports, name: ColumnKind, args: readonly number[] = []): Emitted<ColumnBuilder> => {
	imports.add('column')
	const build = columnKinds[name] as (...values: number[]) => ColumnBuilder
	return emitted(`column.${name}(${args.join(', ')})`, build(...args))
}

const NUMERIC_WITH_PRECISION = /^numeric\((\d+)(?:, (\d+))?\)$/

/** the column kind the field starts from: `column.numeric(10, 2)` where the type says so */
const columnBase = (context: FieldContext, field: Column): Emitted<ColumnBuilder> => {
	if (field.type === 'Enum') {
		const enumeration = context.enumRef(field.columnType)
		if (enumeration) {
			context.imports.add('column')
			return emitted(`column.enum(${enumeration.code})`, columnKinds.enum(enumeration.value) as ColumnBuilder)
		}
		// no such enum (the schema is not valid): the post-processing step carries the field
		return kind(context.imports, 'string')
	}
	const precision = field.type === 'Numeric' ? NUMERIC_WITH_PRECISION.exec(field.columnType) : null
	if (precision) return kind(context.imports, 'numeric', precision.slice(1).filter(Boolean).map(Number))
	return kind(context.imports, (DEFAULT_KINDS[field.type] ?? 'string') as ColumnKind)
}

export interface ColumnOptions {
	/** the `.unique(…)` shorthand's options, when a unique of the entity covers this column alone */
	readonly unique?: JsonObject
	/** the primary field: `entity()` makes it NOT NULL itself */
	readonly primary?: boolean
}

/** `column.<kind>()` and the modifiers this column needs; `level` is the indentation of its line */
export const columnExpression = (context: FieldContext, entityName: string, field: Column, options: ColumnOptions = {}, level = 1): Emitted<ColumnBuilder> => {
	let draft: Draft<ColumnBuilder> = { expression: columnBase(context, field), entityName, fieldName: field.name }
	if (field.list) draft = modify(draft, 'list')
	if (field.sequence) {
		const { precedence, start } = field.sequence
		const sequenceOptions = { ...(precedence !== 'BY DEFAULT' ? { precedence } : {}), ...(start !== undefined ? { start } : {}) }
		draft = modify(draft, 'sequence', Object.keys(sequenceOptions).length > 0 ? [data(sequenceOptions as JsonObject)] : [])
	}
	if (!(options.primary && !field.nullable) && (builtField(draft) as Column).nullable !== field.nullable) draft = modify(draft, field.nullable ? 'nullable' : 'notNull')
	if (field.default !== undefined) draft = modify(draft, 'default', [data(field.default, level)])
	draft = unlessBuilt(draft, 'columnName', field.columnName, 'columnName', level)
	if (field.type !== 'Enum') draft = unlessBuilt(draft, 'columnType', field.columnType, 'columnType', level)
	draft = unlessBuilt(draft, 'collation', field.collation, 'collation', level)
	draft = unlessBuilt(draft, 'typeAlias', field.typeAlias, 'typeAlias', level)
	draft = unlessBuilt(draft, 'schema', field.schema, 'jsonSchema', level)
	if (options.unique) draft = modify(draft, 'unique', Object.keys(options.unique).length > 0 ? [data(options.unique, level)] : [])
	return withExtra(draft, field, COLUMN_PROPERTIES, level).expression
}

/** `.orderBy('title')`, `.orderBy(['author', 'name'], 'desc')` for each key */
const withOrderBy = <B>(draft: Draft<B>, orderBy: readonly OrderBy[] | undefined): Draft<B> =>
	(orderBy ?? []).reduce((current, item) => modify(current, 'orderBy', [
		data(item.path.length === 1 ? item.path[0]! : [...item.path]),
		...(item.direction === 'asc' ? [] : [data(item.direction)]),
	]), draft)

const ON_DELETE_MODIFIERS: { readonly [onDelete: string]: string } = { cascade: 'cascadeOnDelete', 'set null': 'setNullOnDelete' }

const relationStart = (context: FieldContext, name: string, fn: (target: EntityRef, side: string) => AnyRelationBuilder, target: string, side: string | undefined) =>
	invoke(context.imports, name, fn as (...args: unknown[]) => AnyRelationBuilder, [context.entityRef(target), ...(side !== undefined ? [data(side)] : [])])

/** the relation builder and the modifiers this relation needs */
export const relationExpression = (context: FieldContext, entityName: string, field: Relation, unique?: JsonObject, level = 1): Emitted<AnyRelationBuilder> => {
	const start = (name: string, fn: (target: EntityRef, side: string) => AnyRelationBuilder, side: string | undefined): Draft<AnyRelationBuilder> =>
		({ expression: relationStart(context, name, fn, field.target, side), entityName, fieldName: field.name })
	let draft: Draft<AnyRelationBuilder>
	if (hasJoiningColumn(field)) {
		draft = field.type === 'ManyHasOne' ? start('manyHasOne', manyHasOne, field.inversedBy) : start('oneHasOne', oneHasOne, field.inversedBy)
		if (!field.nullable) draft = modify(draft, 'notNull')
		const onDelete = field.joiningColumn.onDelete
		if (onDelete !== 'restrict') draft = ON_DELETE_MODIFIERS[onDelete] ? modify(draft, ON_DELETE_MODIFIERS[onDelete]) : modify(draft, 'onDelete', [data(onDelete)])
		const built = builtField(draft) as typeof field
		if (built.joiningColumn.columnName !== field.joiningColumn.columnName) draft = modify(draft, 'joiningColumn', [data(field.joiningColumn.columnName)])
		if ('orphanRemoval' in field && field.orphanRemoval) draft = modify(draft, 'removeOrphan')
		if (unique) draft = modify(draft, 'unique', Object.keys(unique).length > 0 ? [data(unique, level)] : [])
	} else if ('joiningTable' in field) {
		draft = withOrderBy(start('manyHasMany', manyHasMany, field.inversedBy), field.orderBy)
		const built = (builtField(draft) as typeof field).joiningTable
		const wanted = field.joiningTable
		const joiningTable: JsonObject = {
			...(built.tableName !== wanted.tableName ? { tableName: wanted.tableName } : {}),
			...(built.joiningColumn.columnName !== wanted.joiningColumn.columnName ? { joiningColumn: wanted.joiningColumn.columnName } : {}),
			...(built.inverseJoiningColumn.columnName !== wanted.inverseJoiningColumn.columnName ? { inverseJoiningColumn: wanted.inverseJoiningColumn.columnName } : {}),
			...(wanted.eventLog?.enabled === false ? { eventLog: false } : {}),
		}
		if (Object.keys(joiningTable).length > 0) draft = modify(draft, 'joiningTable', [data(joiningTable, level)])
	} else if (field.type === 'OneHasMany') {
		draft = withOrderBy(start('oneHasMany', oneHasMany, field.ownedBy), field.orderBy)
	} else if (field.type === 'OneHasOne') {
		draft = start('oneHasOneInverse', oneHasOneInverse, field.ownedBy)
		if (field.nullable === false) draft = modify(draft, 'notNull')
	} else {
		draft = withOrderBy(start('manyHasManyInverse', manyHasManyInverse, field.ownedBy), field.orderBy)
	}
	return withExtra(draft, field, RELATION_PROPERTIES, level).expression
}

export const fieldExpression = (context: FieldContext, entityName: string, field: Field, unique?: JsonObject): Emitted<ColumnBuilder | AnyRelationBuilder> =>
	isColumn(field) ? columnExpression(context, entityName, field, { unique }) : relationExpression(context, entityName, field, unique)
