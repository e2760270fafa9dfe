/**
 * The schema while the mapping builds it: entities keyed by table, each with its fields in a
 * name space of their own, and the list of what cannot be declared. Mutable on purpose: the
 * steps (entities, relations, junctions, keys, views) each add their part to one draft.
 */
import type { Field, Index, UniqueConstraint, ViewDefinition } from '../model.js'
import type { LiveDatabase, LiveTable } from './input.js'
import { NameSpace } from './names.js'
import type { Unrepresentable } from './result.js'

export interface DraftEntity {
	readonly name: string
	readonly table: string
	readonly live?: LiveTable
	primary: string
	primaryColumn: string
	readonly fields: Map<string, Field>
	readonly fieldNames: NameSpace
	/** the field holding each column of the table (columns and joining columns) */
	readonly fieldOfColumn: Map<string, string>
	/** column order, so that fields come out in the table's order */
	readonly position: Map<string, number>
	readonly unique: UniqueConstraint[]
	readonly indexes: Index[]
	view?: ViewDefinition
}

export interface Draft {
	readonly db: LiveDatabase
	/** by table (or view) name */
	readonly entities: Map<string, DraftEntity>
	readonly entityNames: NameSpace
	readonly enums: Record<string, readonly string[]>
	/** the enum of each domain or native enum type that became one */
	readonly enumOfType: Map<string, string>
	readonly unrepresentable: Unrepresentable[]
	/** unique constraints and indexes a relation accounts for (a one-has-one's unique key, a many-has-one's index), by name */
	readonly consumed: Set<string>
	/** junction tables that became many-has-many relations */
	readonly junctions: Set<string>
}

export const newDraftEntity = (name: string, table: string, live?: LiveTable): DraftEntity => ({
	name, table, ...(live ? { live } : {}), primary: 'id', primaryColumn: 'id',
	fields: new Map(), fieldNames: new NameSpace(), fieldOfColumn: new Map(), position: new Map(), unique: [], indexes: [],
})

/** adds `field` under its own name, which the caller took from `entity.fieldNames` */
export const addField = (entity: DraftEntity, field: Field, column?: string, position?: number): void => {
	entity.fields.set(field.name, field)
	if (column !== undefined) entity.fieldOfColumn.set(column, field.name)
	entity.position.set(field.name, position ?? Number.MAX_SAFE_INTEGER)
}

export const qualified = (table: string, column: string) => `${table}.${column}`
