/**
 * The pure, immutable ladder every schema update climbs: schema → model → entity → field.
 * Each helper returns new objects and leaves its input untouched; a missing target raises
 * SchemaObjectMissingError (a ModificationApplyError) naming it; adding a field that exists
 * raises SchemaObjectExistsError.
 */
import type { Entity, Field, Model, Schema } from '../schema/model.js'
import { refuseExisting, SchemaObjectExistsError, SchemaObjectMissingError } from './conflicts.js'
import { own, setOwn } from '../schema/model.js'

export type Updater<T> = (value: T) => T

export const getEntity = (schema: Schema, entityName: string): Entity => {
	const entity = own(schema.model.entities, entityName)
	if (!entity) throw new SchemaObjectMissingError({ kind: 'entity', entityName }, `Entity ${entityName} not found`)
	return entity
}

export const getField = (schema: Schema, entityName: string, fieldName: string): Field => {
	const field = own(getEntity(schema, entityName).fields, fieldName)
	if (!field) throw missingField(entityName, fieldName)
	return field
}

export const missingField = (entityName: string, fieldName: string): SchemaObjectMissingError =>
	new SchemaObjectMissingError({ kind: 'field', entityName, fieldName }, `Field ${entityName}::${fieldName} not found`)

/** for renames, which never overwrite: a field is renamed to a name the entity already has */
export const existingField = (entityName: string, fieldName: string): SchemaObjectExistsError =>
	new SchemaObjectExistsError({ kind: 'field', entityName, fieldName }, `Field ${entityName}::${fieldName} already exists`)

/** throws SchemaObjectExistsError when `entityName` already has a field `fieldName` (unless replay tolerates it) */
export const refuseExistingField = (schema: Schema, entityName: string, fieldName: string): void => {
	refuseExisting(schema, { kind: 'field', entityName, fieldName }, `Field ${entityName}::${fieldName} already exists`)
}

export const updateModel = (update: Updater<Model>): Updater<Schema> => schema => ({ ...schema, model: update(schema.model) })

export const updateEntities = (update: Updater<Model['entities']>): Updater<Schema> =>
	updateModel(model => ({ ...model, entities: update(model.entities) }))

export const updateEnums = (update: Updater<Model['enums']>): Updater<Schema> =>
	updateModel(model => ({ ...model, enums: update(model.enums) }))

/**
 * Transient mode, as persistent data structures have it: replaying thousands of modifications
 * would copy the whole entities record (hundreds of keys) once per modification, which dominated
 * replay time. Inside `withTransientEntities`, an entities record created during the session is
 * updated in place instead; records from outside are still copied first. Callers see a pure
 * function: their input is never touched, and nothing mutates the result once the session ends.
 * Only whole folds (applyModifications, replay) open a session; they keep no intermediate schemas.
 */
let ownedEntities: WeakSet<object> | undefined

export const withTransientEntities = <T>(run: () => T): T => {
	if (ownedEntities) return run()
	ownedEntities = new WeakSet()
	try {
		return run()
	} finally {
		ownedEntities = undefined
	}
}

const owned = <T extends object>(value: T): T => {
	ownedEntities?.add(value)
	return value
}

/** the entities record with the given entities set: in place on a record this session owns, else one copy */
const withEntities = (entities: Model['entities'], changes: readonly (readonly [string, Entity])[]): Model['entities'] => {
	const target = ownedEntities?.has(entities) ? entities : owned({ ...entities })
	for (const [name, entity] of changes) setOwn(target as { [name: string]: Entity }, name, entity)
	return target
}

export const updateEntity = (entityName: string, update: Updater<Entity>): Updater<Schema> => schema => {
	const updated = update(getEntity(schema, entityName))
	return updateEntities(entities => withEntities(entities, [[entityName, updated]]))(schema)
}

/** adds an entity under its name (callers refuse an existing one first) */
export const setEntity = (entity: Entity): Updater<Schema> => updateEntities(entities => withEntities(entities, [[entity.name, entity]]))

/**
 * applies `update` to every entity (e.g. to rewrite relation targets). Entities it returns
 * unchanged (the same object) are shared, and a schema in which none changed is returned as is:
 * a rename touches the few entities pointing at it, not a copy of every one.
 */
