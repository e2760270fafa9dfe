/**
 * Lookups and SQL pieces of the relation modifications: typed access to a relation (with the
 * error Contember gives when it is missing), joining-column DDL, and the catalog-dependent
 * drops of foreign keys, unique constraints and indexes. Names PostgreSQL chose are only known
 * to the live catalog; offline, a comment names the table and column instead.
 */
import { ModificationApplyError } from '../../errors.js'
import {
	type Entity,
	type Field,
	type ManyHasManyOwningRelation,
	type ManyHasOneRelation,
	type OneHasOneOwningRelation,
	type Schema,
	hasJoiningColumn,
	isRelation,
} from '../../schema/model.js'
import type { SqlBuilder } from '../../sql/builder.js'
import { type DatabaseMetadata, findForeignKeys } from '../../sql/metadata.js'
import { quoteIdentifier } from '../../sql/quote.js'
import { dropIndexSql, dropUniqueConstraintSql, joiningColumnIndex, joiningColumnUnique } from '../indexes/dropIndexSql.js'
import { addForeignKeySql, foreignKeyColumnType, getTargetEntity, isView, quoteTable } from '../sqlShared.js'
import { getEntity, getField } from '../updaters.js'

export type JoiningColumnRelation = ManyHasOneRelation | OneHasOneOwningRelation

const describeKind = (field: Field): string => {
	if (!isRelation(field)) return 'a column'
	if ('joiningTable' in field) return 'a many-has-many owning relation'
	if ('ownedBy' in field) return `an inverse ${field.type} relation`
	return field.type === 'ManyHasOne' ? 'a many-has-one relation' : 'a one-has-one owning relation'
}

/** the field, checked to be of the kind the modification needs (`expected` reads "a many-has-one relation") */
export const getFieldOfKind = <F extends Field>(
	schema: Schema,
	entityName: string,
	fieldName: string,
	is: (field: Field) => field is F,
	expected: string,
): F => {
	const field = getField(schema, entityName, fieldName)
	if (!is(field)) throw new ModificationApplyError(`Field ${entityName}::${fieldName} is ${describeKind(field)}, expected ${expected}`)
	return field
}

export const isManyHasOne = (field: Field): field is ManyHasOneRelation => hasJoiningColumn(field) && field.type === 'ManyHasOne'
export const isOneHasOneOwning = (field: Field): field is OneHasOneOwningRelation => hasJoiningColumn(field) && field.type === 'OneHasOne'
export const isManyHasManyOwning = (field: Field): field is ManyHasManyOwningRelation => 'joiningTable' in field
export const isJoiningColumnRelation = (field: Field): field is JoiningColumnRelation => hasJoiningColumn(field)

/**
 * Joining column of a many-has-one / one-has-one owning relation: the column (type of the
 * target's primary key), its deferrable foreign key, then an index (many-has-one) or a unique
 * key (one-has-one). A view as target cannot be referenced by a foreign key, so none is added.
 */
export const createJoiningColumnSql = (builder: SqlBuilder, schema: Schema, entity: Entity, relation: JoiningColumnRelation): void => {
	const target = getTargetEntity(schema, relation.target)
	const table = quoteTable(entity)
	const column = quoteIdentifier(relation.joiningColumn.columnName)
	builder.statement(`ALTER TABLE ${table} ADD ${column} ${foreignKeyColumnType(schema, target)}${relation.nullable ? '' : ' NOT NULL'}`)
	if (!isView(target)) addForeignKeySql(builder, entity, relation.joiningColumn.columnName, target, relation.joiningColumn.onDelete)
	if (relation.type === 'OneHasOne') builder.statement(`ALTER TABLE ${table} ADD UNIQUE (${column})`)
	else builder.statement(`CREATE INDEX ON ${table} (${column})`)
}

/** offline, what would be dropped is only described: its name is PostgreSQL's choice */
const resolvedAtExecution = (builder: SqlBuilder, what: string, entity: Entity, columns: readonly string[]): void => {
	builder.comment(
		`${what} on table ${quoteIdentifier(entity.tableName)} (${columns.map(quoteIdentifier).join(', ')}) is dropped here; ` +
			'its name is resolved from the database catalog at execution',
	)
}

/** drops the foreign keys of `entity.column` that reference `target`'s primary key */
export const dropForeignKeysSql = (builder: SqlBuilder, metadata: DatabaseMetadata, entity: Entity, columnName: string, target: Entity): void => {
	if (!metadata.live) return resolvedAtExecution(builder, `The foreign key to ${quoteIdentifier(target.tableName)}`, entity, [columnName])
	for (const foreignKey of findForeignKeys(metadata, entity.tableName, columnName)) {
		if (foreignKey.toTable !== target.tableName || foreignKey.toColumn !== target.primaryColumn) continue
		builder.statement(`ALTER TABLE ${quoteTable(entity)} DROP CONSTRAINT ${quoteIdentifier(foreignKey.constraintName)}`)
	}
}

/**
 * drops the unique key a one-has-one joining column got (`ADD UNIQUE (column)`): the one
 * constraint with that definition, so an identical schema unique on the column keeps its own
 */
export const dropUniqueConstraintsSql = (builder: SqlBuilder, metadata: DatabaseMetadata, entity: Entity, columns: readonly string[]): void => {
	if (!metadata.live) return resolvedAtExecution(builder, 'The unique key', entity, columns)
	dropUniqueConstraintSql(builder, metadata, joiningColumnUnique(entity, columns), `unique key on "${entity.tableName}" (${columns.join(', ')})`)
}

/**
 * drops the index a many-has-one joining column got (`CREATE INDEX ON t (column)`): the one
 * index with that definition, so schema indexes on the column (identical or not) keep theirs
 */
export const dropIndexesSql = (builder: SqlBuilder, metadata: DatabaseMetadata, entity: Entity, columns: readonly string[]): void => {
	if (!metadata.live) return resolvedAtExecution(builder, 'The index', entity, columns)
	dropIndexSql(builder, metadata, joiningColumnIndex(entity, columns), `index on "${entity.tableName}" (${columns.join(', ')})`)
}

/** the owning entity for SQL, or undefined when it is a view (no DDL for views) */
export const tableEntity = (schema: Schema, entityName: string): Entity | undefined => {
	const entity = getEntity(schema, entityName)
	return isView(entity) ? undefined : entity
}
