/**
 * Rename detection. A removed and an added entity with similar fields, or a removed and an
 * added field of the same entity with the same shape, may be one thing renamed: diffed as
 * drop + create it would lose its data. Candidates are found here; whether they are renames
 * comes from RenameAnswers (flags, an answers file, or questions asked through a
 * RenameResolver). Unanswered candidates stay drop + create, as Contember does.
 *
 * Enums need no question: a renamed enum is diffed as createEnum + updateColumnDefinition of
 * each column (a domain-to-domain retype over text, which keeps the values) + removeEnum.
 */
import { StrataError } from '../errors.js'
import { applyModifications } from '../modifications/fold.js'
import type { Modification } from '../modifications/types.js'
import { FORMAT_VERSION_LATEST } from '../modifications/versions.js'
import { type Entity, type Field, hasJoiningColumn, isColumn, isRelation, own, type Schema, setOwn } from '../schema/model.js'
import { modification } from './helpers.js'

export interface RenameCandidate {
	readonly kind: 'entity' | 'field'
	/** for fields: the entity (its declared name) */
	readonly entityName?: string
	/** the removed entity or field */
	readonly from: string
	/** the added entities or fields it may have become, most similar first */
	readonly to: readonly string[]
}

/** "Entity" or "Entity.field": the key answers use */
export const candidateKey = (candidate: Pick<RenameCandidate, 'kind' | 'entityName' | 'from'>): string =>
	candidate.kind === 'entity' ? candidate.from : `${candidate.entityName}.${candidate.from}`

/**
 * `{ "Author": "Writer", "Post.title": "headline", "Post.body": null }`: key = removed entity or
 * "Entity.oldField" (Entity as declared now), value = new name, or null for "really drop it".
 */
export type RenameAnswers = Readonly<Record<string, string | null>>

/** asks about one candidate; resolves to the chosen new name or null (drop + create) */
export interface RenameResolver {
	resolve(candidate: RenameCandidate): Promise<string | null | undefined>
}

/** scripted answers (flags, answers file, tests) */
export const answersResolver = (answers: RenameAnswers): RenameResolver => ({
	resolve: async candidate => own(answers, candidateKey(candidate)),
})

// ---------------------------------------------------------------------------------------------
// similarity

/** what must match for two fields to be the same data under another name */
const fieldShape = (field: Field): string => {
	if (isColumn(field)) return JSON.stringify(['column', field.type, field.type === 'Enum' ? '' : field.columnType, field.list ?? false])
	const owning = 'joiningColumn' in field ? 'column' : 'joiningTable' in field ? 'table' : 'inverse'
	return JSON.stringify(['relation', field.type, field.target, owning])
}

const entitySimilarity = (a: Entity, b: Entity): number => {
	if ((a.view === undefined) !== (b.view === undefined)) return 0
	const shapes = new Map<string, number>()
	for (const field of Object.values(a.fields)) shapes.set(fieldShape(field), (shapes.get(fieldShape(field)) ?? 0) + 1)
	let common = 0
	for (const field of Object.values(b.fields)) {
		const left = shapes.get(fieldShape(field)) ?? 0
		if (left > 0) {
			common++
			shapes.set(fieldShape(field), left - 1)
		}
	}
	return common / Math.max(Object.keys(a.fields).length, Object.keys(b.fields).length, 1)
}

const ENTITY_SIMILARITY = 0.5

export const findEntityRenameCandidates = (original: Schema, updated: Schema): RenameCandidate[] => {
	const added = Object.values(updated.model.entities).filter(it => !own(original.model.entities, it.name))
	if (added.length === 0) return []
	return Object.values(original.model.entities)
		.filter(it => !own(updated.model.entities, it.name))
		.map(removed => ({
			kind: 'entity' as const,
			from: removed.name,
			to: added
				.map(it => ({ name: it.name, score: entitySimilarity(removed, it) }))
				.filter(it => it.score >= ENTITY_SIMILARITY)
				.sort((a, b) => b.score - a.score)
				.map(it => it.name),
		}))
		.filter(it => it.to.length > 0)
}

