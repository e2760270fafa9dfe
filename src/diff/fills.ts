/**
 * Fill values: a NOT NULL column added to a table that already exists, or a column or
 * relation turned NOT NULL, fails on the first row holding NULL unless the migration says what
 * to write there (`fillValue`) or where to copy it from (`copyValue`, another field). The
 * differ only fills from a declared `default`; the rest comes from the user as FillAnswers.
 */
import { InternalError, StrataError } from '../errors.js'
import { applyModification } from '../modifications/fold.js'
import { getModificationHandler } from '../modifications/registry.js'
import type { Modification } from '../modifications/types.js'
import { withTransientEntities } from '../modifications/updaters.js'
import { FORMAT_VERSION_LATEST } from '../modifications/versions.js'
import type { Column, ColumnType, JsonValue, Relation, Schema } from '../schema/model.js'
import { isColumn, own } from '../schema/model.js'

/** "Entity.field" → what fills existing rows */
export type FillAnswers = Readonly<Record<string, FillAnswer>>
export type FillAnswer = { readonly value: JsonValue } | { readonly copy: string }

export interface MissingFill {
	/** "Entity.field", the key of FillAnswers */
	readonly key: string
	readonly entityName: string
	readonly fieldName: string
	readonly modification: 'createColumn' | 'updateColumnDefinition' | 'makeRelationNotNull'
	/** the column as declared (what a fill value must fit), or the relation */
	readonly field: Column | Relation
	/** false when the modification cannot carry a fill value (strata warns instead of asking) */
	readonly fillable: boolean
	readonly message: string
}

const fieldKey = (entityName: string, fieldName: string) => `${entityName}.${fieldName}`

/** makeRelationNotNull carries a fill value only if its handler accepts one */
export const relationFillSupported = (): boolean => {
	const schema = getModificationHandler('makeRelationNotNull').dataSchema as { properties?: Record<string, unknown> }
	return schema.properties?.['fillValue'] !== undefined
}

const seeded = (mod: Modification) => mod['fillValue'] !== undefined || mod['copyValue'] !== undefined

const answerData = (answer: FillAnswer | undefined): Record<string, unknown> =>
	answer === undefined ? {} : 'copy' in answer ? { copyValue: answer.copy } : { fillValue: answer.value }

/** the modifications with the answered fill values attached (nothing else changes) */
export const attachFills = (modifications: readonly Modification[], answers: FillAnswers): Modification[] =>
	modifications.map(mod => {
		if (seeded(mod)) return mod
		const id = mod.modification
		if (id !== 'createColumn' && id !== 'updateColumnDefinition' && id !== 'makeRelationNotNull') return mod
		const entityName = mod['entityName'] as string
		const fieldName = id === 'createColumn' ? (mod['field'] as Column).name : (mod['fieldName'] as string)
		const answer = own(answers, fieldKey(entityName, fieldName))
		if (answer === undefined) return mod
		if (id === 'makeRelationNotNull' && !relationFillSupported()) return mod
		return { ...mod, ...answerData(answer) }
	})

/**
 * Replays `modifications` on `original` (the round trip's replay) and lists every NOT NULL
 * step that has no fill value and would meet existing rows.
 */
export const findMissingFills = (original: Schema, modifications: readonly Modification[]): { missing: MissingFill[]; schema: Schema } =>
	// one copy of the entities record for the whole replay, not one per modification (checkStep only reads the current schema)
	withTransientEntities(() => missingFillsOf(original, modifications))

const missingFillsOf = (original: Schema, modifications: readonly Modification[]): { missing: MissingFill[]; schema: Schema } => {
	const missing: MissingFill[] = []
	const created = new Set<string>()
	let schema = original
	modifications.forEach((mod, index) => {
		const entityName = mod['entityName'] as string | undefined
		const existing = entityName !== undefined && !created.has(entityName)
		if (existing && !seeded(mod)) {
			const found = checkStep(schema, mod, entityName)
			if (found) missing.push(found)
		}
		if (mod.modification === 'createEntity' || mod.modification === 'createView') created.add((mod['entity'] as { name: string }).name)
		try {
			schema = applyModification(schema, mod, FORMAT_VERSION_LATEST)
		} catch (error) {
			throw new InternalError(`Replaying the generated modification #${index} (${mod.modification}) failed: ${(error as Error).message}`, { cause: error })
		}
	})
	return { missing, schema }
}

const checkStep = (schema: Schema, mod: Modification, entityName: string): MissingFill | undefined => {
	const entity = own(schema.model.entities, entityName)
	if (!entity || entity.view) return undefined
	if (mod.modification === 'createColumn') {
		const field = mod['field'] as Column
		if (field.nullable || field.sequence) return undefined
		return {
			key: fieldKey(entityName, field.name), entityName, fieldName: field.name, modification: 'createColumn', field, fillable: true,
			message: `New column ${entityName}.${field.name} is NOT NULL and has no default: existing rows of "${entity.tableName}" need a value`,
		}
	}
	if (mod.modification === 'updateColumnDefinition') {
		const fieldName = mod['fieldName'] as string
		const before = own(entity.fields, fieldName)
		const definition = mod['definition'] as Omit<Column, 'name' | 'columnName'>
		if (!before || !isColumn(before) || !before.nullable || definition.nullable || definition.sequence) return undefined
		return {
			key: fieldKey(entityName, fieldName), entityName, fieldName, modification: 'updateColumnDefinition',
			field: { ...before, ...definition }, fillable: true,
			message: `Column ${entityName}.${fieldName} becomes NOT NULL: rows of "${entity.tableName}" holding NULL need a value`,
		}
	}
	if (mod.modification === 'makeRelationNotNull') {
		const fieldName = mod['fieldName'] as string
		const field = own(entity.fields, fieldName)
		if (!field || isColumn(field) || !('joiningColumn' in field)) return undefined
		const fillable = relationFillSupported()
		return {
			key: fieldKey(entityName, fieldName), entityName, fieldName, modification: 'makeRelationNotNull', field, fillable,
			message: `Relation ${entityName}.${fieldName} becomes NOT NULL: rows of "${entity.tableName}" without a ${field.target} need one${
				fillable ? '' : ' (makeRelationNotNull cannot carry a fill value: set the rows before running the migration)'
			}`,
		}
	}
	return undefined
}

