// The generator's own model of the schema: a plain Contember `Schema` object that each generated
// modification is applied to as soon as it is made (in place, for speed), with the semantics of
// format versions 5 and 6. This is how the generator knows what is valid next, what the replay of
// the files must give (expected/replayed-schema.json) and what the declared schema is.
//
// Only the modification kinds the generator writes are modelled, and only in the shapes it writes
// them: ACL roles hold plain operation maps (no predicates or variables), removeEntity comes after
// the relations pointing at the entity were removed, and no orderBy path is ever renamed away.

export const emptySchema = () => ({
	model: { enums: {}, entities: {} },
	acl: { roles: {} },
	validation: {},
	actions: { triggers: {}, targets: {} },
	settings: {},
})

export const cloneSchema = schema => structuredClone(schema)

const fail = (modification, message) => {
	throw new Error(`workload model: ${modification.modification} ${JSON.stringify(modification).slice(0, 300)}: ${message}`)
}

const entityOf = (schema, name, modification) => schema.model.entities[name] ?? fail(modification, `entity ${name} not found`)
const fieldOf = (schema, entityName, fieldName, modification) =>
	entityOf(schema, entityName, modification).fields[fieldName] ?? fail(modification, `field ${entityName}.${fieldName} not found`)

const renameKey = (object, from, to, value) => {
	const out = {}
	for (const [key, item] of Object.entries(object)) {
		if (key === from) out[to] = value
		else out[key] = item
	}
	return out
}

/** ACL roles keep operation maps per entity: `roles.R.entities.E.operations.read.field` */
const forEachAclEntity = (schema, entityName, update) => {
	for (const role of Object.values(schema.acl.roles)) {
		const permissions = role.entities?.[entityName]
		if (permissions) update(permissions)
	}
}
const renameAclField = (schema, entityName, from, to) =>
	forEachAclEntity(schema, entityName, permissions => {
		for (const operation of ['read', 'create', 'update']) {
			const fields = permissions.operations?.[operation]
			if (fields && typeof fields === 'object' && from in fields) permissions.operations[operation] = renameKey(fields, from, to, fields[from])
		}
	})
const removeAclField = (schema, entityName, fieldName) =>
	forEachAclEntity(schema, entityName, permissions => {
		for (const operation of ['read', 'create', 'update']) {
			const fields = permissions.operations?.[operation]
			if (fields && typeof fields === 'object') delete fields[fieldName]
		}
	})

const dropFieldFromEntity = (entity, fieldName) => {
	delete entity.fields[fieldName]
	entity.unique = entity.unique.filter(it => !it.fields.includes(fieldName))
	entity.indexes = entity.indexes.filter(it => !it.fields.includes(fieldName))
}

const removeField = (schema, entityName, fieldName, modification) => {
	const field = fieldOf(schema, entityName, fieldName, modification)
	removeAclField(schema, entityName, fieldName)
	if (field.ownedBy !== undefined) {
		const owning = schema.model.entities[field.target]?.fields[field.ownedBy]
		if (owning && owning.inversedBy === fieldName) delete owning.inversedBy
	}
	if (field.inversedBy !== undefined && (field.joiningColumn || field.joiningTable)) {
		const target = schema.model.entities[field.target]
		// the inverse side goes along, but (as in strata and Contember) its ACL keys stay
		if (target?.fields[field.inversedBy]) dropFieldFromEntity(target, field.inversedBy)
	}
	dropFieldFromEntity(entityOf(schema, entityName, modification), fieldName)
}

const JSON_POINTER_ESCAPES = [[/~1/g, '/'], [/~0/g, '~']]
const applyJsonPatch = (document, patch, modification) => {
	for (const operation of patch) {
		const path = operation.path.split('/').slice(1).map(part => JSON_POINTER_ESCAPES.reduce((text, [from, to]) => text.replace(from, to), part))
		const last = path.pop()
		let parent = document
		for (const part of path) parent = parent?.[part]
		if (typeof parent !== 'object' || parent === null) fail(modification, `patch path ${operation.path} has no parent`)
		if (operation.op === 'add' || operation.op === 'replace') parent[last] = structuredClone(operation.value)
		else if (operation.op === 'remove') delete parent[last]
		else fail(modification, `patch op ${operation.op} is not modelled`)
	}
}