export const findFieldRenameCandidates = (current: Schema, updated: Schema): RenameCandidate[] => {
	const out: RenameCandidate[] = []
	for (const after of Object.values(updated.model.entities)) {
		const before = own(current.model.entities, after.name)
		if (!before) continue
		const added = Object.values(after.fields).filter(it => !own(before.fields, it.name))
		if (added.length === 0) continue
		for (const removed of Object.values(before.fields)) {
			if (own(after.fields, removed.name)) continue
			const to = added.filter(it => fieldShape(it) === fieldShape(removed)).map(it => it.name)
			if (to.length > 0) out.push({ kind: 'field', entityName: after.name, from: removed.name, to })
		}
	}
	return out
}

/**
 * Removed and added enums sharing at least half of their values. Informational only: the diff
 * already keeps their data (createEnum, columns retyped, removeEnum), so nothing is asked.
 */
export const findEnumRenames = (original: Schema, updated: Schema): { from: string; to: string }[] => {
	const added = Object.entries(updated.model.enums).filter(([name]) => own(original.model.enums, name) === undefined)
	if (added.length === 0) return []
	const out: { from: string; to: string }[] = []
	for (const [from, values] of Object.entries(original.model.enums)) {
		if (own(updated.model.enums, from) !== undefined) continue
		const known = new Set(values)
		const best = added
			.map(([name, next]) => ({ name, score: next.filter(it => known.has(it)).length / Math.max(values.length, next.length, 1) }))
			.filter(it => it.score >= 0.5)
			.sort((a, b) => b.score - a.score)[0]
		if (best) out.push({ from, to: best.name })
	}
	return out
}

// ---------------------------------------------------------------------------------------------
// applying answers

const invalidAnswer = (key: string, to: string, why: string) =>
	new StrataError('INVALID_RENAME', `Rename ${key} → ${to} is not possible: ${why}.`)

const renameEntity = (original: Schema, updated: Schema, from: string, to: string): Modification => {
	const before = own(original.model.entities, from)
	const after = own(updated.model.entities, to)
	if (!before || own(updated.model.entities, from)) throw invalidAnswer(from, to, `${from} is not an entity the declared schema removes`)
	if (!after || own(original.model.entities, to)) throw invalidAnswer(from, to, `${to} is not an entity the declared schema adds`)
	return modification('updateEntityName', {
		entityName: from,
		newEntityName: to,
		tableName: before.tableName !== after.tableName ? after.tableName : undefined,
	})
}

const columnNameOf = (field: Field): string | undefined =>
	isColumn(field) ? field.columnName : hasJoiningColumn(field) ? field.joiningColumn.columnName : undefined

const renameField = (current: Schema, updated: Schema, entityName: string, from: string, to: string): Modification => {
	const key = `${entityName}.${from}`
	const before = own(own(current.model.entities, entityName)?.fields, from)
	const after = own(own(updated.model.entities, entityName)?.fields, to)
	if (!before || own(own(updated.model.entities, entityName)?.fields, from)) throw invalidAnswer(key, to, `${key} is not a field the declared schema removes`)
	if (!after || own(own(current.model.entities, entityName)?.fields, to)) throw invalidAnswer(key, to, `${entityName}.${to} is not a field the declared schema adds`)
	if (isRelation(before) !== isRelation(after)) throw invalidAnswer(key, to, 'a column cannot become a relation (or back) by renaming')
	const oldColumn = columnNameOf(before)
	const newColumn = columnNameOf(after)
	return modification('updateFieldName', {
		entityName,
		fieldName: from,
		newFieldName: to,
		columnName: oldColumn !== undefined && newColumn !== undefined && oldColumn !== newColumn ? newColumn : undefined,
	})
}

export interface RenamePlan {
	readonly modifications: Modification[]
	/** `original` with the renames applied: where the differ list starts */
	readonly schema: Schema
	readonly applied: RenameCandidate[]
	readonly unanswered: RenameCandidate[]
}

/** field answers may name the entity by its old or its new name */
const fieldAnswer = (answers: RenameAnswers, entityRenames: ReadonlyMap<string, string>, entityName: string, field: string) => {
	const direct = own(answers, `${entityName}.${field}`)
	if (direct !== undefined) return direct
	for (const [from, to] of entityRenames) if (to === entityName && own(answers, `${from}.${field}`) !== undefined) return own(answers, `${from}.${field}`)
	return undefined
}

