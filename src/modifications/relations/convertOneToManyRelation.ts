/**
 * convertOneToManyRelation `{ entityName, fieldName, newInverseSideFieldName? }`: a one-has-one
 * owning relation becomes many-has-one (orphan removal goes); its one-has-one inverse side
 * becomes one-has-many (no `nullable`), optionally renamed (v≥2: with its ACL entries). SQL: the joining column gets the
 * index a many-has-one has, then loses its unique constraint (name from the live catalog).
 */
import type { ManyHasOneRelation, OneHasManyRelation, OneHasOneInverseRelation, Schema } from '../../schema/model.js'
import { quoteIdentifier } from '../../sql/quote.js'
import { describeStep } from '../describeShared.js'
import { quoteTable } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { pipe, updateField } from '../updaters.js'
import { replaceInverseSide } from './conversions.js'
import { dropUniqueConstraintsSql, getFieldOfKind, isOneHasOneOwning, tableEntity } from './relationSql.js'
import { relationFieldData } from './relationSchemas.js'

export interface ConvertOneToManyRelationData {
	readonly entityName: string
	readonly fieldName: string
	readonly newInverseSideFieldName?: string
}

const expected = 'a one-has-one owning relation'

export const convertOneToManyRelationModification = defineModification<ConvertOneToManyRelationData>({
	id: 'convertOneToManyRelation',
	docs: {
		category: 'relations',
		summary: 'Turns a one-has-one relation into a many-has-one (its inverse side becomes one-has-many, optionally renamed by `newInverseSideFieldName`).',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'an index on the column, then drops the column\'s unique key (its live name, [by definition](#which-index-is-dropped))',
		destructive: false,
		warnings: ['S005'],
		example: { entityName: 'Post', fieldName: 'cover', newInverseSideFieldName: 'posts' },
	},
	dataSchema: relationFieldData({ newInverseSideFieldName: { type: 'string', minLength: 1 } }),

	apply: (schema: Schema, { entityName, fieldName, newInverseSideFieldName }, formatVersion) => {
		const owning = getFieldOfKind(schema, entityName, fieldName, isOneHasOneOwning, expected)
		const { orphanRemoval: _dropped, ...rest } = owning
		const inverseName = owning.inversedBy !== undefined ? (newInverseSideFieldName ?? owning.inversedBy) : undefined
		const converted: ManyHasOneRelation = { ...rest, type: 'ManyHasOne', ...(inverseName !== undefined ? { inversedBy: inverseName } : {}) }
		return pipe(
			updateField(entityName, fieldName, () => converted),
			replaceInverseSide<OneHasOneInverseRelation>(owning, inverseName, formatVersion, ({ nullable: _nullable, ...inverse }): OneHasManyRelation => ({
				...inverse,
				type: 'OneHasMany',
			})),
		)(schema)
	},

	sql: (builder, schema, { entityName, fieldName }, { databaseMetadata }) => {
		const entity = tableEntity(schema, entityName)
		if (!entity) return
		const column = getFieldOfKind(schema, entityName, fieldName, isOneHasOneOwning, expected).joiningColumn.columnName
		builder.statement(`CREATE INDEX ON ${quoteTable(entity)} (${quoteIdentifier(column)})`)
		dropUniqueConstraintsSql(builder, databaseMetadata, entity, [column])
	},

	describe: ({ entityName, fieldName, newInverseSideFieldName }) =>
		describeStep(
			`Convert one-has-one relation ${entityName}.${fieldName} to many-has-one${newInverseSideFieldName ? ` (inverse side renamed to ${newInverseSideFieldName})` : ''}; its unique key is dropped`,
		),
})
