/** removeEnum `{ enumName }`: `DROP DOMAIN "name"` (no CASCADE). */
import { SchemaObjectMissingError } from '../conflicts.js'
import { quoteIdentifier } from '../../sql/quote.js'
import { describeStep, listText } from '../describeShared.js'
import { defineModification } from '../types.js'
import { updateEnums, withoutKey } from '../updaters.js'
import { warning, WarningCode } from '../warnings.js'
import { enumColumns, enumNameSchema } from './enumShared.js'
import { own } from '../../schema/model.js'

export interface RemoveEnumData {
	readonly enumName: string
}

export const removeEnumModification = defineModification<RemoveEnumData>({
	id: 'removeEnum',
	docs: {
		category: 'enums',
		summary: 'Removes an enum and its domain.',
		origin: 'contember',
		writtenByDiff: true,
		sql: '`DROP DOMAIN "E";`',
		destructive: 'always',
		warnings: ['S009'],
		example: { enumName: 'PostStatus' },
	},
	dataSchema: { type: 'object', required: ['enumName'], properties: { enumName: enumNameSchema }, additionalProperties: false },
	apply: (schema, { enumName }) =>
		updateEnums(enums => {
			if (!own(enums, enumName)) throw new SchemaObjectMissingError({ kind: 'enum', enumName }, `Enum ${enumName} not found`)
			return withoutKey(enums, enumName)
		})(schema),
	sql: (builder, _schema, { enumName }) => {
		builder.statement(`DROP DOMAIN ${quoteIdentifier(enumName)}`)
	},
	describe: ({ enumName }, { schema }) => {
		const users = enumColumns(schema, enumName)
		return describeStep(`Remove enum ${enumName} (drops domain "${enumName}")`, {
			destructiveReason: `drops the enum domain "${enumName}"`,
			warnings: [
				users.length > 0 &&
					warning(WarningCode.dependentObjects, `Columns ${listText(users.map(it => `${it.entity.name}.${it.column.name}`))} still use ${enumName}; PostgreSQL refuses to drop the domain.`),
			],
		})
	},
})
