/**
 * createColumn `{ entityName, field, fillValue?, copyValue?, valueMigrationStrategy? }`: adds a
 * column. Existing rows are seeded from `fillValue` (a literal) or `copyValue` (another field of
 * the entity); with the default `update` strategy the column is added nullable, filled by an
 * UPDATE and then made NOT NULL; with `using` it is filled by `SET DATA TYPE … USING <seed>`.
 */
import type { Column } from '../../schema/model.js'
import { quoteIdentifier } from '../../sql/quote.js'
import { describeStep, findEntity } from '../describeShared.js'
import { columnSchema, entityNameData } from '../fields/fieldSchemas.js'
import { columnDefinitionSql, columnSqlType, isView, quoteTable } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { addField, getEntity } from '../updaters.js'
import { WarningCode, warning } from '../warnings.js'
import { type SeedData, alterColumnSql, fillByUpdateSql, seedDataProperties, seedExpression, setDataTypeAction } from './columnSql.js'

export interface CreateColumnData extends SeedData {
	readonly entityName: string
	readonly field: Column
}

/** files written before 2020 carry `enumName` on enum columns; it is kept as Contember keeps it */
const legacyColumnSchema = {
	...columnSchema,
	properties: { ...columnSchema.properties, enumName: { type: 'string', minLength: 1 } },
} as const

export const createColumnModification = defineModification<CreateColumnData>({
	id: 'createColumn',
	docs: {
		category: 'columns',
		summary: 'Adds a column field; `fillValue` / `copyValue` (with `valueMigrationStrategy`) fill the existing rows of a NOT NULL column.',
		origin: 'contember',
		writtenByDiff: true,
		sql: '`ALTER TABLE … ADD …`, then the fill.',
		destructive: false,
		warnings: ['S001', 'S004'],
		example: {
			entityName: 'Post',
			field: { name: 'subtitle', columnName: 'subtitle', nullable: false, type: 'String', columnType: 'text' },
			fillValue: '',
		},
	},
	dataSchema: entityNameData({ field: legacyColumnSchema, ...seedDataProperties }, ['field']),

	// the field is stored exactly as the file holds it
	apply: (schema, { entityName, field }) => addField(entityName, field)(schema),

	sql: (builder, schema, data) => {
		const entity = getEntity(schema, data.entityName)
		if (isView(entity)) return
		const { field } = data
		const table = quoteTable(entity)
		const seed = seedExpression(schema, entity, field, data)
		if (seed === undefined) {
			builder.statement(`ALTER TABLE ${table} ADD ${columnDefinitionSql(schema, field)}`)
			return
		}
		// the column is added nullable; NOT NULL follows once every row holds the seed
		builder.statement(`ALTER TABLE ${table} ADD ${columnDefinitionSql(schema, field, { notNull: false })}`)
		if (data.valueMigrationStrategy === 'using') {
			// SET DATA TYPE without COLLATE would reset the collation the ADD just set
			const type = setDataTypeAction(columnSqlType(schema, field), { collation: field.collation, using: seed })
			alterColumnSql(builder, entity, field.columnName, field.nullable ? [type] : [type, 'SET NOT NULL'])
		} else {
			fillByUpdateSql(builder, entity, field, seed, false)
		}
	},

	describe: (data, { schema, createdEntities }) => {
		const { entityName, field } = data
		const entity = findEntity(schema, entityName)
		// a table created earlier in the same migration is empty: nothing can fail or be rewritten
		const table = entity && !isView(entity) && !createdEntities.has(entityName) ? entity.tableName : undefined
		const existingTable = table !== undefined
		const seeded = data.fillValue !== undefined || data.copyValue !== undefined
		const target = `${entityName}.${field.name} (column ${quoteIdentifier(field.columnName)} ${columnSqlType(schema, field)}${field.nullable ? '' : ' NOT NULL'})`
		return describeStep(`Add column ${target}`, {
			warnings: [
				existingTable && !field.nullable && !seeded && !field.sequence &&
					warning(WarningCode.notNullWithoutFill, `${entityName}.${field.name} is NOT NULL and has no fillValue or copyValue: the step fails when table "${table}" has rows`),
				existingTable && seeded && data.valueMigrationStrategy === 'using' &&
					warning(WarningCode.tableRewrite, `filling ${entityName}.${field.name} with SET DATA TYPE … USING rewrites table "${table}" under an ACCESS EXCLUSIVE lock`),
				existingTable && field.sequence !== undefined &&
					warning(WarningCode.tableRewrite, `adding the identity column ${entityName}.${field.name} rewrites table "${table}" under an ACCESS EXCLUSIVE lock`),
			],
		})
	},
})
