/**
 * JSON Schemas of the relation sides that relation modifications carry. Built from the shared
 * model fragments (fields/fieldSchemas.ts); what is added here is the side: an owning side must
 * hold its storage (joiningColumn / joiningTable), an inverse side its `ownedBy`, and each kind
 * only the keys Contember defines for it.
 */
import { entityNameData, relationSchema } from '../fields/fieldSchemas.js'

const nonEmpty = { type: 'string', minLength: 1 } as const

const kind = (type: string, required: readonly string[], keys: readonly string[], extra: object = {}) => ({
	if: { type: 'object', required: ['type'], properties: { type: { const: type } } },
	then: { required: ['name', 'type', 'target', ...required], propertyNames: { enum: ['name', 'type', 'target', ...required, ...keys] }, ...extra },
})

/** many-has-one, one-has-one owning or many-has-many owning */
export const owningRelationSchema = {
	type: 'object',
	required: ['name', 'type', 'target'],
	properties: { ...relationSchema.properties, type: { type: 'string', enum: ['ManyHasOne', 'OneHasOne', 'ManyHasMany'] } },
	additionalProperties: false,
	allOf: [
		kind('ManyHasOne', ['joiningColumn', 'nullable'], ['inversedBy']),
		kind('OneHasOne', ['joiningColumn', 'nullable'], ['inversedBy', 'orphanRemoval']),
		kind('ManyHasMany', ['joiningTable'], ['inversedBy', 'orderBy']),
	],
} as const

/** one-has-many, one-has-one inverse or many-has-many inverse */
export const inverseRelationSchema = {
	type: 'object',
	required: ['name', 'type', 'target', 'ownedBy'],
	properties: { ...relationSchema.properties, type: { type: 'string', enum: ['OneHasMany', 'OneHasOne', 'ManyHasMany'] } },
	additionalProperties: false,
	allOf: [
		kind('OneHasMany', ['ownedBy'], ['orderBy']),
		// `nullable` is missing in some files written by early Contember versions
		kind('OneHasOne', ['ownedBy'], ['nullable']),
		kind('ManyHasMany', ['ownedBy'], ['orderBy']),
	],
} as const

/** a one-has-many side (the inverse sides of a joining entity) */
export const oneHasManySchema = {
	...inverseRelationSchema,
	properties: { ...inverseRelationSchema.properties, type: { type: 'string', const: 'OneHasMany' } },
} as const

/** `{ entityName, fieldName }` plus more required properties */
export const relationFieldData = (extra: Record<string, object> = {}, required: readonly string[] = []) =>
	entityNameData({ fieldName: nonEmpty, ...extra }, ['fieldName', ...required])
