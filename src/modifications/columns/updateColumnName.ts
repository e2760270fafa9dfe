/**
 * updateColumnName `{ entityName, fieldName, columnName }`: renames the SQL column of a column
 * or of a many-has-one / one-has-one owning relation (its joining column). Relations without a
 * column of their own cannot be renamed this way. As in Contember, `primaryColumn` is not
 * touched; renaming the primary column is flagged in the description.
 */
import { ModificationApplyError } from '../../errors.js'
import { type Entity, type Field, hasJoiningColumn, isColumn, own } from '../../schema/model.js'
import { quoteIdentifier } from '../../sql/quote.js'
import { describeStep, findEntity } from '../describeShared.js'
import { entityNameData } from '../fields/fieldSchemas.js'
import { isView, quoteTable } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { getEntity, getField, updateField } from '../updaters.js'
import { WarningCode, warning } from '../warnings.js'

export interface UpdateColumnNameData {
	readonly entityName: string
	readonly fieldName: string
	readonly columnName: string
}

const relationKind = (field: Field): string =>
	'joiningTable' in field ? 'many-has-many' : field.type === 'OneHasMany' ? 'one-has-many' : field.type === 'OneHasOne' ? 'one-has-one inverse' : 'many-has-many inverse'

/** the field's current SQL column; throws for relations that have none */
const currentColumnName = (entityName: string, fieldName: string, field: Field): string => {
	if (isColumn(field)) return field.columnName
	if (hasJoiningColumn(field)) return field.joiningColumn.columnName
	throw new ModificationApplyError(`Cannot rename the column of ${entityName}::${fieldName}: a ${relationKind(field)} relation has no column`)
}

const withColumnName = (entityName: string, fieldName: string, columnName: string) => (field: Field): Field => {
	if (isColumn(field)) return { ...field, columnName }
	if (hasJoiningColumn(field)) return { ...field, joiningColumn: { ...field.joiningColumn, columnName } }
	throw new ModificationApplyError(`Cannot rename the column of ${entityName}::${fieldName}: a ${relationKind(field)} relation has no column`)
}

const nonEmpty = { type: 'string', minLength: 1 } as const

const isPrimary = (entity: Entity | undefined, fieldName: string) => entity?.primary === fieldName

export const updateColumnNameModification = defineModification<UpdateColumnNameData>({
	id: 'updateColumnName',
	docs: {
		category: 'columns',
		summary: 'Renames the column of a field (the field keeps its name).',
		origin: 'contember',
		writtenByDiff: true,
		sql: '`ALTER TABLE … RENAME …`',
		destructive: false,
		warnings: ['S010'],
		example: { entityName: 'Post', fieldName: 'title', columnName: 'headline' },
	},
	dataSchema: entityNameData({ fieldName: nonEmpty, columnName: nonEmpty }, ['fieldName', 'columnName']),

	apply: (schema, { entityName, fieldName, columnName }) =>
		updateField(entityName, fieldName, withColumnName(entityName, fieldName, columnName))(schema),

	sql: (builder, schema, { entityName, fieldName, columnName }) => {
		const entity = getEntity(schema, entityName)
		if (isView(entity)) return
		const from = currentColumnName(entityName, fieldName, getField(schema, entityName, fieldName))
		builder.statement(`ALTER TABLE ${quoteTable(entity)} RENAME ${quoteIdentifier(from)} TO ${quoteIdentifier(columnName)}`)
	},

	describe: ({ entityName, fieldName, columnName }, { schema }) => {
		const entity = findEntity(schema, entityName)
		const field = own(entity?.fields, fieldName)
		const from = field && (isColumn(field) ? field.columnName : hasJoiningColumn(field) ? field.joiningColumn.columnName : undefined)
		return describeStep(`Rename column of ${entityName}.${fieldName}${from !== undefined ? ` from "${from}"` : ''} to "${columnName}"`, {
			warnings: [
				warning(WarningCode.renameBreaksClients, `SQL written against column "${from ?? fieldName}" (views, reports, other services) breaks after the rename`),
				isPrimary(entity, fieldName) &&
					warning(WarningCode.renameBreaksClients, `${entityName}.${fieldName} is the primary key: primaryColumn still says "${entity?.primaryColumn}", so later relations would reference the old name`),
			],
		})
	},
})