export const planRenames = (original: Schema, updated: Schema, answers: RenameAnswers): RenamePlan => {
	const applied: RenameCandidate[] = []
	const unanswered: RenameCandidate[] = []
	const entityRenames = new Map<string, string>()
	const modifications: Modification[] = []

	const entityCandidates = new Map(findEntityRenameCandidates(original, updated).map(it => [it.from, it]))
	for (const [key, to] of Object.entries(answers)) {
		if (key.includes('.') || to === null) continue
		if (!own(original.model.entities, key) && !own(updated.model.entities, key)) continue // an enum or a stale answer
		modifications.push(renameEntity(original, updated, key, to))
		entityRenames.set(key, to)
		applied.push(entityCandidates.get(key) ?? { kind: 'entity', from: key, to: [to] })
	}
	for (const candidate of entityCandidates.values()) {
		if (own(answers, candidate.from) === undefined) unanswered.push(candidate)
	}
	let schema = modifications.length > 0 ? applyModifications(original, modifications, FORMAT_VERSION_LATEST) : original

	const fieldMods: Modification[] = []
	const fieldCandidates = findFieldRenameCandidates(schema, updated)
	const claimed = new Set<string>()
	for (const candidate of fieldCandidates) {
		const entityName = candidate.entityName!
		const to = fieldAnswer(answers, entityRenames, entityName, candidate.from)
		if (to === undefined) unanswered.push(candidate)
		if (typeof to !== 'string') continue
		claimed.add(`${entityName}.${candidate.from}`)
		fieldMods.push(renameField(schema, updated, entityName, candidate.from, to))
		applied.push({ ...candidate, to: [to] })
	}
	// answers for pairs the detector did not propose (e.g. a rename with a type change)
	for (const [key, to] of Object.entries(answers)) {
		const dot = key.indexOf('.')
		if (dot < 0 || typeof to !== 'string') continue
		const entityName = entityRenames.get(key.slice(0, dot)) ?? key.slice(0, dot)
		const from = key.slice(dot + 1)
		if (claimed.has(`${entityName}.${from}`)) continue
		if (fieldCandidates.some(it => it.entityName === entityName && it.from === from)) continue
		fieldMods.push(renameField(schema, updated, entityName, from, to))
		applied.push({ kind: 'field', entityName, from, to: [to] })
	}
	if (fieldMods.length > 0) {
		schema = applyModifications(schema, fieldMods, FORMAT_VERSION_LATEST)
		modifications.push(...fieldMods)
	}
	return { modifications, schema, applied, unanswered }
}

/**
 * Asks `resolver` about every candidate (entities first: field candidates are looked for
 * inside renamed entities too) and returns the answers, ready for diffSchemas. `given`
 * answers are kept and not asked again.
 */
export const resolveRenames = async (original: Schema, updated: Schema, resolver: RenameResolver, given: RenameAnswers = {}): Promise<RenameAnswers> => {
	const answers: Record<string, string | null> = { ...given }
	for (const candidate of findEntityRenameCandidates(original, updated)) {
		if (own(answers, candidate.from) !== undefined) continue
		const answer = await resolver.resolve(candidate)
		if (answer !== undefined) setOwn(answers, candidate.from, answer)
	}
	const afterEntities = planRenames(original, updated, Object.fromEntries(Object.entries(answers).filter(([key]) => !key.includes('.'))))
	const taken = new Set<string>()
	for (const candidate of findFieldRenameCandidates(afterEntities.schema, updated)) {
		const key = candidateKey(candidate)
		if (own(answers, key) !== undefined) continue
		const open = { ...candidate, to: candidate.to.filter(it => !taken.has(`${candidate.entityName}.${it}`)) }
		if (open.to.length === 0) continue
		const answer = await resolver.resolve(open)
		if (answer !== undefined) setOwn(answers, key, answer)
		if (typeof answer === 'string') taken.add(`${candidate.entityName}.${answer}`)
	}
	return answers
}
