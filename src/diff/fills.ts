/**
 * Fill values: a NOT NULL column added to a table that already exists, or a column or
 * relation turned NOT NULL, fails on the first row holding NULL unless the migration says what
 * to write there (`fillValue`) or where to copy it from (`copyValue`, another field). The
 * differ only fills from a declared `default`; the rest comes from the user as FillAnswers.
 */
import { InternalError } from '../errors.js'
import { applyModification } from '../modifications/fold.js'
import { getModificationHandler } from '../modifications/registry.js'
import type { Modification } from '../modifications/types.js'
import { FORMAT_VERSION_LATEST } from '../modifications/versions.js'
import type { Column, JsonValue, Relation, Schema } from '../schema/model.js'
import { isColumn } from '../schema/model.js'

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
		const answer = answers[fieldKey(entityName, fieldName)]
		if (answer === undefined) return mod
		if (id === 'makeRelationNotNull' && !relationFillSupported()) return mod
		return { ...mod, ...answerData(answer) }
	})

/**
 * Replays `modifications` on `original` (the round trip's replay) and lists every NOT NULL
 * step that has no fill value and would meet existing rows.
 */
export const findMissingFills = (original: Schema, modifications: readonly Modification[]): { missing: MissingFill[]; schema: Schema } => {
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
	const entity = schema.model.entities[entityName]
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
		const before = entity.fields[fieldName]
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
		const field = entity.fields[fieldName]
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
