/**
 * The Contember `Schema` shape, as plain readonly data. Everything in strata's pure core
 * (updaters, differ, SQL) works on these types; nothing here has behaviour.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

export interface Schema {
	readonly model: Model
	readonly acl: AclSchema
	readonly validation: ValidationSchema
	readonly actions: ActionsSchema
	readonly settings: SettingsSchema
}

export interface Model {
	readonly enums: { readonly [enumName: string]: readonly string[] }
	readonly entities: { readonly [entityName: string]: Entity }
}

export type OrderDirection = 'asc' | 'desc' | 'ascNullsFirst' | 'descNullsLast'

export interface OrderBy {
	readonly path: readonly string[]
	readonly direction: OrderDirection
}

export interface EventLogConfig {
	readonly enabled: boolean
}

export interface ViewDefinition {
	readonly sql: string
	readonly dependencies?: readonly string[]
	readonly idSource?: readonly string[]
	readonly materialized?: boolean
}

export interface Entity {
	readonly name: string
	readonly primary: string
	readonly primaryColumn: string
	readonly tableName: string
	readonly fields: { readonly [fieldName: string]: Field }
	readonly unique: readonly UniqueConstraint[]
	readonly indexes: readonly Index[]
	readonly eventLog: EventLogConfig
	readonly view?: ViewDefinition
	readonly orderBy?: readonly OrderBy[]
}

// ---------------------------------------------------------------------------------------------
// columns

export type ColumnType =
	| 'Uuid'
	| 'String'
	| 'Integer'
	| 'Double'
	| 'Numeric'
	| 'Bool'
	| 'DateTime'
	| 'Date'
	| 'Time'
	| 'Json'
	| 'Enum'

export const columnTypes: readonly ColumnType[] = [
	'Uuid', 'String', 'Integer', 'Double', 'Numeric', 'Bool', 'DateTime', 'Date', 'Time', 'Json', 'Enum',
]

export interface ColumnSequence {
	readonly precedence: 'ALWAYS' | 'BY DEFAULT'
	readonly start?: number
	/** only inside `updateColumnDefinition.definition`: restart the identity */
	readonly restart?: boolean
}

export interface Column {
	readonly name: string
	readonly columnName: string
	readonly type: ColumnType
	readonly columnType: string
	readonly nullable: boolean
	readonly list?: boolean
	readonly typeAlias?: string
	readonly default?: JsonValue
	readonly sequence?: ColumnSequence
	readonly collation?: string
	readonly schema?: JsonValue
}

/** A column without its names, as carried by `updateColumnDefinition`. */
export type ColumnDefinition = Omit<Column, 'name' | 'columnName'>

// ---------------------------------------------------------------------------------------------
// relations

export type RelationType = 'OneHasOne' | 'OneHasMany' | 'ManyHasOne' | 'ManyHasMany'
export type OnDelete = 'cascade' | 'restrict' | 'set null'

export interface JoiningColumn {
	readonly columnName: string
	readonly onDelete: OnDelete
}

export interface JoiningTable {
	readonly tableName: string
	readonly joiningColumn: JoiningColumn
	readonly inverseJoiningColumn: JoiningColumn
	readonly eventLog: EventLogConfig
}

export interface ManyHasOneRelation {
	readonly name: string
	readonly type: 'ManyHasOne'
	readonly target: string
	readonly joiningColumn: JoiningColumn
	readonly nullable: boolean
	readonly inversedBy?: string
}

export interface OneHasManyRelation {
	readonly name: string
	readonly type: 'OneHasMany'
	readonly target: string
	readonly ownedBy: string
	readonly orderBy?: readonly OrderBy[]
}

export interface OneHasOneOwningRelation {
	readonly name: string
	readonly type: 'OneHasOne'
	readonly target: string
	readonly joiningColumn: JoiningColumn
	readonly nullable: boolean
	readonly inversedBy?: string
	readonly orphanRemoval?: true
}

export interface OneHasOneInverseRelation {
	readonly name: string
	readonly type: 'OneHasOne'
	readonly target: string
	readonly ownedBy: string
	readonly nullable: boolean
}

