/**
 * `entity(name, fields, options)`: one entity of the model. Every entity gets a primary field
 * `id` (uuid, not null) unless `fields.id` declares its own column. Unique and index field
 * lists are checked against the declared field names at compile time.
 */
import type { Entity, Field, Index, IndexColumnOptions, IndexMethod, OrderBy, OrderDirection, UniqueConstraint } from '../model.js'
import { setOwn } from '../model.js'
import { defaultTableName } from '../naming.js'
import { StrataError } from '../../errors.js'
import { type ColumnBuilder, type EnumDefinition, column } from './columns.js'
import { type AnyRelationBuilder, type EntityRef, type OrderByInput, resolveEntityName } from './relations.js'

export type FieldBuilder = ColumnBuilder<any> | AnyRelationBuilder
export type FieldMap = { readonly [name: string]: FieldBuilder }

/** `name`: a legacy constraint or index name (Contember files up to format 4 stored one); kept, but no SQL uses it */
export type UniqueInput<K extends string> =
	| readonly K[]
	| { readonly fields: readonly K[]; readonly timing?: 'deferrable' | 'deferred'; readonly index?: false; readonly name?: string }
	| { readonly fields: readonly K[]; readonly index: true; readonly nulls?: 'distinct' | 'not distinct'; readonly method?: IndexMethod; readonly name?: string }

export type IndexInput<K extends string> =
	| readonly K[]
	| {
			readonly fields: readonly K[]
			readonly method?: IndexMethod
			/** raw SQL predicate of a partial index */
			readonly where?: string
			/** covering columns (INCLUDE) */
			readonly include?: readonly K[]
			readonly opClass?: string
			readonly columnOptions?: { readonly [F in K]?: IndexColumnOptions }
			/** a legacy index name, as for uniques */
			readonly name?: string
	  }

export interface ViewOptions {
	readonly sql: string
	/** entities the view reads from; they are created before it */
	readonly dependencies?: readonly EntityRef[]
	readonly materialized?: boolean
	readonly idSource?: readonly string[]
}

export interface EntityOptions<K extends string> {
	/** SQL table (or view) name; default snake(entity name) */
	readonly tableName?: string
	readonly unique?: readonly UniqueInput<K>[]
	readonly indexes?: readonly IndexInput<K>[]
	/** audit triggers (default true) */
	readonly eventLog?: boolean
	/** default ordering of rows */
	readonly orderBy?: readonly { readonly path: OrderByInput; readonly direction?: OrderDirection }[]
	/** makes this entity a SQL view instead of a table */
	readonly view?: ViewOptions
}

const entityBrand = Symbol.for('strata.EntityDefinition')

/** Brand check rather than `instanceof`: a schema may reach the DSL through two module copies. */
export const isEntityDefinition = (value: unknown): value is EntityDefinition =>
	typeof value === 'object' && value !== null && (value as { [entityBrand]?: unknown })[entityBrand] === true

export class EntityDefinition {
	readonly [entityBrand] = true

	constructor(
		readonly name: string,
		private readonly fields: FieldMap,
		private readonly options: EntityOptions<string>,
	) {}

	/** @internal the entity as Schema JSON, and the enums its columns use */
	build(): { entity: Entity; enums: EnumDefinition[] } {
		const { options, name } = this
		const declared = this.fields.id
		const primary = declared?.kind === 'column' ? (declared as ColumnBuilder).notNull() : column.uuid().notNull()
		const fields: Record<string, Field> = {}
		const enums: EnumDefinition[] = []
		const unique: UniqueConstraint[] = []
		for (const [fieldName, builder] of [['id', primary] as const, ...Object.entries(this.fields).filter(([key]) => key !== 'id')]) {
			if (typeof (builder as { build?: unknown })?.build !== 'function') {
				throw new StrataError('DSL_INVALID_DEFINITION',
					`entity ${name}: field "${fieldName}" is not a column or relation builder (a missing call, e.g. column.string instead of column.string()?)`)
			}
			const built = builder.build(name, fieldName)
			setOwn(fields, fieldName, built.field)
			if ('enumeration' in built && built.enumeration) enums.push(built.enumeration)
			if (built.unique) unique.push(built.unique)
		}
		unique.push(...(options.unique ?? []).map(uniqueOf))
		const entity: Entity = {
			name,
			primary: 'id',
			primaryColumn: (fields.id as { columnName: string }).columnName,
			tableName: options.tableName ?? defaultTableName(name),
			fields,
			unique,
			indexes: (options.indexes ?? []).map(indexOf),
			eventLog: { enabled: options.eventLog ?? true },
			...(options.view ? { view: viewOf(options.view) } : {}),
			...(options.orderBy ? { orderBy: options.orderBy.map(orderByOf) } : {}),
		}
		return { entity, enums }
	}
}

const uniqueOf = (input: UniqueInput<string>): UniqueConstraint =>
	isFieldList(input) ? { fields: [...input] } : { ...input, fields: [...input.fields] }

const indexOf = (input: IndexInput<string>): Index =>
	isFieldList(input) ? { fields: [...input] } : ({ ...input, fields: [...input.fields] } as Index)

const isFieldList = (input: unknown): input is readonly string[] => Array.isArray(input)

const orderByOf = (input: { path: OrderByInput; direction?: OrderDirection }): OrderBy => ({
	path: typeof input.path === 'string' ? [input.path] : [...input.path],
	direction: input.direction ?? 'asc',
})

const viewOf = (view: ViewOptions) => ({
	sql: view.sql,
	...(view.dependencies ? { dependencies: view.dependencies.map(resolveEntityName) } : {}),
	...(view.materialized !== undefined ? { materialized: view.materialized } : {}),
	...(view.idSource ? { idSource: [...view.idSource] } : {}),
})

/** Declares an entity; `fields` maps field names to column and relation builders. */
export const entity = <const F extends FieldMap>(name: string, fields: F, options: EntityOptions<(keyof F & string) | 'id'> = {}): EntityDefinition =>
	new EntityDefinition(name, fields, options as EntityOptions<string>)

/** Declares a SQL view entity: `view('PostStats', { sql, dependencies: [Post] }, fields)`. */
export const view = <const F extends FieldMap>(
	name: string,
	definition: ViewOptions,
	fields: F,
	options: Omit<EntityOptions<(keyof F & string) | 'id'>, 'view'> = {},
): EntityDefinition => new EntityDefinition(name, fields, { ...(options as EntityOptions<string>), view: definition })
