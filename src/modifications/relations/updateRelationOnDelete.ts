/**
 * updateRelationOnDelete `{ entityName, fieldName, onDelete }`: changes the delete action of a
 * joining-column relation. SQL: drop the existing foreign key (its name comes from the live
 * catalog; offline a comment says which one) and add it again with the new action. Junction
 * tables always cascade, so a many-has-many relation has no SQL (and, as in Contember, its
 * stored shape gets `joiningColumn.onDelete` — the differ never emits that).
 */
import { type OnDelete, type Relation, isRelation } from '../../schema/model.js'
import { describeStep } from '../describeShared.js'
import { onDeleteSchema } from '../fields/fieldSchemas.js'
import { addForeignKeySql, getTargetEntity, isView } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { updateField } from '../updaters.js'
import { dropForeignKeysSql, getFieldOfKind, isJoiningColumnRelation, tableEntity } from './relationSql.js'
import { relationFieldData } from './relationSchemas.js'

export interface UpdateRelationOnDeleteData {
	readonly entityName: string
	readonly fieldName: string
	readonly onDelete: OnDelete
}

export const updateRelationOnDeleteModification = defineModification<UpdateRelationOnDeleteData>({
	id: 'updateRelationOnDelete',
	docs: {
		category: 'relations',
		summary: 'Changes what deleting the target does (`restrict`, `cascade`, `set null`).',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'drops the old foreign key (its live name) and adds the new one',
		destructive: false,
		warnings: [],
		example: { entityName: 'Post', fieldName: 'author', onDelete: 'cascade' },
	},
	dataSchema: relationFieldData({ onDelete: onDeleteSchema }, ['onDelete']),

	apply: (schema, { entityName, fieldName, onDelete }) => {
		getFieldOfKind(schema, entityName, fieldName, isRelation, 'a relation')
		return updateField<Relation>(entityName, fieldName, field => ({
			...field,
			joiningColumn: { ...('joiningColumn' in field ? field.joiningColumn : {}), onDelete },
		}) as Relation)(schema)
	},

	sql: (builder, schema, { entityName, fieldName, onDelete }, { databaseMetadata }) => {
		const entity = tableEntity(schema, entityName)
		if (!entity) return
		const relation = getFieldOfKind(schema, entityName, fieldName, isRelation, 'a relation')
		if (!isJoiningColumnRelation(relation)) return
		const target = getTargetEntity(schema, relation.target)
		if (isView(target)) return
		const column = relation.joiningColumn.columnName
		dropForeignKeysSql(builder, databaseMetadata, entity, column, target)
		addForeignKeySql(builder, entity, column, target, onDelete)
	},

	describe: ({ entityName, fieldName, onDelete }) =>
		describeStep(`Change on-delete action of relation ${entityName}.${fieldName} to ${onDelete} (foreign key dropped and re-created)`),
})
