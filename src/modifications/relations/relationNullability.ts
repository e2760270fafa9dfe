/**
 * Shared by makeRelationNotNull / makeRelationNullable: `nullable` exists on joining-column
 * relations and on one-has-one inverse sides; only the former have a column to alter.
 */
import type { Field, ManyHasOneRelation, OneHasOneInverseRelation, OneHasOneOwningRelation, Schema } from '../../schema/model.js'
import type { SqlBuilder } from '../../sql/builder.js'
import { alterColumnSql } from '../columns/columnSql.js'
import { updateField } from '../updaters.js'
import { getFieldOfKind, isJoiningColumnRelation, tableEntity } from './relationSql.js'

type NullableRelation = ManyHasOneRelation | OneHasOneOwningRelation | OneHasOneInverseRelation

const hasNullable = (field: Field): field is NullableRelation => isJoiningColumnRelation(field) || ('ownedBy' in field && field.type === 'OneHasOne')

const expected = 'a many-has-one or one-has-one relation'

export const relationNullabilityApply = (schema: Schema, { entityName, fieldName }: { entityName: string; fieldName: string }, nullable: boolean): Schema => {
	getFieldOfKind(schema, entityName, fieldName, hasNullable, expected)
	return updateField<NullableRelation>(entityName, fieldName, field => ({ ...field, nullable }))(schema)
}

export const nullabilitySql = (builder: SqlBuilder, schema: Schema, { entityName, fieldName }: { entityName: string; fieldName: string }, nullable: boolean): void => {
	const entity = tableEntity(schema, entityName)
	if (!entity) return
	const field = getFieldOfKind(schema, entityName, fieldName, hasNullable, expected)
	if (!isJoiningColumnRelation(field)) return
	alterColumnSql(builder, entity, field.joiningColumn.columnName, [nullable ? 'DROP NOT NULL' : 'SET NOT NULL'])
}
