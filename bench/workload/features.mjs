// The features a migration is made of: each one looks at the current model, emits valid
// modifications through `ctx.emit` (which applies them to the model at once) and returns a label
// for the file name, or undefined when it does not fit the model right now.
import { snakeCase } from './names.mjs'

const lowerFirst = text => text[0].toLowerCase() + text.slice(1)
const plural = word => (/(s|x|ch|sh)$/.test(word) ? `${word}es` : /[^aeiou]y$/.test(word) ? `${word.slice(0, -1)}ies` : `${word}s`)
const kebab = text => snakeCase(text).replace(/_/g, '-')

const COLUMN_TYPES = { String: 'text', Integer: 'integer', Double: 'double precision', Bool: 'boolean', DateTime: 'timestamptz', Date: 'date', Json: 'jsonb', Uuid: 'uuid' }
const TYPE_WEIGHTS = [['String', 30], ['Integer', 15], ['Double', 7], ['Bool', 10], ['DateTime', 12], ['Date', 8], ['Json', 6], ['Uuid', 4]]
const FILL_VALUES = { String: '', Integer: 0, Double: 0, Bool: false, DateTime: '2020-01-01T00:00:00.000Z', Date: '2020-01-01', Json: {} }
const DEFAULTS = { String: '', Integer: 0, Double: 0, Bool: false }
const UNIQUE_TYPES = new Set(['String', 'Integer', 'Uuid', 'Date', 'DateTime', 'Enum'])

const isColumn = field => field.target === undefined
const hasJoiningColumn = field => field.joiningColumn !== undefined
const isPrimary = (entity, field) => field.name === entity.primary

