/** Enums are PostgreSQL domains over text with a `<lower-cased name>_check` constraint. */
import type { Schema } from '../../schema/model.js'
import { isColumn } from '../../schema/model.js'
import type { SqlBuilder } from '../../sql/builder.js'
import { quoteIdentifier, quoteString } from '../../sql/quote.js'

/** at least one value: `CHECK (VALUE IN())` is a syntax error in PostgreSQL, so an empty enum could never be created */
export const enumValuesSchema = { type: 'array', items: { type: 'string' }, minItems: 1 } as const
export const enumNameSchema = { type: 'string', minLength: 1 } as const

export const enumCheckName = (enumName: string): string => `${enumName.toLowerCase()}_check`

/** `CHECK (VALUE IN('a','b'))` — each value a string literal */
export const enumCheckSql = (values: readonly string[]): string => `CHECK (VALUE IN(${values.map(quoteString).join(',')}))`

export const createDomainSql = (builder: SqlBuilder, enumName: string, values: readonly string[]): void => {
	builder.statement(`CREATE DOMAIN ${quoteIdentifier(enumName)} AS text CONSTRAINT ${quoteIdentifier(enumCheckName(enumName))} ${enumCheckSql(values)}`)
}

/** every column (entity, column) typed with the enum, tables only */
export const enumColumns = (schema: Schema, enumName: string) =>
	Object.values(schema.model.entities).flatMap(entity =>
		entity.view
			? []
			: Object.values(entity.fields).flatMap(field =>
				isColumn(field) && field.type === 'Enum' && field.columnType === enumName ? [{ entity, column: field }] : []))

/**
 * Contember writes the check constraint name unquoted in ALTER DOMAIN. An unquoted name that is
 * already lower-case snake is the same identifier, so it is kept as is (matching Contember's
 * text); anything else is quoted.
 */
export const plainIdentifier = (name: string): string => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : quoteIdentifier(name))

/** data of createEnum and updateEnum: `{ enumName, values }` */
export const enumWithValuesDataSchema = {
	type: 'object',
	required: ['enumName', 'values'],
	properties: { enumName: enumNameSchema, values: enumValuesSchema },
	additionalProperties: false,
} as const
