/**
 * The answers a migration already holds, carried into its amended content (pure).
 *
 * A migration records what its author answered when it was diffed: renames (updateEntityName,
 * updateFieldName — the data is kept) and fill values for rows that exist (`fillValue` /
 * `copyValue` on createColumn, updateColumnDefinition and makeRelationNotNull). The amended
 * content is a fresh diff, which knows none of that: without these answers a rename turns into
 * drop + create and a NOT NULL column loses its fill, on every database but the local one.
 *
 * A conversion (strata's `conversion` on updateColumnDefinition, the USING of a type change) is
 * an answer too, carried the same way to the type change of its field in the amended content.
 *
 * Names move: the target's own later steps and the new edits (the delta) may rename or remove
 * what an answer talks about, so every answer is followed through them to the names the
 * amended diff sees. Column, table and enum renames need no answer: the differ keeps them.
 */
import type { FillAnswer } from '../diff/fills.js'
import { planRenames, type RenameAnswers } from '../diff/renames.js'
import type { Modification } from '../modifications/types.js'
import type { JsonValue, Schema } from '../schema/model.js'
import { own, setOwn } from '../schema/model.js'

/** an entity (field undefined) or one of its fields */
export interface NameRef {
	readonly entity: string
	readonly field?: string
}

/** where `ref` is after `modifications` ran; undefined when one of them removed it */
export const followNames = (ref: NameRef, modifications: readonly Modification[]): NameRef | undefined => {
	let { entity, field } = ref
	for (const mod of modifications) {
		if (mod['entityName'] !== entity) continue
		const onField = field !== undefined && mod['fieldName'] === field
		switch (mod.modification) {
			case 'updateEntityName':
				entity = mod['newEntityName'] as string
				break
			case 'removeEntity':
				return undefined
			case 'updateFieldName':
				if (onField) field = mod['newFieldName'] as string
				break
			case 'removeField':
				if (onField) return undefined
				break
		}
	}
	return field === undefined ? { entity } : { entity, field }
}

export interface CarriedRename {
	/** "Entity" or "Entity.field", as named before the target */
	readonly key: string
	readonly to: string
}

export interface CarriedFill {
	/** "Entity.field" as named after the amendment */
	readonly key: string
	readonly answer: FillAnswer
}

/** an answer the target held that the amended content cannot keep, and why */
export interface DroppedAnswer {
	readonly answer: string
	readonly reason: string
}

const FILL_STEPS = new Set(['createColumn', 'updateColumnDefinition', 'makeRelationNotNull'])

const fieldOfStep = (mod: Modification): string =>
	mod.modification === 'createColumn' ? (mod['field'] as { name: string }).name : (mod['fieldName'] as string)

/** `= "grey"` or `copy from label`, for the preview */
export const describeFill = (answer: FillAnswer) => ('copy' in answer ? `copy from ${answer.copy}` : `= ${JSON.stringify(answer.value)}`)

/**
 * The renames the target made, followed through the rest of the target and the delta: every
 * entity and field of `before` that lives on in `newAfter` under another name. What the target
 * created is not here: in the amended content it is simply created under its final name.
 */
export const carriedRenames = (before: Schema, target: readonly Modification[], delta: readonly Modification[], newAfter: Schema): { renames: CarriedRename[]; dropped: DroppedAnswer[] } => {
	const after = [...target, ...delta]
	const renamedInTarget = (ref: NameRef) => {
		const moved = followNames(ref, target)
		return moved !== undefined && (moved.entity !== ref.entity || moved.field !== ref.field)
	}
	const renames: CarriedRename[] = []
	const dropped: DroppedAnswer[] = []
	for (const entity of Object.values(before.model.entities)) {
		const now = followNames({ entity: entity.name }, after)
		if (now === undefined) continue
		if (now.entity !== entity.name) {
			if (own(newAfter.model.entities, entity.name) || own(before.model.entities, now.entity)) {
				if (renamedInTarget({ entity: entity.name })) dropped.push({ answer: `rename ${entity.name} → ${now.entity}`, reason: `the names ${entity.name} and ${now.entity} are both in use before and after` })
			} else renames.push({ key: entity.name, to: now.entity })
		}
		for (const field of Object.keys(entity.fields)) {
			const moved = followNames({ entity: entity.name, field }, after)
			if (moved?.field === undefined || moved.field === field) continue
			const ref = `${entity.name}.${field}`
			if (own(own(newAfter.model.entities, moved.entity)?.fields, field) || own(entity.fields, moved.field)) {
				if (renamedInTarget({ entity: entity.name, field })) dropped.push({ answer: `rename ${ref} → ${moved.field}`, reason: `${moved.entity} has a field ${field} again, or ${entity.name} already had ${moved.field}` })
			} else renames.push({ key: ref, to: moved.field })
		}
	}
	return { renames, dropped }
}

/**
 * The fill values the target's steps carry, keyed by the names after the amendment. Only steps
 * that still need one in the amended content keep it (`stillMissing`): a column that became
 * nullable or got a default needs none, and a removed one is gone.
 */
