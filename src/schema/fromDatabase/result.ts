/**
 * What the mapping from a live database gives: the schema, how each entity and field maps to
 * the database (for the CLI's report), and every live object the schema does not declare,
 * each with its name and why, so that nothing is dropped silently.
 */
import type { RelationType, Schema } from '../model.js'

export type UnrepresentableKind =
	| 'table' | 'column' | 'default' | 'foreignKey' | 'relationIndex' | 'unique' | 'index'
	| 'check' | 'exclusion' | 'trigger' | 'function' | 'sequence' | 'enum' | 'domain' | 'view' | 'validation'

export interface Unrepresentable {
	readonly kind: UnrepresentableKind
	/** the object's name: table, column, constraint, index, trigger, function signature, type */
	readonly name: string
	readonly table?: string
	readonly reason: string
}

export type FieldMapping =
	| { readonly field: string; readonly column: string }
	| { readonly field: string; readonly relation: RelationType; readonly target: string; readonly owning: boolean; readonly joiningColumn?: string; readonly joiningTable?: string }

export interface EntityMapping {
	readonly entity: string
	readonly table: string
	readonly view?: 'view' | 'materialized view'
	readonly fields: readonly FieldMapping[]
}

export interface FromDatabaseResult {
	readonly schema: Schema
	readonly mapping: readonly EntityMapping[]
	readonly unrepresentable: readonly Unrepresentable[]
}
