/**
 * ACL rewrites that follow model changes (format version ≥ 2): renaming or removing an entity or
 * a field renames or removes its permission keys, its entity-typed role variables and the parts
 * of row-level predicates that go through it. Predicates are walked with the model *before* the
 * change, following relations to their target entity, so nested paths (`post.user.id`) are found.
 */
import type { AclSchema, Entity, Field, JsonObject, JsonValue, Model, Schema } from '../../schema/model.js'
import { isRelation } from '../../schema/model.js'
import { own } from '../../schema/model.js'

export const isPlainObject = (value: unknown): value is JsonObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value)

/** what happens to one predicate key: keep it, rename it, or drop it (`null`) */
type FieldDecision = (entity: Entity, key: string, field: Field) => string | null

const walkPredicate = (model: Model, entity: Entity | undefined, where: JsonValue, decide: FieldDecision): JsonValue => {
	if (!isPlainObject(where)) return where
	// assigned by key below: a `__proto__` key must stay a key, not become the prototype
	const out: JsonObject = Object.create(null) as JsonObject
	for (const [key, value] of Object.entries(where)) {
		if (key === 'and' || key === 'or') {
			out[key] = Array.isArray(value) ? value.map(it => walkPredicate(model, entity, it, decide)) : value
			continue
		}
		if (key === 'not') {
			out[key] = walkPredicate(model, entity, value, decide)
			continue
		}
		const field = own(entity?.fields, key)
		if (!entity || !field) {
			out[key] = value
			continue
		}
		const next = isRelation(field) && isPlainObject(value) ? walkPredicate(model, own(model.entities, field.target), value, decide) : value
		const newKey = decide(entity, key, field)
		if (newKey !== null) out[newKey] = next
	}
	return out
}

const mapRoles = (acl: AclSchema, update: (role: JsonObject) => JsonObject): AclSchema => ({
	...acl,
	roles: Object.fromEntries(Object.entries(acl.roles).map(([name, role]) => [name, isPlainObject(role) ? update(role) : role])),
})

const mapObject = (value: JsonValue | undefined, update: (key: string, item: JsonValue) => [string, JsonValue] | null): JsonObject | undefined => {
	if (!isPlainObject(value)) return undefined
	const out: JsonObject = {}
	for (const [key, item] of Object.entries(value)) {
		const mapped = update(key, item)
		if (mapped) out[mapped[0]] = mapped[1]
	}
	return out
}

/** role.entities[*].predicates[*] through `decide`; field keys of `entityName`'s operations through `operationKey` */
const rewriteRole = (
	model: Model,
	role: JsonObject,
	decide: FieldDecision,
	operationKey?: { entityName: string; map: (fieldName: string) => string | null },
): JsonObject => {
	const entities = mapObject(role.entities, (entityName, permissions) => {
		if (!isPlainObject(permissions)) return [entityName, permissions]
		const entity = own(model.entities, entityName)
		let next: JsonObject = permissions
		const predicates = mapObject(permissions.predicates, (name, predicate) => [name, walkPredicate(model, entity, predicate, decide)])
		if (predicates) next = { ...next, predicates }
		if (operationKey && operationKey.entityName === entityName) {
			const operations = mapObject(permissions.operations, (operation, value) => {
				if (!['read', 'create', 'update'].includes(operation) || !isPlainObject(value)) return [operation, value]
				return [
					operation,
					mapObject(value, (fieldName, ref) => {
						const key = operationKey.map(fieldName)
						return key === null ? null : [key, ref]
					})!,
				]
			})
			if (operations) next = { ...next, operations }
		}
		return [entityName, next]
	})
	return entities ? { ...role, entities } : role
}

const isEntityVariable = (value: JsonValue, entityName: string) =>
	isPlainObject(value) && value.type === 'entity' && value.entityName === entityName

export const renameFieldInAcl = (schema: Schema, entityName: string, from: string, to: string): Schema => ({
	...schema,
	acl: mapRoles(schema.acl, role =>
		rewriteRole(schema.model, role, (entity, key) => (entity.name === entityName && key === from ? to : key), {
			entityName,
			map: fieldName => (fieldName === from ? to : fieldName),
		})),
})

export const removeFieldFromAcl = (schema: Schema, entityName: string, fieldName: string): Schema => ({
	...schema,
	acl: mapRoles(schema.acl, role =>
		rewriteRole(schema.model, role, (entity, key) => (entity.name === entityName && key === fieldName ? null : key), {
			entityName,
			map: name => (name === fieldName ? null : name),
		})),
})

export const renameEntityInAcl = (schema: Schema, from: string, to: string): Schema => ({
	...schema,
	acl: mapRoles(schema.acl, role => {
		let next = role
		const entities = mapObject(role.entities, (name, permissions) => [name === from ? to : name, permissions])
		if (entities) next = { ...next, entities }
		const variables = mapObject(role.variables, (name, variable) =>
			[name, isEntityVariable(variable, from) ? { ...(variable as JsonObject), entityName: to } : variable])
		if (variables) next = { ...next, variables }
		return next
	}),
})

export const removeEntityFromAcl = (schema: Schema, entityName: string): Schema => ({
	...schema,
	acl: mapRoles(schema.acl, role => {
		let next = role
		const variables = mapObject(role.variables, (name, variable) => (isEntityVariable(variable, entityName) ? null : [name, variable]))
		if (variables) next = { ...next, variables }
		const entities = mapObject(next.entities, (name, permissions) => (name === entityName ? null : [name, permissions]))
		if (entities) next = { ...next, entities }
		return rewriteRole(schema.model, next, (_entity, key, field) => (isRelation(field) && field.target === entityName ? null : key))
	}),
})