const appliers = {
	createEntity: (schema, { entity }) => {
		const copy = structuredClone(entity)
		schema.model.entities[entity.name] = { ...copy, unique: copy.unique ?? [], indexes: copy.indexes ?? [], eventLog: copy.eventLog ?? { enabled: true } }
	},
	removeEntity: (schema, { entityName }, modification) => {
		entityOf(schema, entityName, modification)
		for (const role of Object.values(schema.acl.roles)) delete role.entities?.[entityName]
		delete schema.model.entities[entityName]
	},
	updateEntityName: (schema, { entityName, newEntityName, tableName }, modification) => {
		const entity = entityOf(schema, entityName, modification)
		for (const role of Object.values(schema.acl.roles)) {
			if (role.entities?.[entityName]) role.entities = renameKey(role.entities, entityName, newEntityName, role.entities[entityName])
		}
		entity.name = newEntityName
		if (tableName !== undefined) entity.tableName = tableName
		schema.model.entities = renameKey(schema.model.entities, entityName, newEntityName, entity)
		for (const other of Object.values(schema.model.entities)) {
			for (const field of Object.values(other.fields)) if (field.target === entityName) field.target = newEntityName
		}
	},
	updateEntityTableName: (schema, { entityName, tableName }, modification) => {
		entityOf(schema, entityName, modification).tableName = tableName
	},
	createColumn: (schema, { entityName, field }, modification) => {
		entityOf(schema, entityName, modification).fields[field.name] = structuredClone(field)
	},
	updateColumnDefinition: (schema, { entityName, fieldName, definition }, modification) => {
		const field = fieldOf(schema, entityName, fieldName, modification)
		entityOf(schema, entityName, modification).fields[fieldName] = { name: field.name, columnName: field.columnName, ...structuredClone(definition) }
	},
	updateColumnName: (schema, { entityName, fieldName, columnName }, modification) => {
		const field = fieldOf(schema, entityName, fieldName, modification)
		if (field.joiningColumn) field.joiningColumn.columnName = columnName
		else field.columnName = columnName
	},
	updateFieldName: (schema, { entityName, fieldName, newFieldName, columnName }, modification) => {
		const entity = entityOf(schema, entityName, modification)
		const field = fieldOf(schema, entityName, fieldName, modification)
		renameAclField(schema, entityName, fieldName, newFieldName)
		field.name = newFieldName
		if (columnName !== undefined) {
			if (field.joiningColumn) field.joiningColumn.columnName = columnName
			else field.columnName = columnName
		}
		entity.fields = renameKey(entity.fields, fieldName, newFieldName, field)
		const rename = names => names.map(it => (it === fieldName ? newFieldName : it))
		for (const unique of entity.unique) unique.fields = rename(unique.fields)
		for (const index of entity.indexes) index.fields = rename(index.fields)
		const partnerName = field.ownedBy ?? field.inversedBy
		const partner = partnerName === undefined ? undefined : schema.model.entities[field.target]?.fields[partnerName]
		if (partner && field.ownedBy !== undefined && 'inversedBy' in partner) partner.inversedBy = newFieldName
		if (partner && field.ownedBy === undefined && 'ownedBy' in partner) partner.ownedBy = newFieldName
	},
	removeField: (schema, { entityName, fieldName }, modification) => removeField(schema, entityName, fieldName, modification),
	createRelation: (schema, { entityName, owningSide, inverseSide }, modification) => {
		const owning = structuredClone(owningSide)
		if (owning.joiningTable && owning.joiningTable.eventLog === undefined) owning.joiningTable.eventLog = { enabled: true }
		entityOf(schema, entityName, modification).fields[owning.name] = owning
		if (inverseSide) entityOf(schema, owningSide.target, modification).fields[inverseSide.name] = structuredClone(inverseSide)
	},
	createRelationInverseSide: (schema, { entityName, relation }, modification) => {
		entityOf(schema, entityName, modification).fields[relation.name] = structuredClone(relation)
		fieldOf(schema, relation.target, relation.ownedBy, modification).inversedBy = relation.name
	},
	makeRelationNotNull: (schema, { entityName, fieldName }, modification) => {
		fieldOf(schema, entityName, fieldName, modification).nullable = false
	},
	makeRelationNullable: (schema, { entityName, fieldName }, modification) => {
		fieldOf(schema, entityName, fieldName, modification).nullable = true
	},
	updateRelationOnDelete: (schema, { entityName, fieldName, onDelete }, modification) => {
		fieldOf(schema, entityName, fieldName, modification).joiningColumn.onDelete = onDelete
	},
	createUniqueConstraint: (schema, { entityName, unique }, modification) => {
		entityOf(schema, entityName, modification).unique.push(structuredClone(unique))
	},
	createIndex: (schema, { entityName, index }, modification) => {
		entityOf(schema, entityName, modification).indexes.push(structuredClone(index))
	},
	removeIndex: (schema, { entityName, fields }, modification) => {
		const entity = entityOf(schema, entityName, modification)
		const at = entity.indexes.findIndex(it => it.fields.join('\n') === fields.join('\n'))
		if (at === -1) fail(modification, 'index not found')
		entity.indexes.splice(at, 1)
	},
	createEnum: (schema, { enumName, values }) => {
		schema.model.enums[enumName] = [...values]
	},
	updateEnum: (schema, { enumName, values }) => {
		schema.model.enums[enumName] = [...values]
	},
	patchAclSchema: (schema, { patch }, modification) => applyJsonPatch(schema.acl, patch, modification),
}

export const applyModification = (schema, modification) => {
	const apply = appliers[modification.modification] ?? fail(modification, 'kind not modelled')
	apply(schema, modification, modification)
	return schema
}
