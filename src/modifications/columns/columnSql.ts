/**
 * SQL pieces of the column modifications (createColumn, updateColumnDefinition): the seed
 * expression of a fill/copy value, the fill sequence, and `ALTER TABLE … ALTER …` lists.
 * Quoting goes through src/sql/quote.ts only; type strings come from sqlShared.columnSqlType.
 */
import { ModificationApplyError } from '../../errors.js'
import { type Column, type ColumnDefinition, type Entity, type JsonValue, type Schema, hasJoiningColumn, isColumn, own } from '../../schema/model.js'
import type { SqlBuilder } from '../../sql/builder.js'
import { dollarQuote, quoteIdentifier, quoteLiteral } from '../../sql/quote.js'
import { columnSqlType, quoteTable } from '../sqlShared.js'

export type ValueMigrationStrategy = 'using' | 'update'

/** the fill-related keys shared by createColumn and updateColumnDefinition */
export interface SeedData {
	readonly fillValue?: JsonValue
	readonly copyValue?: string
	readonly valueMigrationStrategy?: ValueMigrationStrategy
}

export const seedDataProperties = {
	fillValue: {},
	copyValue: { type: 'string', minLength: 1 },
	valueMigrationStrategy: { type: 'string', enum: ['using', 'update'] },
} as const

const isJsonText = (text: string): boolean => {
	try {
		JSON.parse(text)
		return true
	} catch {
		return false
	}
}

/**
 * The literal of a fill value. Scalars and arrays are written as Contember writes them
 * (quoteLiteral). A Json column stores a JSON document, so its fill value is written as JSON
 * text in a dollar quote, which PostgreSQL casts to jsonb: Contember renders objects as an empty
 * string and numbers/booleans/arrays as SQL values, all of which jsonb rejects. A string that is
 * already JSON text is kept as is (that is what Contember sends and it works); any other string
 * becomes a JSON string.
 */
export const fillLiteral = (column: Pick<ColumnDefinition, 'type' | 'list'>, value: JsonValue): string => {
	if (column.type !== 'Json' || column.list) return quoteLiteral(value)
	if (typeof value === 'string') return dollarQuote(isJsonText(value) ? value : JSON.stringify(value))
	return dollarQuote(JSON.stringify(value))
}

/** the SQL column of a field that has one (copyValue names a field, not a column) */
const copySourceColumn = (entity: Entity, fieldName: string): string => {
	const field = own(entity.fields, fieldName)
	if (!field) throw new ModificationApplyError(`Field ${entity.name}::${fieldName} not found (copyValue)`)
	if (isColumn(field)) return field.columnName
	if (hasJoiningColumn(field)) return field.joiningColumn.columnName
	throw new ModificationApplyError(`Field ${entity.name}::${fieldName} has no column to copy from (copyValue)`)
}

/**
 * What fills existing rows: the fill value, else `"<copy column>"::<type>`, else nothing.
 * `column` is the new definition (its SQL type is the cast target).
 */
export const seedExpression = (schema: Schema, entity: Entity, column: ColumnDefinition, data: SeedData): string | undefined => {
	if (data.fillValue !== undefined) return fillLiteral(column, data.fillValue)
	if (data.copyValue !== undefined) return `${quoteIdentifier(copySourceColumn(entity, data.copyValue))}::${columnSqlType(schema, column)}`
	return undefined
}

/**
 * Contember's event log uses deferred constraint triggers; a pending trigger event makes the
 * following ALTER TABLE fail, so updates are flushed first. Harmless without the triggers, and
 * kept so the statement lists stay comparable with Contember's.
 */
export const flushDeferredConstraints = (builder: SqlBuilder): void => {
	builder.statement('SET CONSTRAINTS ALL IMMEDIATE')
	builder.statement('SET CONSTRAINTS ALL DEFERRED')
}

/** `ALTER TABLE "t" ALTER "c" <a>, ALTER "c" <b>` (nothing when there are no actions) */
export const alterColumnSql = (builder: SqlBuilder, entity: Entity, columnName: string, actions: readonly string[]): void => {
	if (actions.length === 0) return
	const column = quoteIdentifier(columnName)
	builder.statement(`ALTER TABLE ${quoteTable(entity)} ${actions.map(action => `ALTER ${column} ${action}`).join(', ')}`)
}

/**
 * Fills the rows with the update strategy: UPDATE (only NULL rows when the column already
 * existed), flush, then SET NOT NULL when the column is not nullable.
 */
export const fillByUpdateSql = (
	builder: SqlBuilder,
	entity: Entity,
	column: Pick<Column, 'columnName' | 'nullable'>,
	seed: string,
	onlyNullRows: boolean,
): void => {
	const name = quoteIdentifier(column.columnName)
	builder.statement(`UPDATE ${quoteTable(entity)} SET ${name} = ${seed}${onlyNullRows ? ` WHERE ${name} IS NULL` : ''}`)
	flushDeferredConstraints(builder)
	if (!column.nullable) alterColumnSql(builder, entity, column.columnName, ['SET NOT NULL'])
}

/** `SET DATA TYPE <type>[ COLLATE "<c>"][ USING <expr>]` */
export const setDataTypeAction = (type: string, options: { collation?: string; using?: string }): string =>
	`SET DATA TYPE ${type}${options.collation !== undefined ? ` COLLATE ${quoteIdentifier(options.collation)}` : ''}${
		options.using !== undefined ? ` USING ${options.using}` : ''
	}`
