/** Small pure helpers shared by the differs: equality, typed construction, iteration. */
import type { ModificationId } from '../modifications/registry.js'
import type { Modification } from '../modifications/types.js'
import { constraintIdentity } from '../schema/compare.js'
import type { Entity, Field, Schema } from '../schema/model.js'
import { own, setOwn } from '../schema/model.js'

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Structural equality, object key order ignored, undefined-valued keys count as absent (the
 * same meaning as canonicalJson equality, without building strings: the differs call this
 * for every field of every entity). Keys listed in `ignore` are skipped at the top level.
 */
export const same = (a: unknown, b: unknown, ignore?: readonly string[]): boolean => {
	if (a === b) return true
	if (Array.isArray(a)) {
		if (!Array.isArray(b) || a.length !== b.length) return false
		for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false
		return true
	}
	if (!isPlainObject(a) || !isPlainObject(b)) return false
	let counted = 0
	for (const key in a) {
		if (a[key] === undefined || ignore?.includes(key)) continue
		counted++
		if (!same(a[key], own(b, key))) return false
	}
	for (const key in b) if (own(b, key) !== undefined && !ignore?.includes(key)) counted--
	return counted === 0
}

/** uniques or indexes compared as multisets of identities (order and legacy names do not count; see compare.ts) */
export const sameConstraints = (a: readonly unknown[], b: readonly unknown[]): boolean => {
	if (a.length !== b.length) return false
	if (same(a, b)) return true
	const left = a.map(constraintIdentity).sort()
	const right = b.map(constraintIdentity).sort()
	return left.every((it, i) => it === right[i])
}

/** the one way differs build modifications: `{ modification: id, ...data }` with undefined keys dropped */
export const modification = (id: ModificationId, data: Record<string, unknown> = {}): Modification => {
	const out: Record<string, unknown> = { modification: id }
	for (const [key, value] of Object.entries(data)) if (value !== undefined) out[key] = value
	return out as Modification
}

/** a copy of `value` without the listed keys */
export const omit = <T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> => {
	const out = { ...value }
	for (const key of keys) delete out[key]
	return out
}

const unchangedCache = new WeakMap<Entity, WeakMap<Entity, boolean>>()

/**
 * The entity is the same on both sides, so no differ has anything to say about it. Cached by
 * object identity: updates are immutable, so an entity no modification touched keeps its
 * object from one differ to the next and is compared once per diff, not once per differ.
 */
export const unchanged = (before: Entity, after: Entity): boolean => {
	let known = unchangedCache.get(before)
	if (!known) unchangedCache.set(before, (known = new WeakMap()))
	let result = known.get(after)
	if (result === undefined) known.set(after, (result = same(before, after)))
	return result
}

/** entities present on both sides and not equal, in the declared schema's order */
export function* commonEntities(current: Schema, updated: Schema): Generator<[Entity, Entity]> {
	for (const [name, entity] of Object.entries(updated.model.entities)) {
		const before = own(current.model.entities, name)
		if (before && !unchanged(before, entity)) yield [before, entity]
	}
}

/** fields present on both sides of entities present on both sides (and not equal), in declared order */
export function* commonFields(current: Schema, updated: Schema): Generator<[Entity, Field, Field]> {
	for (const [before, after] of commonEntities(current, updated)) {
		for (const [name, field] of Object.entries(after.fields)) {
			const old = own(before.fields, name)
			if (old) yield [after, old, field]
		}
	}
}

export const isViewEntity = (entity: Entity): boolean => entity.view !== undefined

/**
 * Fast equality with the meaning of schemaDifferences (uniques and indexes unordered, names ignored), for the
 * round trip: schemaDifferences builds strings for everything and is only needed to explain a
 * mismatch.
 */
export const schemasMatch = (expected: Schema, actual: Schema): boolean => {
	if (!same(expected, actual, ['model'])) return false
	if (!same(expected.model, actual.model, ['entities'])) return false
	const left = expected.model.entities
	const right = actual.model.entities
	if (Object.keys(left).length !== Object.keys(right).length) return false
	for (const [name, entity] of Object.entries(left)) {
		const other = own(right, name)
		// an entity the migration left alone was already found equal to the declared one by the differs
		if (other && unchanged(other, entity)) continue
		if (!other || !same(entity, other, ['unique', 'indexes'])) return false
		if (!sameConstraints(entity.unique ?? [], other.unique ?? []) || !sameConstraints(entity.indexes ?? [], other.indexes ?? [])) return false
	}
	return true
}

/**
 * `orderBy: []` on a relation means no ordering; updateRelationOrderBy cannot delete the key,
 * so the round trip compares both schemas without empty relation orderings.
 */
export const withoutEmptyRelationOrderBy = (schema: Schema): Schema => {
	let entities: Record<string, Entity> | undefined
	for (const [name, entity] of Object.entries(schema.model.entities)) {
		let fields: Record<string, Field> | undefined
		for (const [fieldName, field] of Object.entries(entity.fields)) {
			if ('orderBy' in field && Array.isArray(field.orderBy) && field.orderBy.length === 0) {
				fields ??= { ...entity.fields }
				setOwn(fields, fieldName, omit(field, 'orderBy') as Field)
			}
		}
		if (fields) {
			entities ??= { ...schema.model.entities }
			setOwn(entities, name, { ...entity, fields })
		}
	}
	return entities ? { ...schema, model: { ...schema.model, entities } } : schema
}