export interface ManyHasManyOwningRelation {
	readonly name: string
	readonly type: 'ManyHasMany'
	readonly target: string
	readonly joiningTable: JoiningTable
	readonly inversedBy?: string
	readonly orderBy?: readonly OrderBy[]
}

export interface ManyHasManyInverseRelation {
	readonly name: string
	readonly type: 'ManyHasMany'
	readonly target: string
	readonly ownedBy: string
	readonly orderBy?: readonly OrderBy[]
}

export type OwningRelation = ManyHasOneRelation | OneHasOneOwningRelation | ManyHasManyOwningRelation
export type InverseRelation = OneHasManyRelation | OneHasOneInverseRelation | ManyHasManyInverseRelation
export type Relation = OwningRelation | InverseRelation
export type Field = Column | Relation

// ---------------------------------------------------------------------------------------------
// unique constraints and indexes

export type IndexMethod = 'btree' | 'gin' | 'gist' | 'hash' | 'brin' | 'spgist'

export interface UniqueConstraintDef {
	readonly fields: readonly string[]
	readonly timing?: 'deferrable' | 'deferred'
	readonly name?: string
	readonly index?: false
}

export interface UniqueIndexDef {
	readonly fields: readonly string[]
	readonly index: true
	readonly nulls?: 'distinct' | 'not distinct'
	readonly method?: IndexMethod
	readonly name?: string
}

export type UniqueConstraint = UniqueConstraintDef | UniqueIndexDef

export interface IndexColumnOptions {
	readonly order?: 'asc' | 'desc'
	readonly nulls?: 'first' | 'last'
	readonly opClass?: string
}

export interface Index {
	readonly fields: readonly string[]
	readonly name?: string
	readonly method?: IndexMethod
	readonly opClass?: string
	readonly where?: string
	readonly include?: readonly string[]
	readonly columnOptions?: { readonly [field: string]: IndexColumnOptions }
}

// ---------------------------------------------------------------------------------------------
// non-model parts: kept as JSON, strata versions them but never interprets them for SQL

export interface AclSchema {
	readonly customPrimary?: boolean
	readonly roles: { readonly [role: string]: JsonObject }
	readonly [extra: string]: JsonValue | undefined
}

export type ValidationSchema = { readonly [entity: string]: { readonly [field: string]: JsonValue } }

export interface ActionsSchema {
	readonly triggers: { readonly [name: string]: JsonObject }
	readonly targets: { readonly [name: string]: JsonObject }
}

export type SettingsSchema = { readonly [key: string]: JsonValue }

// ---------------------------------------------------------------------------------------------
// type guards

export const isColumn = (field: Field): field is Column => !('target' in field)
export const isRelation = (field: Field): field is Relation => 'target' in field
export const isOwningRelation = (field: Field): field is OwningRelation =>
	'joiningColumn' in field || 'joiningTable' in field
export const isInverseRelation = (field: Field): field is InverseRelation => 'ownedBy' in field
/** many-has-one and one-has-one owning: the relation has its own column in the entity's table */
export const hasJoiningColumn = (field: Field): field is ManyHasOneRelation | OneHasOneOwningRelation =>
	'joiningColumn' in field
export const isUniqueIndex = (unique: UniqueConstraint): unique is UniqueIndexDef => unique.index === true

export const emptySchema: Schema = {
	model: { entities: {}, enums: {} },
	acl: { roles: {} },
	validation: {},
	actions: { triggers: {}, targets: {} },
	settings: {},
}

/**
 * `record[key]` for the schema's name-keyed records (entities, fields, enums), own properties
 * only: the records are plain objects, so a bare lookup of `constructor`, `toString` or
 * `__proto__` would find Object.prototype's members, and an entity of that name would "already
 * exist" or resolve to a function. Typed like the index access it replaces.
 */
export const own = <T>(record: Readonly<Record<string, T>> | undefined, key: string): T =>
	(record !== undefined && record !== null && Object.hasOwn(record, key) ? record[key] : undefined) as T

/** `record[key] = value` as an own data property, even for `__proto__` (an assignment would set the prototype) */
export const setOwn = <T>(record: Record<string, T>, key: string, value: T): void => {
	Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true })
}
