/**
 * Relation builders. A relation names its target by entity definition, by a thunk
 * (`() => Post`, for entities declared further down) or by name. The owning side names its
 * inverse field (`inversedBy`); the inverse side names its owning field (`ownedBy`); both sides
 * must be declared, and validation checks that they agree.
 *
 * Defaults (Contember's definition layer): has-one relations are nullable with onDelete
 * restrict; junction columns cascade and the junction's event log is enabled.
 */
import type { JoiningColumn, JsonObject, OnDelete, OrderBy, OrderDirection, Relation, UniqueConstraint } from '../model.js'
import { joiningColumnName, junctionColumnNames, junctionTableName } from '../naming.js'
import { type FieldUniqueOptions, uniqueFor } from './columns.js'
import { RELATION_PROPERTIES, withExtraProperties } from './extra.js'

/** Anything with a name: an entity definition, or a thunk returning one, or the entity's name. */
export type EntityRef = string | { readonly name: string } | (() => { readonly name: string })

export const resolveEntityName = (ref: EntityRef): string =>
	typeof ref === 'string' ? ref : typeof ref === 'function' ? ref().name : ref.name

/** `setNull` is accepted as an alias of Contember's `set null` */
export type OnDeleteInput = OnDelete | 'setNull'

const onDeleteOf = (value: OnDeleteInput): OnDelete => (value === 'setNull' ? 'set null' : value)

export type OrderByInput = string | readonly string[]

const orderByItem = (path: OrderByInput, direction: OrderDirection): OrderBy => ({
	path: typeof path === 'string' ? [path] : [...path],
	direction,
})

export interface BuiltRelation {
	readonly field: Relation
	readonly unique?: UniqueConstraint
}

interface Common {
	readonly target: EntityRef
	readonly extra?: JsonObject
}

abstract class RelationBuilder<State extends Common> {
	readonly kind = 'relation'

	constructor(protected readonly state: State) {}

	protected with(changes: Partial<State>): this {
		const Self = this.constructor as new (state: State) => this
		return new Self({ ...this.state, ...changes })
	}

	/** JSON properties the DSL has no modifier for, kept in the relation as they are */
	extra(properties: JsonObject): this {
		return this.with({ extra: { ...this.state.extra, ...properties } } as Partial<State>)
	}

	/** @internal resolves names; used by `entity()` */
	build(entityName: string, fieldName: string): BuiltRelation {
		const built = this.buildRelation(entityName, fieldName)
		return { ...built, field: withExtraProperties(built.field, this.state.extra, RELATION_PROPERTIES, entityName) }
	}

	protected abstract buildRelation(entityName: string, fieldName: string): BuiltRelation
}

interface HasOneState extends Common {
	readonly inversedBy?: string
	readonly nullable: boolean
	readonly onDelete: OnDelete
	readonly columnName?: string
	readonly orphanRemoval?: true
	readonly unique?: FieldUniqueOptions
}

abstract class HasOneBuilder extends RelationBuilder<HasOneState> {
	notNull() {
		return this.with({ nullable: false })
	}

	nullable() {
		return this.with({ nullable: true })
	}

	/** what happens to this row when the target row is deleted (default `restrict`) */
	onDelete(onDelete: OnDeleteInput) {
		return this.with({ onDelete: onDeleteOf(onDelete) })
	}

	cascadeOnDelete() {
		return this.onDelete('cascade')
	}

	setNullOnDelete() {
		return this.onDelete('set null')
	}

	restrictOnDelete() {
		return this.onDelete('restrict')
	}

	/** name of the foreign-key column (default: snake(field) + `_id`) */
	joiningColumn(columnName: string) {
		return this.with({ columnName })
	}

	protected joining(fieldName: string): JoiningColumn {
		return { columnName: this.state.columnName ?? joiningColumnName(fieldName), onDelete: this.state.onDelete }
	}
}

export class ManyHasOneBuilder extends HasOneBuilder {
	/** a unique constraint on this relation alone */
	unique(options: FieldUniqueOptions = {}) {
		return this.with({ unique: options })
	}

	protected buildRelation(_entityName: string, fieldName: string): BuiltRelation {
		const { inversedBy, nullable, unique } = this.state
		return {
			field: {
				name: fieldName,
				type: 'ManyHasOne',
				target: resolveEntityName(this.state.target),
				joiningColumn: this.joining(fieldName),
				nullable,
				...(inversedBy !== undefined ? { inversedBy } : {}),
			},
			unique: unique ? uniqueFor(fieldName, unique) : undefined,
		}
	}
}

export class OneHasOneBuilder extends HasOneBuilder {
	/** delete the target row when this row stops referencing it */
	removeOrphan() {
		return this.with({ orphanRemoval: true })
	}

	/** alias of `removeOrphan()`, named after the schema key */
	orphanRemoval() {
		return this.removeOrphan()
	}

	protected buildRelation(_entityName: string, fieldName: string): BuiltRelation {
		const { inversedBy, nullable, orphanRemoval } = this.state
		return {
			field: {
				name: fieldName,
				type: 'OneHasOne',
				target: resolveEntityName(this.state.target),
				joiningColumn: this.joining(fieldName),
				nullable,
				...(inversedBy !== undefined ? { inversedBy } : {}),
				...(orphanRemoval ? { orphanRemoval } : {}),
			},
		}
	}
}

interface InverseState extends Common {
	readonly ownedBy: string
	readonly nullable?: boolean
	readonly orderBy?: readonly OrderBy[]
}

