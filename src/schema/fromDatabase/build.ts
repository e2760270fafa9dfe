/** The draft as the model's Schema, and the mapping of each entity and field to tables and columns. */
import { emptySchema, hasJoiningColumn, isColumn, type Entity, type Field, type Schema } from '../model.js'
import type { Draft, DraftEntity } from './draft.js'
import type { EntityMapping, FieldMapping } from './result.js'

const orderedFields = (entity: DraftEntity): Field[] =>
	[...entity.fields.values()].map((field, insertion) => ({ field, insertion }))
		.sort((a, b) => (entity.position.get(a.field.name)! - entity.position.get(b.field.name)!) || a.insertion - b.insertion)
		.map(it => it.field)

const entityOf = (entity: DraftEntity): Entity => ({
	name: entity.name,
	primary: entity.primary,
	primaryColumn: entity.primaryColumn,
	tableName: entity.table,
	fields: Object.fromEntries(orderedFields(entity).map(field => [field.name, field])),
	unique: [...entity.unique],
	indexes: [...entity.indexes],
	eventLog: { enabled: true },
	...(entity.view ? { view: entity.view } : {}),
})

export const buildSchema = (draft: Draft): Schema => ({
	...emptySchema,
	model: {
		enums: { ...draft.enums },
		entities: Object.fromEntries([...draft.entities.values()].map(entity => [entity.name, entityOf(entity)])),
	},
})

const fieldMapping = (field: Field): FieldMapping => {
	if (isColumn(field)) return { field: field.name, column: field.columnName }
	const owning = hasJoiningColumn(field) || 'joiningTable' in field
	return {
		field: field.name, relation: field.type, target: field.target, owning,
		...(hasJoiningColumn(field) ? { joiningColumn: field.joiningColumn.columnName } : {}),
		...('joiningTable' in field ? { joiningTable: field.joiningTable.tableName } : {}),
	}
}

export const buildMapping = (draft: Draft): EntityMapping[] =>
	[...draft.entities.values()].map(entity => ({
		entity: entity.name,
		table: entity.table,
		...(entity.view ? { view: entity.view.materialized ? 'materialized view' as const : 'view' as const } : {}),
		fields: orderedFields(entity).map(fieldMapping),
	}))
