/**
 * SQL fragments shared by several modification modules (entities, fields, columns, relations).
 * Every identifier goes through quoteIdentifier and every value through quote.ts; nothing here
 * concatenates user text into SQL otherwise.
 *
 * Contember also emits event-log triggers calling its engine's `system` schema; strata does not,
 * so the event-log helpers below deliberately write nothing.
 */
import { ModificationApplyError } from '../errors.js'
import {
	type Column,
	type Entity,
	type Field,
	hasJoiningColumn,
	isColumn,
	type ManyHasManyOwningRelation,
	type OnDelete,
	type Schema,
	own,
} from '../schema/model.js'
import type { SqlBuilder } from '../sql/builder.js'
import { quoteIdentifier } from '../sql/quote.js'

/** a view entity has no table: table DDL (columns, FKs, uniques on plain views…) is skipped for it */
export const isView = (entity: Entity): boolean => entity.view !== undefined

export const isMaterializedView = (entity: Entity): boolean => entity.view?.materialized === true

/** `"table"` */
export const quoteTable = (entity: Entity): string => quoteIdentifier(entity.tableName)

/**
 * SQL type of a column: the quoted enum (domain) name for Enum columns, else `columnType`
 * verbatim (it is validated as a type expression when loaded), plus `[]` for list columns.
 */
export const columnSqlType = (_schema: Schema, column: Pick<Column, 'type' | 'columnType' | 'list'>): string => {
	const base = column.type === 'Enum' ? quoteIdentifier(column.columnType) : column.columnType
	return column.list ? `${base}[]` : base
}

/** `GENERATED ALWAYS AS IDENTITY (START WITH 100)` */
export const identitySql = (sequence: NonNullable<Column['sequence']>): string =>
	`GENERATED ${sequence.precedence === 'ALWAYS' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${
		sequence.start !== undefined ? ` (START WITH ${integerLiteral(sequence.start)})` : ''
	}`

/** numbers are never quoted in SQL, so only finite integers may pass */
export const integerLiteral = (value: number): string => {
	if (!Number.isSafeInteger(value)) throw new ModificationApplyError(`Expected an integer, got ${value}`)
	return String(value)
}

/**
 * A column definition as node-pg-migrate orders its clauses:
 * `"name" type [COLLATE "c"] [PRIMARY KEY] [NOT NULL] [GENERATED … AS IDENTITY]`.
 * `notNull` overrides the column's own nullability (createColumn with a fill value adds it nullable first).
 */
export const columnDefinitionSql = (
	schema: Schema,
	column: Column,
	options: { primaryKey?: boolean; notNull?: boolean; columnName?: string } = {},
): string => {
	const parts = [quoteIdentifier(options.columnName ?? column.columnName), columnSqlType(schema, column)]
	if (column.collation !== undefined) parts.push(`COLLATE ${quoteIdentifier(column.collation)}`)
	if (options.primaryKey) parts.push('PRIMARY KEY')
	if (options.notNull ?? !column.nullable) parts.push('NOT NULL')
	if (column.sequence) parts.push(identitySql(column.sequence))
	return parts.join(' ')
}

/** Contember maps `restrict` to NO ACTION (checked at the end of the statement, so deferrable works) */
export const onDeleteSql = (onDelete: OnDelete): string => {
	switch (onDelete) {
		case 'cascade':
			return 'CASCADE'
		case 'set null':
			return 'SET NULL'
		case 'restrict':
			return 'NO ACTION'
	}
	throw new ModificationApplyError(`Unknown onDelete action ${String(onDelete)}`)
}

export const getTargetEntity = (schema: Schema, targetName: string): Entity => {
	const target = own(schema.model.entities, targetName)
	if (!target) throw new ModificationApplyError(`Target entity ${targetName} not found`)
	return target
}

/** the primary key column of an entity as a Column (its field), with its real column name */
export const primaryColumnOf = (entity: Entity): Column => {
	const field = own(entity.fields, entity.primary)
	if (!field || !isColumn(field)) throw new ModificationApplyError(`Primary field ${entity.name}::${entity.primary} not found`)
	return field
}

/** SQL type of a foreign key column pointing at `target` (the target's primary column type) */
export const foreignKeyColumnType = (schema: Schema, target: Entity): string => {
	const primary = primaryColumnOf(target)
	return columnSqlType(schema, { type: primary.type, columnType: primary.columnType })
}

/** `REFERENCES "author"("id") ON DELETE CASCADE` (+ ` DEFERRABLE INITIALLY IMMEDIATE` for entity FKs) */
export const referencesSql = (target: Entity, onDelete: OnDelete, deferrable: boolean): string =>
	`REFERENCES ${quoteTable(target)}(${quoteIdentifier(target.primaryColumn)}) ON DELETE ${onDeleteSql(onDelete)}${
		deferrable ? ' DEFERRABLE INITIALLY IMMEDIATE' : ''
	}`