export const createFeatures = ctx => {
	const { random, names } = ctx
	const entities = () => ctx.entityList
	const someEntity = () => {
		const all = entities()
		return all.length === 0 ? undefined : random.pick(all)
	}
	const keyOf = entity => ctx.keys.get(entity.name)
	const isPinned = (entity, fieldName) => ctx.pinned.has(`${keyOf(entity)}.${fieldName}`)
	/** fields of `entity` passing `test`, the primary key and pinned (orderBy) columns excluded */
	const fieldsWhere = (entity, test) => Object.values(entity.fields).filter(field => !isPrimary(entity, field) && !isPinned(entity, field.name) && test(field))
	/** a random entity with at least one field passing `test`, and that field */
	const someField = test => {
		for (let attempt = 0; attempt < 12; attempt++) {
			const entity = someEntity()
			if (!entity) return undefined
			const fields = fieldsWhere(entity, test)
			if (fields.length > 0) return { entity, field: random.pick(fields) }
		}
		return undefined
	}

	// --- entities and columns --------------------------------------------------------------

	const newEntity = () => {
		const name = names.entity()
		ctx.keys.set(name, name)
		ctx.emit({
			modification: 'createEntity',
			entity: {
				name, primary: 'id', primaryColumn: 'id', tableName: names.table(snakeCase(name)),
				fields: { id: { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false } },
				unique: [], indexes: [], eventLog: { enabled: true },
			},
		})
		return ctx.schema.model.entities[name]
	}

	/** `fresh`: the table was created in this migration, so a NOT NULL column needs no fill value */
	const newColumn = (entity, { fresh = false, type = random.weighted(TYPE_WEIGHTS), enumName } = {}) => {
		const key = keyOf(entity)
		const name = names.field(key)
		const field = { name, columnName: names.column(key, snakeCase(name)), type: enumName ? 'Enum' : type, columnType: enumName ?? COLUMN_TYPES[type], nullable: true }
		const data = { modification: 'createColumn', entityName: entity.name, field }
		if (random.chance(0.3) && type !== 'Uuid') {
			field.nullable = false
			if (DEFAULTS[type] !== undefined && random.chance(0.4)) field.default = DEFAULTS[type]
			else if (!fresh) data.fillValue = enumName ? ctx.schema.model.enums[enumName][0] : FILL_VALUES[type]
		}
		ctx.emit(data)
		return field
	}

	const newEnum = entity => {
		const enumName = names.enumName(entity.name)
		ctx.emit({ modification: 'createEnum', enumName, values: names.enumValues(random.int(2, 5)) })
		return enumName
	}

	// --- relations -------------------------------------------------------------------------

	const joiningColumn = (owner, name, nullable) => ({
		columnName: names.column(keyOf(owner), `${snakeCase(name)}_id`),
		onDelete: random.weighted([['restrict', 5], ['cascade', 3], ...(nullable ? [['set null', 3]] : [])]),
	})

	/** an orderBy for an inverse side listing `owner` rows: a column of `owner`, pinned so it stays */
	const orderByOf = owner => {
		const columns = fieldsWhere(owner, field => isColumn(field) && ['Integer', 'String', 'DateTime'].includes(field.type))
		if (columns.length === 0) return undefined
		const column = random.pick(columns)
		ctx.pinned.add(`${keyOf(owner)}.${column.name}`)
		return [{ path: [column.name], direction: random.pick(['asc', 'desc']) }]
	}

	const inverseName = (target, hint) => names.field(keyOf(target), 'relation', hint)

	const newRelation = (owner, target, kind, { inverse = random.chance(0.7), fresh = false } = {}) => {
		const name = names.field(keyOf(owner), 'relation', kind === 'ManyHasMany' ? plural(lowerFirst(target.name)) : lowerFirst(target.name))
		const data = { modification: 'createRelation', entityName: owner.name, owningSide: undefined }
		if (kind === 'ManyHasMany') {
			const ownerColumn = `${snakeCase(owner.name)}_id`
			const targetColumn = owner === target ? `${snakeCase(name)}_id` : `${snakeCase(target.name)}_id`
			data.owningSide = {
				name, type: 'ManyHasMany', target: target.name,
				joiningTable: {
					tableName: names.table(`${owner.tableName}_${snakeCase(name)}`.slice(0, 55)),
					joiningColumn: { columnName: ownerColumn, onDelete: 'cascade' },
					inverseJoiningColumn: { columnName: targetColumn, onDelete: 'cascade' },
					eventLog: { enabled: true },
				},
			}
			if (inverse) data.inverseSide = { name: inverseName(target, plural(lowerFirst(owner.name))), type: 'ManyHasMany', target: owner.name, ownedBy: name }
		} else {
			const nullable = fresh ? random.chance(0.6) : true
			data.owningSide = { name, type: kind, target: target.name, joiningColumn: joiningColumn(owner, name, nullable), nullable }
			if (inverse && kind === 'ManyHasOne') {
				data.inverseSide = { name: inverseName(target, plural(lowerFirst(owner.name))), type: 'OneHasMany', target: owner.name, ownedBy: name }
				const orderBy = random.chance(0.2) ? orderByOf(owner) : undefined
				if (orderBy) data.inverseSide.orderBy = orderBy
			} else if (inverse) {
				data.inverseSide = { name: inverseName(target, lowerFirst(owner.name)), type: 'OneHasOne', target: owner.name, ownedBy: name, nullable: true }
			}
		}
		if (data.inverseSide) data.owningSide.inversedBy = data.inverseSide.name
		ctx.emit(data)
		return name
	}

	const relationKind = () => random.weighted([['ManyHasOne', 6], ['OneHasOne', 2], ['ManyHasMany', 2]])

	// --- constraints and indexes -----------------------------------------------------------

	const sameFields = (a, b) => a.length === b.length && a.every((name, i) => name === b[i])

	const newUnique = entity => {
		const candidates = fieldsWhere(entity, field => (isColumn(field) && UNIQUE_TYPES.has(field.type) && !field.list) || field.type === 'ManyHasOne')
		if (candidates.length === 0) return undefined
		const fields = random.shuffle(candidates).slice(0, random.chance(0.6) ? 1 : 2).map(it => it.name)
		if (entity.unique.some(it => sameFields([...it.fields].sort(), [...fields].sort()))) return undefined
		ctx.emit({ modification: 'createUniqueConstraint', entityName: entity.name, unique: { fields } })
		return `unique-${kebab(entity.name)}-${kebab(fields[0])}`
	}

	/** about one index in four goes on a many-has-one's joining column, which has its own index already */
	const newIndex = entity => {
		const relations = fieldsWhere(entity, field => field.type === 'ManyHasOne')
		const columns = fieldsWhere(entity, field => isColumn(field) && field.type !== 'Json')
		const onRelation = relations.length > 0 && (columns.length === 0 || random.chance(0.25))
		const fields = onRelation
			? [random.pick(relations).name, ...(columns.length > 0 && random.chance(0.4) ? [random.pick(columns).name] : [])]
			: random.shuffle(columns).slice(0, random.chance(0.7) ? 1 : 2).map(it => it.name)
		if (fields.length === 0 || entity.indexes.some(it => sameFields(it.fields, fields))) return undefined
		ctx.emit({ modification: 'createIndex', entityName: entity.name, index: { fields } })
		return `index-${kebab(entity.name)}-${kebab(fields[0])}`
	}

	const features = {
		addColumns: () => {
			const entity = someEntity()
			if (!entity) return undefined
			const count = random.weighted([[1, 6], [2, 3], [3, 2], [4, 1]])
			const added = Array.from({ length: count }, () => newColumn(entity))
			return `add-${kebab(entity.name)}-${kebab(added[0].name)}`
		},
		addRelation: () => {
			const owner = someEntity()
			if (!owner) return undefined
			const target = random.chance(0.08) ? owner : someEntity()
			const name = newRelation(owner, target, relationKind())
			return `add-${kebab(owner.name)}-${kebab(name)}`
		},
		addConstraint: () => {
			const entity = someEntity()
			if (!entity) return undefined
			const choice = random.weighted([['unique', 4], ['index', 5], ['dropIndex', 1.5]])
			if (choice === 'unique') return newUnique(entity)
			if (choice === 'index') return newIndex(entity)
			if (entity.indexes.length === 0) return undefined
			const index = random.pick(entity.indexes)
			ctx.emit({ modification: 'removeIndex', entityName: entity.name, fields: [...index.fields] })
			return `drop-index-${kebab(entity.name)}-${kebab(index.fields[0])}`
		},
		changeColumn: () => {
			const found = someField(field => isColumn(field) && field.type !== 'Uuid')
			if (!found) return undefined
			const { entity, field } = found
			const { name: _name, columnName: _columnName, ...current } = field
			const definition = { ...current }
			const data = { modification: 'updateColumnDefinition', entityName: entity.name, fieldName: field.name, definition }
			const change = random.weighted([['nullability', 5], ['type', field.type === 'Integer' || field.type === 'Date' ? 6 : 0], ['default', DEFAULTS[field.type] !== undefined ? 2 : 0]])
			if (change === 'type' && field.type === 'Integer') Object.assign(definition, { type: 'Double', columnType: COLUMN_TYPES.Double })
			else if (change === 'type') Object.assign(definition, { type: 'DateTime', columnType: COLUMN_TYPES.DateTime })
			else if (change === 'default' && field.default === undefined) definition.default = DEFAULTS[field.type]
			else if (change === 'default') delete definition.default
			else if (field.nullable) {
				definition.nullable = false
				if (field.type !== 'Enum' && random.chance(0.7)) data.fillValue = FILL_VALUES[field.type]
			} else definition.nullable = true
			ctx.emit(data)
			return `update-${kebab(entity.name)}-${kebab(field.name)}`
		},
		renameField: () => {
			const found = someField(field => isColumn(field) || hasJoiningColumn(field) || field.ownedBy !== undefined)
			if (!found) return undefined
			const { entity, field } = found
			const key = keyOf(entity)
			const newFieldName = names.field(key, isColumn(field) ? 'column' : 'relation')
			const data = { modification: 'updateFieldName', entityName: entity.name, fieldName: field.name, newFieldName }
			// the column follows the new name: in the same modification, or in an updateColumnName after it
			const columnStyle = isColumn(field) ? random.weighted([['inline', 5], ['separate', 2], ['keep', 3]]) : 'keep'
			if (columnStyle === 'inline') data.columnName = names.column(key, snakeCase(newFieldName))
			ctx.emit(data)
			if (columnStyle === 'separate') ctx.emit({ modification: 'updateColumnName', entityName: entity.name, fieldName: newFieldName, columnName: names.column(key, snakeCase(newFieldName)) })
			return `rename-${kebab(entity.name)}-${kebab(field.name)}`
		},
		renameColumn: () => {
			const found = someField(isColumn)
			if (!found) return undefined
			const { entity, field } = found
			ctx.emit({ modification: 'updateColumnName', entityName: entity.name, fieldName: field.name, columnName: names.column(keyOf(entity), `${snakeCase(field.name)}_value`) })
			return `rename-column-${kebab(entity.name)}-${kebab(field.name)}`
		},
		addEntity: () => {
			const entity = newEntity()
			const count = random.int(2, 5)
			for (let i = 0; i < count; i++) newColumn(entity, { fresh: true })
			const other = someEntity()
			if (other !== entity) newRelation(entity, other, 'ManyHasOne', { fresh: true })
			return `add-${kebab(entity.name)}`
		},
		removeField: () => {
			const found = someField(field => isColumn(field) || field.target !== undefined)
			if (!found) return undefined
			ctx.emit({ modification: 'removeField', entityName: found.entity.name, fieldName: found.field.name })
			return `remove-${kebab(found.entity.name)}-${kebab(found.field.name)}`
		},
		relationTweak: () => {
			const choice = random.weighted([['notNull', 3], ['nullable', 2], ['onDelete', 3], ['inverse', 3]])
			if (choice === 'inverse') {
				const found = someField(field => (hasJoiningColumn(field) || field.joiningTable) && field.inversedBy === undefined && field.target !== undefined)
				if (!found) return undefined
				const { entity, field } = found
				const target = ctx.schema.model.entities[field.target]
				const relation = field.type === 'ManyHasOne'
					? { name: inverseName(target, plural(lowerFirst(entity.name))), type: 'OneHasMany', target: entity.name, ownedBy: field.name }
					: field.type === 'OneHasOne'
						? { name: inverseName(target, lowerFirst(entity.name)), type: 'OneHasOne', target: entity.name, ownedBy: field.name, nullable: true }
						: { name: inverseName(target, plural(lowerFirst(entity.name))), type: 'ManyHasMany', target: entity.name, ownedBy: field.name }
				ctx.emit({ modification: 'createRelationInverseSide', entityName: target.name, relation })
				return `add-${kebab(target.name)}-${kebab(relation.name)}`
			}
			const found = someField(field => hasJoiningColumn(field)
				&& (choice === 'onDelete' || (choice === 'notNull' ? field.nullable && field.joiningColumn.onDelete !== 'set null' : !field.nullable)))
			if (!found) return undefined
			const { entity, field } = found
			if (choice === 'onDelete') {
				const options = ['restrict', 'cascade', ...(field.nullable ? ['set null'] : [])].filter(it => it !== field.joiningColumn.onDelete)
				ctx.emit({ modification: 'updateRelationOnDelete', entityName: entity.name, fieldName: field.name, onDelete: random.pick(options) })
			} else {
				ctx.emit({ modification: choice === 'notNull' ? 'makeRelationNotNull' : 'makeRelationNullable', entityName: entity.name, fieldName: field.name })
			}
			return `update-${kebab(entity.name)}-${kebab(field.name)}`
		},
		addEnum: () => {
			const entity = someEntity()
			if (!entity) return undefined
			const field = newColumn(entity, { enumName: newEnum(entity) })
			return `add-${kebab(entity.name)}-${kebab(field.name)}`
		},
		changeEnum: () => {
			const enums = Object.entries(ctx.schema.model.enums)
			if (enums.length === 0) return undefined
			const [enumName, values] = random.pick(enums)
			const removeOne = values.length > 2 && random.chance(0.25)
			// values a NOT NULL column was filled with stay, so its rows stay valid
			const next = removeOne ? values.slice(0, -1) : [...values, names.unusedEnumValue(values)]
			ctx.emit({ modification: 'updateEnum', enumName, values: next })
			return `update-${kebab(enumName)}`
		},
		renameEntity: () => {
			const entity = someEntity()
			if (!entity) return undefined
			const newEntityName = names.entity()
			ctx.keys.set(newEntityName, keyOf(entity))
			const oldName = entity.name
			const style = random.weighted([['withTable', 5], ['thenTable', 3], ['keepTable', 2]])
			const data = { modification: 'updateEntityName', entityName: oldName, newEntityName }
			if (style === 'withTable') data.tableName = names.table(snakeCase(newEntityName))
			ctx.emit(data)
			if (style === 'thenTable') ctx.emit({ modification: 'updateEntityTableName', entityName: newEntityName, tableName: names.table(snakeCase(newEntityName)) })
			return `rename-${kebab(oldName)}`
		},
		removeEntity: () => {
			if (entities().length < 4) return undefined
			const entity = someEntity()
			// as a differ writes it: first the relations elsewhere that point at the entity
			const references = entities().filter(other => other !== entity)
				.flatMap(other => Object.values(other.fields).filter(field => field.target === entity.name).map(field => ({ other, field })))
			for (const { other, field } of references) {
				// removing an owning side may have taken its inverse side along already
				if (other.fields[field.name] === field) ctx.emit({ modification: 'removeField', entityName: other.name, fieldName: field.name })
			}
			ctx.emit({ modification: 'removeEntity', entityName: entity.name })
			return `remove-${kebab(entity.name)}`
		},
		acl: () => {
			const entity = someEntity()
			if (!entity) return undefined
			const role = random.pick(['editor', 'reader'])
			const patch = []
			if (!ctx.schema.acl.roles[role]) patch.push({ op: 'add', path: `/roles/${role}`, value: { variables: {}, entities: {} } })
			const permissions = ctx.schema.acl.roles[role]?.entities?.[entity.name]
			const columns = Object.values(entity.fields).filter(isColumn).map(it => it.name)
			const grant = names => Object.fromEntries(names.map(it => [it, true]))
			if (!permissions) {
				const operations = { read: grant(columns) }
				if (role === 'editor') Object.assign(operations, { create: grant(columns), update: grant(columns), delete: true })
				patch.push({ op: 'add', path: `/roles/${role}/entities/${entity.name}`, value: { predicates: {}, operations } })
			} else if (random.chance(0.2)) {
				patch.push({ op: 'remove', path: `/roles/${role}/entities/${entity.name}` })
			} else {
				const missing = columns.filter(it => !(it in (permissions.operations.read ?? {})))
				if (missing.length === 0) patch.push({ op: 'replace', path: `/roles/${role}/entities/${entity.name}/operations/read`, value: grant(columns.slice(0, 1)) })
				else patch.push({ op: 'add', path: `/roles/${role}/entities/${entity.name}/operations/read/${missing[0]}`, value: true })
			}
			ctx.emit({ modification: 'patchAclSchema', patch })
			return `acl-${role}-${kebab(entity.name)}`
		},
	}
	return { features, newEntity, newColumn, newEnum, newRelation, newUnique, newIndex, relationKind, someEntity }
}