export class OneHasManyBuilder extends RelationBuilder<InverseState> {
	/** default order of the related rows; call again to add a secondary key */
	orderBy(path: OrderByInput, direction: OrderDirection = 'asc') {
		return this.with({ orderBy: [...(this.state.orderBy ?? []), orderByItem(path, direction)] })
	}

	protected buildRelation(_entityName: string, fieldName: string): BuiltRelation {
		const { ownedBy, orderBy } = this.state
		return { field: { name: fieldName, type: 'OneHasMany', target: resolveEntityName(this.state.target), ownedBy, ...(orderBy ? { orderBy } : {}) } }
	}
}

export class OneHasOneInverseBuilder extends RelationBuilder<InverseState> {
	notNull() {
		return this.with({ nullable: false })
	}

	protected buildRelation(_entityName: string, fieldName: string): BuiltRelation {
		const { ownedBy, nullable } = this.state
		return { field: { name: fieldName, type: 'OneHasOne', target: resolveEntityName(this.state.target), ownedBy, nullable: nullable ?? true } }
	}
}

export class ManyHasManyInverseBuilder extends RelationBuilder<InverseState> {
	orderBy(path: OrderByInput, direction: OrderDirection = 'asc') {
		return this.with({ orderBy: [...(this.state.orderBy ?? []), orderByItem(path, direction)] })
	}

	protected buildRelation(_entityName: string, fieldName: string): BuiltRelation {
		const { ownedBy, orderBy } = this.state
		return { field: { name: fieldName, type: 'ManyHasMany', target: resolveEntityName(this.state.target), ownedBy, ...(orderBy ? { orderBy } : {}) } }
	}
}

export interface JoiningTableOptions {
	/** default: snake(owning entity) + `_` + snake(relation) */
	readonly tableName?: string
	/** column referencing the owning entity (default: snake(owning entity) + `_id`) */
	readonly joiningColumn?: string
	/** column referencing the target (default: snake(target) + `_id`; snake(relation) + `_id` for self-references) */
	readonly inverseJoiningColumn?: string
	/** audit triggers on the junction (default true) */
	readonly eventLog?: boolean
}

interface ManyHasManyState extends Common {
	readonly inversedBy?: string
	readonly orderBy?: readonly OrderBy[]
	readonly joiningTable?: JoiningTableOptions
}

export class ManyHasManyBuilder extends RelationBuilder<ManyHasManyState> {
	orderBy(path: OrderByInput, direction: OrderDirection = 'asc') {
		return this.with({ orderBy: [...(this.state.orderBy ?? []), orderByItem(path, direction)] })
	}

	/** override junction table and column names, or disable its event log */
	joiningTable(options: JoiningTableOptions) {
		return this.with({ joiningTable: { ...this.state.joiningTable, ...options } })
	}

	protected buildRelation(entityName: string, fieldName: string): BuiltRelation {
		const target = resolveEntityName(this.state.target)
		const { inversedBy, orderBy } = this.state
		const options = this.state.joiningTable ?? {}
		const columns = junctionColumnNames(entityName, target, fieldName)
		return {
			field: {
				name: fieldName,
				type: 'ManyHasMany',
				target,
				joiningTable: {
					tableName: options.tableName ?? junctionTableName(entityName, fieldName),
					joiningColumn: { columnName: options.joiningColumn ?? columns.joiningColumn, onDelete: 'cascade' },
					inverseJoiningColumn: { columnName: options.inverseJoiningColumn ?? columns.inverseJoiningColumn, onDelete: 'cascade' },
					eventLog: { enabled: options.eventLog ?? true },
				},
				...(inversedBy !== undefined ? { inversedBy } : {}),
				...(orderBy ? { orderBy } : {}),
			},
		}
	}
}

const hasOne = (target: EntityRef, inversedBy?: string): HasOneState => ({
	target,
	nullable: true,
	onDelete: 'restrict',
	...(inversedBy !== undefined ? { inversedBy } : {}),
})

/** owning side of N:1: a foreign-key column in this entity's table */
export const manyHasOne = (target: EntityRef, inversedBy?: string) => new ManyHasOneBuilder(hasOne(target, inversedBy))
/** inverse side of N:1: `ownedBy` names the many-has-one field on the target */
export const oneHasMany = (target: EntityRef, ownedBy: string) => new OneHasManyBuilder({ target, ownedBy })
/** owning side of 1:1: a unique foreign-key column in this entity's table */
export const oneHasOne = (target: EntityRef, inversedBy?: string) => new OneHasOneBuilder(hasOne(target, inversedBy))
/** inverse side of 1:1 */
export const oneHasOneInverse = (target: EntityRef, ownedBy: string) => new OneHasOneInverseBuilder({ target, ownedBy })
/** owning side of M:N: a junction table */
export const manyHasMany = (target: EntityRef, inversedBy?: string) =>
	new ManyHasManyBuilder({ target, ...(inversedBy !== undefined ? { inversedBy } : {}) })
/** inverse side of M:N */
export const manyHasManyInverse = (target: EntityRef, ownedBy: string) => new ManyHasManyInverseBuilder({ target, ownedBy })

export type AnyRelationBuilder =
	| ManyHasOneBuilder
	| OneHasOneBuilder
	| OneHasManyBuilder
	| OneHasOneInverseBuilder
	| ManyHasManyBuilder
	| ManyHasManyInverseBuilder