export const carriedFills = (target: readonly Modification[], delta: readonly Modification[], newAfter: Schema, stillMissing: ReadonlySet<string>): { fills: CarriedFill[]; dropped: DroppedAnswer[] } => {
	const fills: CarriedFill[] = []
	const dropped: DroppedAnswer[] = []
	target.forEach((mod, index) => {
		if (!FILL_STEPS.has(mod.modification) || (mod['fillValue'] === undefined && mod['copyValue'] === undefined)) return
		const rest = [...target.slice(index + 1), ...delta]
		const entityName = mod['entityName'] as string
		const fieldName = fieldOfStep(mod)
		const original = `${entityName}.${fieldName}`
		const moved = followNames({ entity: entityName, field: fieldName }, rest)
		let answer: FillAnswer = mod['copyValue'] !== undefined ? { copy: mod['copyValue'] as string } : { value: mod['fillValue'] as JsonValue }
		const label = `fill ${original} ${describeFill(answer)}`
		if (moved?.field === undefined) {
			dropped.push({ answer: label, reason: `${original} is removed` })
			return
		}
		const key = `${moved.entity}.${moved.field}`
		if (!stillMissing.has(key)) {
			dropped.push({ answer: label, reason: `${key} needs no value for existing rows any more` })
			return
		}
		if ('copy' in answer) {
			const source = followNames({ entity: entityName, field: answer.copy }, rest)
			if (source?.field === undefined || !own(own(newAfter.model.entities, source.entity)?.fields, source.field)) {
				dropped.push({ answer: label, reason: `the field it copies from, ${entityName}.${answer.copy}, is removed` })
				return
			}
			answer = { copy: source.field }
		}
		fills.push({ key, answer })
	})
	return { fills, dropped }
}

/** whether `answers` can be applied to the diff `original → updated` (the differ's own check) */
export const renamesApply = (original: Schema, updated: Schema, answers: RenameAnswers): string | undefined => {
	try {
		planRenames(original, updated, answers)
		return undefined
	} catch (error) {
		return error instanceof Error ? error.message : String(error)
	}
}

/**
 * Splits rename answers given to amend between the diff that runs locally (current → declared)
 * and the amended content (before → newAfter, which is computed from the former). An answer
 * named as before the target (`--rename Post.lead:abstract` where the target renamed lead to
 * summary) is translated through the target and used locally when it fits there. Entity
 * answers are placed first, as field answers may name the entity by its old name.
 */
export const splitRenameAnswers = (
	given: RenameAnswers,
	target: readonly Modification[],
	local: { readonly original: Schema; readonly updated: Schema },
): { local: Record<string, string | null>; rest: Record<string, string | null> } => {
	const localAnswers: Record<string, string | null> = {}
	const rest: Record<string, string | null> = {}
	const entries = Object.entries(given).sort(([a], [b]) => Number(a.includes('.')) - Number(b.includes('.')))
	for (const [key, to] of entries) {
		if (to === null) {
			// "not a rename" is harmless wherever it does not match a candidate
			setOwn(localAnswers, key, null)
			setOwn(rest, key, null)
			continue
		}
		const dot = key.indexOf('.')
		const moved = followNames(dot < 0 ? { entity: key } : { entity: key.slice(0, dot), field: key.slice(dot + 1) }, target)
		const translated = moved === undefined ? undefined : moved.field === undefined ? moved.entity : `${moved.entity}.${moved.field}`
		const placed = [key, translated].find(it => it !== undefined && renamesApply(local.original, local.updated, { ...localAnswers, [it]: to }) === undefined)
		if (placed !== undefined) setOwn(localAnswers, placed, to)
		else setOwn(rest, key, to)
	}
	return { local: localAnswers, rest }
}

/** the rename answers of the amended diff: the carried ones, overridden by what was given for it */
export const amendedRenameAnswers = (carried: readonly CarriedRename[], given: RenameAnswers): RenameAnswers => ({
	...Object.fromEntries(carried.map(it => [it.key, it.to])),
	...given,
})


export interface CarriedConversion {
	/** "Entity.field" as named after the amendment */
	readonly key: string
	readonly conversion: string
}

/** the target's conversions, each under the name its field has after the target and the delta */
export const carriedConversions = (target: readonly Modification[], delta: readonly Modification[]): { conversions: CarriedConversion[]; dropped: DroppedAnswer[] } => {
	const conversions: CarriedConversion[] = []
	const dropped: DroppedAnswer[] = []
	target.forEach((mod, index) => {
		const conversion = mod['conversion']
		if (mod.modification !== 'updateColumnDefinition' || typeof conversion !== 'string') return
		const original = `${mod['entityName'] as string}.${mod['fieldName'] as string}`
		const moved = followNames({ entity: mod['entityName'] as string, field: mod['fieldName'] as string }, [...target.slice(index + 1), ...delta])
		if (moved?.field === undefined) dropped.push({ answer: `convert ${original} using ${conversion}`, reason: `${original} is removed` })
		else conversions.push({ key: `${moved.entity}.${moved.field}`, conversion })
	})
	return { conversions, dropped }
}
