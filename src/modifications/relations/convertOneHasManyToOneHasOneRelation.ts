/**
 * convertOneHasManyToOneHasOneRelation `{ entityName, fieldName, newInverseSideFieldName? }`: a
 * many-has-one relation becomes one-has-one owning; its one-has-many inverse side becomes a
 * nullable one-has-one inverse (its `orderBy` goes), optionally renamed (v≥2: with its ACL entries). SQL: the plain index of
 * the joining column is dropped (name from the live catalog) and a unique key added, which fails
 * when two rows point at the same target.
 */
import type { OneHasManyRelation, OneHasOneInverseRelation, OneHasOneOwningRelation } from '../../schema/model.js'
import { quoteIdentifier } from '../../sql/quote.js'
import { describeStep, findEntity } from '../describeShared.js'
import { isView, quoteTable } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { pipe, updateField } from '../updaters.js'
import { WarningCode, warning } from '../warnings.js'
import { replaceInverseSide } from './conversions.js'
import { dropIndexesSql, getFieldOfKind, isManyHasOne, tableEntity } from './relationSql.js'
import { relationFieldData } from './relationSchemas.js'

export interface ConvertOneHasManyToOneHasOneRelationData {
	readonly entityName: string
	readonly fieldName: string
	readonly newInverseSideFieldName?: string
}

const expected = 'a many-has-one relation'

export const convertOneHasManyToOneHasOneRelationModification = defineModification<ConvertOneHasManyToOneHasOneRelationData>({
	id: 'convertOneHasManyToOneHasOneRelation',
	docs: {
		category: 'relations',
		summary: 'Turns a many-has-one relation into a one-has-one (its inverse side becomes one-has-one, optionally renamed by `newInverseSideFieldName`).',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'drops the column\'s index (its live name, [by definition](#which-index-is-dropped)) and adds a unique key',
		destructive: false,
		warnings: ['S005'],
		example: { entityName: 'Post', fieldName: 'cover', newInverseSideFieldName: 'post' },
	},
	dataSchema: relationFieldData({ newInverseSideFieldName: { type: 'string', minLength: 1 } }),

	apply: (schema, { entityName, fieldName, newInverseSideFieldName }, formatVersion) => {
		const owning = getFieldOfKind(schema, entityName, fieldName, isManyHasOne, expected)
		const inverseName = owning.inversedBy !== undefined ? (newInverseSideFieldName ?? owning.inversedBy) : undefined
		const converted: OneHasOneOwningRelation = { ...owning, type: 'OneHasOne', ...(inverseName !== undefined ? { inversedBy: inverseName } : {}) }
		return pipe(
			updateField(entityName, fieldName, () => converted),
			replaceInverseSide<OneHasManyRelation>(owning, inverseName, formatVersion, ({ orderBy: _orderBy, ...inverse }): OneHasOneInverseRelation => ({
				...inverse,
				type: 'OneHasOne',
				nullable: true,
			})),
		)(schema)
	},

	sql: (builder, schema, { entityName, fieldName }, { databaseMetadata }) => {
		const entity = tableEntity(schema, entityName)
		if (!entity) return
		const column = getFieldOfKind(schema, entityName, fieldName, isManyHasOne, expected).joiningColumn.columnName
		dropIndexesSql(builder, databaseMetadata, entity, [column])
		builder.statement(`ALTER TABLE ${quoteTable(entity)} ADD UNIQUE (${quoteIdentifier(column)})`)
	},

	describe: ({ entityName, fieldName, newInverseSideFieldName }, { schema, createdEntities }) => {
		const entity = findEntity(schema, entityName)
		const existingTable = entity && !isView(entity) && !createdEntities.has(entityName) ? entity.tableName : undefined
		return describeStep(
			`Convert many-has-one relation ${entityName}.${fieldName} to one-has-one${newInverseSideFieldName ? ` (inverse side renamed to ${newInverseSideFieldName})` : ''}; a unique key is added`,
			{
				warnings: [
					existingTable !== undefined &&
						warning(WarningCode.conversionMayFail, `the unique key fails when two rows of "${existingTable}" point at the same ${fieldName}`),
				],
			},
		)
	},
})
