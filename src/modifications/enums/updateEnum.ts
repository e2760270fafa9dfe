/**
 * updateEnum `{ enumName, values }`: replaces the domain's check constraint. A domain used in
 * an array type cannot be altered, so when a list column uses the enum the domain is renamed,
 * recreated and every column of the enum re-typed.
 */
import { SchemaObjectMissingError } from '../conflicts.js'
import { quoteIdentifier } from '../../sql/quote.js'
import { describeStep, listText } from '../describeShared.js'
import { columnSqlType, quoteTable } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { updateEnums } from '../updaters.js'
import { warning, WarningCode } from '../warnings.js'
import { createDomainSql, enumCheckName, plainIdentifier, enumCheckSql, enumColumns, enumWithValuesDataSchema } from './enumShared.js'
import { own } from '../../schema/model.js'

export interface UpdateEnumData {
	readonly enumName: string
	readonly values: readonly string[]
}

export const updateEnumModification = defineModification<UpdateEnumData>({
	id: 'updateEnum',
	docs: {
		category: 'enums',
		summary: 'Replaces the values of an enum.',
		origin: 'contember',
		writtenByDiff: true,
		sql: '`ALTER DOMAIN "E" DROP CONSTRAINT e_check; ALTER DOMAIN "E" ADD CONSTRAINT e_check CHECK (…);`. When a list column uses the enum (PostgreSQL cannot alter a domain used in an array type): `ALTER DOMAIN "E" RENAME TO "E__old"`, `CREATE DOMAIN "E" …`, `ALTER TABLE … ALTER "c" SET DATA TYPE "E"` / `"E"[]` for every column of the enum, then `DROP DOMAIN "E__old"`.',
		destructive: 'when values are removed',
		warnings: ['S003', 'S004'],
		example: { enumName: 'PostStatus', values: ['draft', 'published', 'archived'] },
	},
	dataSchema: enumWithValuesDataSchema,
	apply: (schema, { enumName, values }) =>
		updateEnums(enums => {
			if (!own(enums, enumName)) throw new SchemaObjectMissingError({ kind: 'enum', enumName }, `Enum ${enumName} not found`)
			return { ...enums, [enumName]: [...values] }
		})(schema),
	sql: (builder, schema, { enumName, values }) => {
		const columns = enumColumns(schema, enumName)
		if (!columns.some(it => it.column.list)) {
			const check = plainIdentifier(enumCheckName(enumName))
			builder.statement(`ALTER DOMAIN ${quoteIdentifier(enumName)} DROP CONSTRAINT ${check}`)
			builder.statement(`ALTER DOMAIN ${quoteIdentifier(enumName)} ADD CONSTRAINT ${check} ${enumCheckSql(values)}`)
			return
		}
		const old = `${enumName}__old`
		builder.statement(`ALTER DOMAIN ${quoteIdentifier(enumName)} RENAME TO ${quoteIdentifier(old)}`)
		createDomainSql(builder, enumName, values)
		for (const { entity, column } of columns) {
			builder.statement(`ALTER TABLE ${quoteTable(entity)} ALTER ${quoteIdentifier(column.columnName)} SET DATA TYPE ${columnSqlType(schema, column)}`)
		}
		builder.statement(`DROP DOMAIN ${quoteIdentifier(old)}`)
	},
	describe: ({ enumName, values }, { schema }) => {
		const before = own(schema.model.enums, enumName) ?? []
		const removed = before.filter(it => !values.includes(it))
		const added = values.filter(it => !before.includes(it))
		const columns = enumColumns(schema, enumName)
		const changes = [added.length && `adds ${listText(added)}`, removed.length && `removes ${listText(removed)}`].filter(Boolean).join(', ')
		return describeStep(`Update enum ${enumName}${changes ? ` (${changes})` : ''}`, {
			destructiveReason: removed.length ? `removes enum values ${listText(removed)}` : undefined,
			warnings: [
				removed.length > 0 &&
					warning(WarningCode.enumValueRemoved, `Removing ${listText(removed)} from ${enumName} fails while any row still holds ${removed.length > 1 ? 'one of them' : 'it'}.`),
				columns.some(it => it.column.list) &&
					warning(WarningCode.tableRewrite, `${enumName} is used by a list column: every column of the enum (${listText(columns.map(it => `${it.entity.tableName}.${it.column.columnName}`))}) is re-typed, which rewrites those tables.`),
			],
		})
	},
})
