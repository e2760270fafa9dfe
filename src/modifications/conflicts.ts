/**
 * Conflicts between a modification and the schema it is applied to: creating an entity, view,
 * field, enum, unique constraint or index that already exists, or removing or changing one that
 * does not. Contember overwrites silently in the first case, so a history can replay while a
 * fresh database fails (42701 "column already exists"); strata refuses both, with an error that
 * says which object is meant, so replay can name the migration that created (or removed) it.
 *
 * Tolerating an "already exists" conflict (Contember's overwrite: the later definition wins) is
 * possible only inside `withToleratedConflicts`, which replay opens for a migration whose
 * `skippedErrors` name the conflict.
 */
import { ModificationApplyError } from '../errors.js'
import type { Index, Schema, UniqueConstraint } from '../schema/model.js'
import type { ReplayConflictCode } from '../schema/validation/codes.js'
import { indexIdentityKeys } from './indexes/indexShared.js'
import { deepEqual } from './updaters.js'
import { own } from '../schema/model.js'

/** Stable codes of the two conflicts (documented in replayConflictCodes), as replay reports them and `skippedErrors` may name them. */
export const ConflictCode = {
	exists: 'REPLAY_OBJECT_EXISTS',
	missing: 'REPLAY_OBJECT_MISSING',
} as const satisfies Record<string, ReplayConflictCode>

export type SchemaObject =
	| { readonly kind: 'entity' | 'view'; readonly entityName: string }
	| { readonly kind: 'field'; readonly entityName: string; readonly fieldName: string }
	| { readonly kind: 'enum'; readonly enumName: string }
	| { readonly kind: 'unique'; readonly entityName: string; readonly unique: UniqueConstraint }
	| { readonly kind: 'index'; readonly entityName: string; readonly index: Index }

const withoutName = <T extends { readonly name?: string }>({ name: _name, ...rest }: T) => rest

/** a unique constraint is identified by its definition; its stored `name` (legacy) does not count */
export const sameUnique = (a: UniqueConstraint, b: UniqueConstraint): boolean => deepEqual(withoutName(a), withoutName(b))

/** an index is identified by what removeIndex matches on: everything but `name` */
export const sameIndex = (a: Index, b: Index): boolean => indexIdentityKeys.every(key => deepEqual(a[key], b[key]))

export const objectExists = (schema: Schema, object: SchemaObject): boolean => {
	if (object.kind === 'enum') return own(schema.model.enums, object.enumName) !== undefined
	const entity = own(schema.model.entities, object.entityName)
	if (!entity) return false
	switch (object.kind) {
		case 'entity':
		case 'view':
			return true
		case 'field':
			return own(entity.fields, object.fieldName) !== undefined
		case 'unique':
			return entity.unique.some(it => sameUnique(it, object.unique))
		case 'index':
			return entity.indexes.some(it => sameIndex(it, object.index))
	}
}

/** "field Tag.weight", "unique constraint on Tag (a, b)" */
export const objectLabel = (object: SchemaObject): string => {
	switch (object.kind) {
		case 'entity':
		case 'view':
			return `${object.kind} ${object.entityName}`
		case 'field':
			return `field ${object.entityName}.${object.fieldName}`
		case 'enum':
			return `enum ${object.enumName}`
		case 'unique':
			return `${object.unique.index ? 'unique index' : 'unique constraint'} on ${object.entityName} (${object.unique.fields.join(', ')})`
		case 'index':
			return `index on ${object.entityName} (${object.index.fields.join(', ')})${object.index.where !== undefined ? ' (partial)' : ''}`
	}
}

/** the dotted schema path a `skippedErrors` entry names: `model.entities.Tag.fields.weight`, `model.entities.Tag.unique` */
export const objectPath = (object: SchemaObject): string => {
	switch (object.kind) {
		case 'entity':
		case 'view':
			return `model.entities.${object.entityName}`
		case 'field':
			return `model.entities.${object.entityName}.fields.${object.fieldName}`
		case 'enum':
			return `model.enums.${object.enumName}`
		case 'unique':
			return `model.entities.${object.entityName}.unique`
		case 'index':
			return `model.entities.${object.entityName}.indexes`
	}
}

/** The modification would create `object`, which already exists. */
export class SchemaObjectExistsError extends ModificationApplyError {
	readonly conflictCode = ConflictCode.exists
	constructor(readonly object: SchemaObject, message = `${capitalised(objectLabel(object))} already exists`) {
		super(message)
	}
}

/** The modification removes or changes `object`, which does not exist. */
export class SchemaObjectMissingError extends ModificationApplyError {
	readonly conflictCode = ConflictCode.missing
	constructor(readonly object: SchemaObject, message = `${capitalised(objectLabel(object))} not found`) {
		super(message)
	}
}

export type SchemaConflictError = SchemaObjectExistsError | SchemaObjectMissingError

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/**
 * `list` with `item` appended, where `exists` says whether an equal one was there already (a
 * tolerated conflict): then the equal ones are replaced, so the list holds no duplicate.
 */
export const appendOrReplace = <T>(list: readonly T[], item: T, same: (a: T, b: T) => boolean, exists: boolean): T[] =>
	exists ? list.map(it => (same(it, item) ? item : it)) : [...list, item]

let tolerated: ((object: SchemaObject) => boolean) | undefined

/** Runs `run` with the "already exists" conflicts `tolerate` accepts resolved as Contember does: the new definition wins. */
export const withToleratedConflicts = <T>(tolerate: (object: SchemaObject) => boolean, run: () => T): T => {
	const outer = tolerated
	tolerated = tolerate
	try {
		return run()
	} finally {
		tolerated = outer
	}
}

/**
 * Throws SchemaObjectExistsError when `object` exists in `schema`, unless the conflict is
 * tolerated; returns whether it existed (a tolerated duplicate unique/index replaces the old one).
 */
export const refuseExisting = (schema: Schema, object: SchemaObject, message?: string): boolean => {
	if (!objectExists(schema, object)) return false
	if (tolerated?.(object)) return true
	throw new SchemaObjectExistsError(object, message)
}