/** what a copy reads or writes: the column's type, or for a relation the type of its target's primary column */
export interface CopyType {
	readonly type: ColumnType
	/** the SQL type; for an Enum the enum's name */
	readonly columnType: string
	readonly list: boolean
}

/**
 * The casts PostgreSQL performs for any value of the source type (besides the same type and
 * anything → text): copyValue is written as `"source"::<target type>`, and these are the
 * pg_cast entries among strata's types that convert a value without parsing its content.
 * Left out on purpose: text → anything and jsonb → number/boolean (explicit casts that parse, so
 * they fail on the first row that does not parse), enum → another enum (enums are text domains with a
 * CHECK, so that cast succeeds only for shared values), uuid → anything but text, date ↔ time and
 * time → timestamptz (no cast at all). Narrowing number casts round and fail only out of range.
 */
const CONVERTS_TO: Readonly<Record<ColumnType, readonly ColumnType[]>> = {
	Uuid: [],
	String: [],
	Integer: ['Double', 'Numeric', 'Bool'],
	Double: ['Integer', 'Numeric'],
	Numeric: ['Integer', 'Double'],
	Bool: ['Integer'],
	DateTime: ['Date', 'Time'],
	Date: ['DateTime'],
	Time: [],
	Json: [],
	Enum: [],
}

/** whether `"source"::<target type>` succeeds for every row (see CONVERTS_TO) */
export const canCopy = (source: CopyType, target: CopyType): boolean => {
	// every value, a list too, has a text form (an I/O cast PostgreSQL even applies on assignment)
	if (target.type === 'String' && !target.list) return true
	if (source.list !== target.list) return false
	if (source.type === 'Enum' || target.type === 'Enum') return source.type === target.type && source.columnType === target.columnType
	// lists: only the same element type (array casts would convert element-wise, but strata keeps it simple and exact)
	if (source.list) return source.type === target.type
	return source.type === target.type || CONVERTS_TO[source.type].includes(target.type)
}

const primaryCopyType = (schema: Schema, entityName: string): CopyType | undefined => {
	const entity = own(schema.model.entities, entityName)
	const primary = entity && own(entity.fields, entity.primary)
	return primary && isColumn(primary) ? { type: primary.type, columnType: primary.columnType, list: false } : undefined
}

/** the copy type of a field, undefined for a field without its own column */
export const copyTypeOf = (schema: Schema, field: Column | Relation): CopyType | undefined => {
	if (isColumn(field)) return { type: field.type, columnType: field.columnType, list: field.list ?? false }
	return 'joiningColumn' in field ? primaryCopyType(schema, field.target) : undefined
}

/**
 * The fields of the same row that `missing` can be copied from, in `schema` (the declared one):
 * columns and joining-column relations whose type PostgreSQL converts into the target's (canCopy).
 */
export const copyCandidates = (missing: MissingFill, schema: Schema): (Column | Relation)[] => {
	const entity = own(schema.model.entities, missing.entityName)
	const target = copyTypeOf(schema, missing.field)
	if (!entity || !target) return []
	return Object.values(entity.fields).filter(field => {
		if (field.name === missing.fieldName) return false
		const source = copyTypeOf(schema, field)
		return source !== undefined && canCopy(source, target)
	})
}

/** `--copy` answers checked like the terminal's choices: the source must be a copy candidate */
export const checkCopyAnswers = (answers: FillAnswers, missing: readonly MissingFill[], schema: Schema): void => {
	for (const [key, answer] of Object.entries(answers)) {
		if (!('copy' in answer)) continue
		const target = missing.find(it => it.key === key)
		if (!target) continue
		const candidates = copyCandidates(target, schema).map(it => it.name)
		if (candidates.includes(answer.copy)) continue
		const field = own(own(schema.model.entities, target.entityName)?.fields, answer.copy)
		const why = !field ? `${target.entityName} has no field "${answer.copy}"` : `${target.entityName}.${answer.copy} cannot be copied into ${key} (PostgreSQL has no cast that converts every value of its type into the target's)`
		throw new StrataError('INVALID_FILL', `--copy ${key}=${answer.copy}: ${why}. ${candidates.length ? `It can be copied from ${candidates.join(', ')}.` : 'No field of the same row can be copied into it; use --fill.'}`)
	}
}

/** how a seeded step fills existing rows, for the preview; undefined when it is not seeded */
export const describeFill = (mod: Modification): string | undefined => {
	if (mod['copyValue'] !== undefined) return `existing rows are filled from ${String(mod['entityName'])}.${String(mod['copyValue'])}`
	if (mod['fillValue'] !== undefined) return `existing rows are filled with ${JSON.stringify(mod['fillValue'])}`
	return undefined
}
