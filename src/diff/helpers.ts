/** Small pure helpers shared by the differs: equality, typed construction, iteration. */
import type { ModificationId } from '../modifications/registry.js'
import type { Modification } from '../modifications/types.js'
import { canonicalJson } from '../schema/compare.js'
import type { Entity, Field, Schema } from '../schema/model.js'

/** structural equality, object key order ignored (undefined-valued keys count as absent) */
export const same = (a: unknown, b: unknown): boolean => a === b || canonicalJson(a) === canonicalJson(b)

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

/** entities present on both sides, in the declared schema's order */
export function* commonEntities(current: Schema, updated: Schema): Generator<[Entity, Entity]> {
	for (const [name, entity] of Object.entries(updated.model.entities)) {
		const before = current.model.entities[name]
		if (before) yield [before, entity]
	}
}

/** fields present on both sides of entities present on both sides, in declared order */
export function* commonFields(current: Schema, updated: Schema): Generator<[Entity, Field, Field]> {
	for (const [before, after] of commonEntities(current, updated)) {
		for (const [name, field] of Object.entries(after.fields)) {
			const old = before.fields[name]
			if (old) yield [after, old, field]
		}
	}
}

export const isViewEntity = (entity: Entity): boolean => entity.view !== undefined
