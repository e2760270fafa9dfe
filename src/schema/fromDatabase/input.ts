/**
 * What db:introspect reads from one PostgreSQL schema, as plain data: the input of the pure
 * mapping to a declared schema (src/db/introspectSchema.ts fills it from the catalog; tests
 * write it by hand). Names are the catalog's, unquoted.
 */
import type { IndexMetadata, UniqueConstraintMetadata } from '../../sql/metadata.js'

export interface LiveColumn {
	readonly name: string
	/** format_type of the column: `character varying(80)`, `integer[]`, `"PostStatus"` */
	readonly formattedType: string
	/** format_type of the element type for an array, else of the type itself */
	readonly elementType: string
	/** pg_type.typname of the element type (of the type itself when not an array) */
	readonly typeName: string
	/** the schema of that type */
	readonly typeSchema: string
	/** pg_type.typtype of that type: b base, d domain, e enum, c composite, r range, m multirange, p pseudo */
	readonly typeKind: string
	readonly isArray: boolean
	readonly notNull: boolean
	readonly identity?: { readonly precedence: 'ALWAYS' | 'BY DEFAULT'; readonly start: number }
	/** the DEFAULT expression as pg_get_expr prints it */
	readonly default?: string
	/** a generated column's expression */
	readonly generated?: string
	/** a collation other than the type's default */
	readonly collation?: string
}

export interface LiveTable {
	readonly name: string
	/** `partitioned`: a partitioned parent (relkind p) */
	readonly kind: 'table' | 'partitioned'
	/** the parent table when this table is a partition */
	readonly partitionOf?: string
	readonly columns: readonly LiveColumn[]
	readonly primaryKey?: { readonly name: string; readonly columns: readonly string[] }
}

export interface LiveForeignKey {
	readonly name: string
	readonly table: string
	readonly columns: readonly string[]
	readonly refSchema: string
	readonly refTable: string
	readonly refColumns: readonly string[]
	/** pg_constraint.confdeltype: a no action, r restrict, c cascade, n set null, d set default */
	readonly onDelete: string
	readonly deferrable: boolean
	readonly deferred: boolean
}

/** a constraint that has no place in the model (CHECK, EXCLUDE), by its definition */
export interface LiveConstraint {
	readonly name: string
	readonly table: string
	readonly kind: 'check' | 'exclusion'
	readonly definition: string
}

export interface LiveDomain {
	readonly name: string
	/** format_type of the base type */
	readonly baseType: string
	/** pg_get_constraintdef of each CHECK */
	readonly checks: readonly string[]
	/** the allowed values, when the domain is over text and its only CHECK is `VALUE IN (…)` */
	readonly enumValues?: readonly string[]
}

export interface LiveNativeEnum {
	readonly name: string
	/** in pg_enum.enumsortorder */
	readonly values: readonly string[]
}

export interface LiveView {
	readonly name: string
	readonly materialized: boolean
	/** pg_get_viewdef */
	readonly definition: string
	readonly columns: readonly LiveColumn[]
	/** tables and views of the same schema the view reads (from pg_depend) */
	readonly dependencies: readonly string[]
	/** relations in other schemas it reads, schema-qualified */
	readonly foreignDependencies: readonly string[]
}

export interface LiveTrigger {
	readonly name: string
	readonly table: string
	/** pg_get_triggerdef */
	readonly definition: string
}

export interface LiveFunction {
	/** name(argument types) */
	readonly signature: string
	/** f function, p procedure, a aggregate, w window */
	readonly kind: string
}

export interface LiveSequence {
	readonly name: string
	/** the column owning it (serial columns); identity sequences are not listed */
	readonly ownedBy?: { readonly table: string; readonly column: string }
}

export interface LiveDatabase {
	readonly schemaName: string
	readonly tables: readonly LiveTable[]
	readonly views: readonly LiveView[]
	readonly foreignKeys: readonly LiveForeignKey[]
	readonly uniqueConstraints: readonly UniqueConstraintMetadata[]
	/** plain and unique indexes, not those backing a constraint (readCatalog's shape) */
	readonly indexes: readonly IndexMetadata[]
	readonly constraints: readonly LiveConstraint[]
	readonly domains: readonly LiveDomain[]
	readonly nativeEnums: readonly LiveNativeEnum[]
	readonly triggers: readonly LiveTrigger[]
	readonly functions: readonly LiveFunction[]
	readonly sequences: readonly LiveSequence[]
}
