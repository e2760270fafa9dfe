/**
 * Column builders: `column.string().notNull().default('x')`. Builders are immutable: every
 * call returns a new builder, so a shared base (`const slug = column.string().notNull()`) can be
 * reused safely. Nullable is the default, as in Contember.
 */
import { StrataError } from '../../errors.js'
import type { Column, ColumnSequence, ColumnType, JsonObject, JsonValue, UniqueConstraint } from '../model.js'
import { defaultColumnName, defaultEnumName } from '../naming.js'
import { COLUMN_PROPERTIES, withExtraProperties } from './extra.js'

const enumBrand = Symbol.for('strata.EnumDefinition')

/** A named enum, shared by every column that uses it: `defineEnum('PostStatus', ['draft', 'published'])`. */
export class EnumDefinition<V extends string = string> {
	readonly [enumBrand] = true
	constructor(readonly name: string, readonly values: readonly V[]) {}
}

/** Brand check rather than `instanceof`: a schema may reach the DSL through two module copies. */
export const isEnumDefinition = (value: unknown): value is EnumDefinition =>
	typeof value === 'object' && value !== null && (value as { [enumBrand]?: unknown })[enumBrand] === true

export const defineEnum = <const V extends string>(name: string, values: readonly V[]): EnumDefinition<V> =>
	new EnumDefinition(name, values)

/**
 * Options of a unique declared on a single field with `.unique()`. `name` is a legacy constraint
 * name (Contember files up to format 4 stored one); it is kept, but no SQL uses it.
 */
export type FieldUniqueOptions =
	| { readonly timing?: 'deferrable' | 'deferred'; readonly name?: string }
	| { readonly index: true; readonly nulls?: 'distinct' | 'not distinct'; readonly name?: string }

export const uniqueFor = (field: string, options: FieldUniqueOptions = {}): UniqueConstraint => ({ fields: [field], ...options })

interface ColumnState {
	readonly type: ColumnType
	readonly columnType: string
	readonly enumeration?: EnumDefinition | readonly string[]
	readonly nullable: boolean
	readonly columnName?: string
	readonly default?: JsonValue
	readonly list?: true
	readonly sequence?: ColumnSequence
	readonly collation?: string
	readonly typeAlias?: string
	readonly jsonSchema?: JsonValue
	readonly unique?: FieldUniqueOptions
	readonly extra?: JsonObject
}

/** What a built field contributes to its entity. */
export interface BuiltColumn {
	readonly field: Column
	readonly enumeration?: EnumDefinition
	readonly unique?: UniqueConstraint
}

export class ColumnBuilder<Value extends JsonValue = JsonValue> {
	readonly kind = 'column'

	constructor(private readonly state: ColumnState) {}

	private with(changes: Partial<ColumnState>): ColumnBuilder<Value> {
		return new ColumnBuilder({ ...this.state, ...changes })
	}

	/** NOT NULL (columns are nullable unless told otherwise) */
	notNull() {
		return this.with({ nullable: false })
	}

	nullable() {
		return this.with({ nullable: true })
	}

	/** Application-level default: no SQL DEFAULT, but the fill value when the column is added later. */
	default(value: Value) {
		return this.with({ default: value })
	}

	/** SQL column name (default: the field name in snake_case) */
	columnName(name: string) {
		return this.with({ columnName: name })
	}

	/** SQL type, e.g. `varchar(80)` (default follows the column kind) */
	columnType(sqlType: string) {
		return this.with({ columnType: sqlType })
	}

	/** an array column (`text[]`); defaults then hold arrays */
	list(): ColumnBuilder<JsonValue[]> {
		return new ColumnBuilder({ ...this.state, list: true })
	}

	/** a unique constraint on this field alone (or a unique index with `{ index: true }`) */
	unique(options: FieldUniqueOptions = {}) {
		return this.with({ unique: options })
	}

	/** `GENERATED … AS IDENTITY`; implies NOT NULL */
	sequence(options: { precedence?: 'ALWAYS' | 'BY DEFAULT'; start?: number } = {}) {
		const sequence: ColumnSequence = { precedence: options.precedence ?? 'BY DEFAULT', ...(options.start !== undefined ? { start: options.start } : {}) }
		return this.with({ sequence, nullable: false })
	}

	/** e.g. `cs-x-icu` (String columns only) */
	collation(collation: string) {
		return this.with({ collation })
	}

	/** GraphQL type alias (metadata only) */
	typeAlias(alias: string) {
		return this.with({ typeAlias: alias })
	}

	/** JSON Schema of a Json column's content (metadata only) */
	jsonSchema(schema: JsonValue) {
		return this.with({ jsonSchema: schema })
	}

	/** JSON properties the DSL has no modifier for, kept in the column as they are (e.g. Contember's legacy `enumName`) */
	extra(properties: JsonObject) {
		return this.with({ extra: { ...this.state.extra, ...properties } })
	}

	/** @internal resolves names; used by `entity()` */
	build(entityName: string, fieldName: string): BuiltColumn {
		const s = this.state
		let enumeration: EnumDefinition | undefined
		let columnType = s.columnType
		if (s.type === 'Enum') {
			enumeration = isEnumDefinition(s.enumeration)
				? s.enumeration
				: new EnumDefinition(defaultEnumName(entityName, fieldName), s.enumeration ?? [])
			columnType = enumeration.name
		}
		const field: Column = {
			name: fieldName,
			columnName: s.columnName ?? defaultColumnName(fieldName),
			type: s.type,
			columnType,
			nullable: s.nullable,
			...(s.list ? { list: true } : {}),
			...(s.default !== undefined ? { default: s.default } : {}),
			...(s.sequence ? { sequence: s.sequence } : {}),
			...(s.collation !== undefined ? { collation: s.collation } : {}),
			...(s.typeAlias !== undefined ? { typeAlias: s.typeAlias } : {}),
			...(s.jsonSchema !== undefined ? { schema: s.jsonSchema } : {}),
		}
		return {
			field: withExtraProperties(field, s.extra, COLUMN_PROPERTIES, entityName),
			enumeration,
			unique: s.unique ? uniqueFor(fieldName, s.unique) : undefined,
		}
	}
}

const make = <V extends JsonValue>(type: ColumnType, columnType: string) => new ColumnBuilder<V>({ type, columnType, nullable: true })

/** Column kinds. Each starts nullable with Contember's default SQL type. */
export const column = {
	uuid: () => make<string>('Uuid', 'uuid'),
	string: () => make<string>('String', 'text'),
	int: () => make<number>('Integer', 'integer'),
	double: () => make<number>('Double', 'double precision'),
	/** `numeric`, or `numeric(precision, scale)` */
	numeric: (precision?: number, scale?: number) => {
		if (precision === undefined && scale !== undefined) throw new StrataError('DSL_INVALID_COLUMN', 'numeric(): a scale needs a precision')
		const args = precision === undefined ? '' : `(${precision}${scale === undefined ? '' : `, ${scale}`})`
		return make<number | string>('Numeric', `numeric${args}`)
	},
	bool: () => make<boolean>('Bool', 'boolean'),
	dateTime: () => make<string>('DateTime', 'timestamptz'),
	date: () => make<string>('Date', 'date'),
	time: () => make<string>('Time', 'time'),
	json: () => make<JsonValue>('Json', 'jsonb'),
	/** a named enum, or inline values (the enum is then named entity + Field, e.g. `PostStatus`) */
	enum: <V extends string>(enumeration: EnumDefinition<V> | readonly V[]) =>
		new ColumnBuilder<V>({ type: 'Enum', columnType: '', enumeration, nullable: true }),
}
