/**
 * The modifications that build a schema's model from the empty schema, the way a first
 * migration would: enums, tables with their primary column, columns, relations between tables,
 * views (with all their fields, dependencies first), inverse sides owned by views, then unique
 * constraints and indexes. SQLRUN's suites run its SQL to put `original` into a real database.
 *
 * Non-model parts are left out: they emit no SQL. The suites check that the result replays to
 * the model it came from, so a fixture this helper cannot express fails loudly.
 */
import type { Modification } from '../../src/modifications/types.js'
import {
	type Entity,
	type Field,
	isColumn,
	isOwningRelation,
	type Schema,
} from '../../src/schema/model.js'

const isView = (entity: Entity) => entity.view !== undefined

const withoutFieldsAndConstraints = (entity: Entity, fields: Entity['fields']): Entity => ({ ...entity, fields, unique: [], indexes: [] })

/** views in an order where each comes after the views it depends on */
const viewsInDependencyOrder = (schema: Schema): Entity[] => {
	const entities = schema.model.entities
	const ordered: Entity[] = []
	const seen = new Set<string>()
	const visit = (entity: Entity) => {
		if (seen.has(entity.name)) return
		seen.add(entity.name)
		for (const dependency of entity.view?.dependencies ?? []) {
			const target = entities[dependency]
			if (target && isView(target)) visit(target)
		}
		ordered.push(entity)
	}
	Object.values(entities).filter(isView).forEach(visit)
	return ordered
}

export const schemaCreationModifications = (schema: Schema): Modification[] => {
	const entities = Object.values(schema.model.entities)
	const tables = entities.filter(it => !isView(it))
	const result: Modification[] = []

	for (const [enumName, values] of Object.entries(schema.model.enums)) {
		result.push({ modification: 'createEnum', enumName, values })
	}
	for (const entity of tables) {
		const primary = entity.fields[entity.primary]
		if (!primary) throw new Error(`Entity ${entity.name} has no primary field ${entity.primary}`)
		result.push({ modification: 'createEntity', entity: withoutFieldsAndConstraints(entity, { [entity.primary]: primary }) })
	}
	for (const entity of tables) {
		for (const field of Object.values(entity.fields)) {
			if (field.name !== entity.primary && isColumn(field)) result.push({ modification: 'createColumn', entityName: entity.name, field })
		}
	}
	// relations owned by tables; the inverse side comes along unless it lives on a view (created later with all its fields)
	for (const entity of tables) {
		for (const field of Object.values(entity.fields)) {
			if (!isOwningRelation(field)) continue
			const target = schema.model.entities[field.target]
			const inverse: Field | undefined = field.inversedBy && target && !isView(target) ? target.fields[field.inversedBy] : undefined
			result.push({ modification: 'createRelation', entityName: entity.name, owningSide: field, ...(inverse ? { inverseSide: inverse } : {}) })
		}
	}
	for (const view of viewsInDependencyOrder(schema)) {
		result.push({ modification: 'createView', entity: withoutFieldsAndConstraints(view, view.fields) })
	}
	// inverse sides on tables of relations owned by views
	for (const view of entities.filter(isView)) {
		for (const field of Object.values(view.fields)) {
			if (!isOwningRelation(field) || !field.inversedBy) continue
			const target = schema.model.entities[field.target]
			const inverse = target && !isView(target) ? target.fields[field.inversedBy] : undefined
			if (inverse) result.push({ modification: 'createRelationInverseSide', entityName: target!.name, relation: inverse })
		}
	}
	for (const entity of entities) {
		for (const unique of entity.unique) result.push({ modification: 'createUniqueConstraint', entityName: entity.name, unique })
		for (const index of entity.indexes) result.push({ modification: 'createIndex', entityName: entity.name, index })
	}
	return result
}