/** `ALTER TABLE "post" ADD FOREIGN KEY ("author_id") REFERENCES "author"("id") ON DELETE … DEFERRABLE INITIALLY IMMEDIATE` */
export const addForeignKeySql = (builder: SqlBuilder, entity: Entity, columnName: string, target: Entity, onDelete: OnDelete): void => {
	builder.statement(
		`ALTER TABLE ${quoteTable(entity)} ADD FOREIGN KEY (${quoteIdentifier(columnName)}) ${referencesSql(target, onDelete, true)}`,
	)
}

/**
 * The junction table of a many-has-many owning relation: two cascading (non-deferrable) FKs
 * whatever `onDelete` says, and a composite primary key added by a separate statement.
 */
export const createJunctionTableSql = (builder: SqlBuilder, schema: Schema, entity: Entity, relation: ManyHasManyOwningRelation): void => {
	const target = getTargetEntity(schema, relation.target)
	const { tableName, joiningColumn, inverseJoiningColumn } = relation.joiningTable
	const column = (name: string, references: Entity) =>
		`${quoteIdentifier(name)} ${foreignKeyColumnType(schema, references)} NOT NULL ${referencesSql(references, 'cascade', false)}`
	builder.statement(
		`CREATE TABLE ${quoteIdentifier(tableName)} ( ${column(joiningColumn.columnName, entity)}, ${column(inverseJoiningColumn.columnName, target)} )`,
	)
	builder.statement(
		`ALTER TABLE ${quoteIdentifier(tableName)} ADD PRIMARY KEY (${quoteIdentifier(joiningColumn.columnName)}, ${quoteIdentifier(inverseJoiningColumn.columnName)})`,
	)
	eventLogTriggersSql(builder, tableName, relation.joiningTable.eventLog.enabled)
}

/**
 * Contember creates `log_event` / `log_event_trx` triggers calling its engine's `system`
 * schema. strata has no such engine, so this writes nothing; it exists so the call sites
 * show where Contember would emit them.
 */
export const eventLogTriggersSql = (_builder: SqlBuilder, _tableName: string, _enabled: boolean): void => {}

/** `ALTER TABLE "t" DROP "c"` */
export const dropColumnSql = (builder: SqlBuilder, entity: Entity, columnName: string): void => {
	builder.statement(`ALTER TABLE ${quoteTable(entity)} DROP ${quoteIdentifier(columnName)}`)
}

/** `DROP TABLE "t"` (never CASCADE: a dependent object must fail the migration, not vanish) */
export const dropTableSql = (builder: SqlBuilder, tableName: string): void => {
	builder.statement(`DROP TABLE ${quoteIdentifier(tableName)}`)
}

/**
 * SQL of removing one field: a column or joining column is dropped, a many-has-many owning
 * relation drops its junction table, inverse sides have no storage. Nothing for views.
 */
export const removeFieldSql = (builder: SqlBuilder, entity: Entity, field: Field): void => {
	if (isView(entity)) return
	if (isColumn(field)) return dropColumnSql(builder, entity, field.columnName)
	if (hasJoiningColumn(field)) return dropColumnSql(builder, entity, field.joiningColumn.columnName)
	if ('joiningTable' in field) return dropTableSql(builder, field.joiningTable.tableName)
}

/** the SQL column of a field that has one (column or joining column), else undefined */
export const fieldColumnName = (field: Field): string | undefined =>
	isColumn(field) ? field.columnName : hasJoiningColumn(field) ? field.joiningColumn.columnName : undefined

/** maps field names (unique/index `fields`) to column names; unknown or column-less fields are an error */
export const fieldsToColumns = (entity: Entity, fieldNames: readonly string[]): string[] =>
	fieldNames.map(fieldName => {
		const field = own(entity.fields, fieldName)
		if (!field) throw new ModificationApplyError(`Field ${entity.name}::${fieldName} not found`)
		const column = fieldColumnName(field)
		if (column === undefined) throw new ModificationApplyError(`Field ${entity.name}::${fieldName} has no column`)
		return column
	})

/** `"a", "b"` */
export const quoteColumnList = (columns: readonly string[]): string => columns.map(quoteIdentifier).join(', ')

/**
 * A view body (user SQL, pasted verbatim as Contember does). Trailing semicolons are dropped
 * (the builder terminates statements); when the last line holds a `--` comment, which would
 * swallow the terminating `;`, the body is wrapped in parentheses with a line break.
 */
export const viewBodySql = (sql: string): string => {
	const body = sql.trim().replace(/(;\s*)+$/, '')
	const lastLine = body.slice(body.lastIndexOf('\n') + 1)
	return lastLine.includes('--') ? `(${body}\n)` : body
}
