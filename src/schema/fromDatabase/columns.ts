/**
 * A live column as a column field: its type (columnTypes.ts), nullability, identity as
 * `sequence`, a constant DEFAULT as the fill value (defaults.ts), a non-default collation on
 * text. What the field cannot carry is reported: an unsupported type or a generated column
 * leaves the column out, a non-constant default is reported and left to the database.
 */
import type { Column } from '../model.js'
import { mapColumnType } from './columnTypes.js'
import { mapDefault } from './defaults.js'
import { qualified, type Draft } from './draft.js'
import type { LiveColumn } from './input.js'

/** the field for `column`, or undefined (reported) when the model cannot hold it */
export const columnField = (draft: Draft, table: string, column: LiveColumn, fieldName: string, primary = false): Column | undefined => {
	const name = qualified(table, column.name)
	if (column.generated !== undefined) {
		draft.unrepresentable.push({ kind: 'column', name, table, reason: `a generated column (GENERATED ALWAYS AS (${column.generated}) STORED); the model has no generated columns, so it is left out` })
		return undefined
	}
	const mapped = mapColumnType(column, draft.enumOfType.get(column.typeName))
	if (!mapped.ok) {
		draft.unrepresentable.push({ kind: 'column', name, table, reason: `${mapped.reason}; the column is left out` })
		return undefined
	}
	const field: { -readonly [K in keyof Column]: Column[K] } = {
		name: fieldName,
		columnName: column.name,
		type: mapped.type,
		columnType: mapped.columnType,
		nullable: primary ? false : !column.notNull,
	}
	if (mapped.list) field.list = true
	if (column.identity) {
		field.sequence = { precedence: column.identity.precedence, ...(column.identity.start !== 1 ? { start: column.identity.start } : {}) }
	}
	if (column.collation !== undefined && mapped.type === 'String') field.collation = column.collation
	const fill = mapDefault(column.default, mapped.type, mapped.list)
	if (fill.kind === 'constant') field.default = fill.value
	else if (fill.kind === 'expression') {
		const serial = /^nextval\(/i.test(fill.expression)
		draft.unrepresentable.push({
			kind: 'default', name, table,
			reason: `DEFAULT ${fill.expression} is not a constant${serial ? ' (a serial column: its sequence supplies the values)' : ''}: the database keeps it, the schema does not declare it, and a database built from the migrations has no such default`,
		})
	}
	return field
}