export const updateEveryEntity = (update: Updater<Entity>): Updater<Schema> => schema => {
	const changed: [string, Entity][] = []
	const entities = schema.model.entities
	for (const name of Object.keys(entities)) {
		const entity = entities[name]!
		const updated = update(entity)
		if (updated !== entity) changed.push([name, updated])
	}
	return changed.length === 0 ? schema : updateEntities(record => withEntities(record, changed))(schema)
}

export const updateFields = (update: Updater<Entity['fields']>): Updater<Entity> => entity => ({
	...entity,
	fields: update(entity.fields),
})

export const updateField = <F extends Field = Field>(entityName: string, fieldName: string, update: (field: F) => Field): Updater<Schema> =>
	updateEntity(entityName, entity => {
		const field = own(entity.fields, fieldName)
		if (!field) throw missingField(entityName, fieldName)
		return updateFields(fields => ({ ...fields, [fieldName]: update(field as F) }))(entity)
	})

/** adds a field; one that already exists is refused (Contember would overwrite it silently) */
export const addField = (entityName: string, field: Field): Updater<Schema> => schema => {
	// the hot path of replay: a free name costs one lookup, the conflict path builds the error
	if (own(own(schema.model.entities, entityName)?.fields, field.name) !== undefined) refuseExistingField(schema, entityName, field.name)
	return updateEntity(entityName, updateFields(fields => ({ ...fields, [field.name]: field })))(schema)
}

export const removeFieldFromEntity = (fieldName: string): Updater<Entity> =>
	updateFields(fields => {
		const { [fieldName]: _removed, ...rest } = fields
		return rest
	})

/** renames a key of an object while keeping its position (migration files and schemas are order-sensitive to people) */
export const renameKey = <V>(record: { readonly [key: string]: V }, from: string, to: string, value: V): { [key: string]: V } => {
	const renamed: { [key: string]: V } = {}
	for (const key of Object.keys(record)) {
		const [name, item] = key === from ? [to, value] : [key, record[key]!]
		// an assignment to `__proto__` would set the prototype
		if (name === '__proto__') setOwn(renamed, name, item)
		else renamed[name] = item
	}
	return renamed
}

export const pipe = <T>(...updaters: Updater<T>[]): Updater<T> => value => updaters.reduce((acc, update) => update(acc), value)

/** drops keys whose value is undefined, so optional properties never appear as `undefined` in JSON comparisons */
export const withoutUndefined = <T extends object>(value: T): T =>
	Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T

// ---------------------------------------------------------------------------------------------
// additions (MOD-A): entity-level helpers used by several modification modules

/** removes an entity from the model (no reference clean-up; callers decide what else goes) */
export const removeEntityFromModel = (entityName: string): Updater<Schema> =>
	updateEntities(entities => {
		const { [entityName]: _removed, ...rest } = entities
		return rest
	})

/** legacy files hold `unique` / `indexes` as objects keyed by name; Contember reads their values */
export const listOrValues = <T>(value: readonly T[] | { readonly [key: string]: T } | undefined): T[] =>
	value === undefined ? [] : Array.isArray(value) ? [...value] : Object.values(value as { [key: string]: T })

/** removes a key from an object, keeping the order of the others */
export const withoutKey = <V>(record: { readonly [key: string]: V }, key: string): { [key: string]: V } => {
	const { [key]: _removed, ...rest } = record
	return rest
}

/** updates every field of an entity; the entity itself is returned when no field changed */
export const updateEachField = (entity: Entity, update: (field: Field, entity: Entity) => Field): Entity => {
	let fields: { [name: string]: Field } | undefined
	const current = entity.fields
	// keys only, no entry arrays: entity renames run this on every entity pointing at the renamed one
	for (const name of Object.keys(current)) {
		const field = current[name]!
		const updated = update(field, entity)
		if (updated === field) continue
		fields ??= { ...entity.fields }
		setOwn(fields, name, updated)
	}
	return fields ? { ...entity, fields } : entity
}

/** structural equality of JSON-like values, ignoring object key order */
export const deepEqual = (a: unknown, b: unknown): boolean => {
	if (a === b) return true
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
	if (Array.isArray(a) !== Array.isArray(b)) return false
	if (Array.isArray(a)) {
		const other = b as unknown[]
		return a.length === other.length && a.every((item, index) => deepEqual(item, other[index]))
	}
	const aKeys = Object.keys(a).filter(key => (a as Record<string, unknown>)[key] !== undefined)
	const bKeys = Object.keys(b).filter(key => (b as Record<string, unknown>)[key] !== undefined)
	return aKeys.length === bKeys.length && aKeys.every(key => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
}
