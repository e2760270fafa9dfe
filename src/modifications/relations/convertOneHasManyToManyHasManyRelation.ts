/**
 * convertOneHasManyToManyHasManyRelation `{ entityName, fieldName, owningSide, inverseSide? }`:
 * the many-has-one `entityName.fieldName` is replaced by the many-has-many `owningSide` (and its
 * inverse side on the target by `inverseSide`). SQL: create the junction table, copy every
 * non-NULL pair into it, then drop the old joining column.
 */
import type { InverseRelation, ManyHasManyOwningRelation, Schema } from '../../schema/model.js'
import { quoteIdentifier } from '../../sql/quote.js'
import { describeStep, findEntity } from '../describeShared.js'
import { createJunctionTableSql, dropColumnSql, isView, quoteTable } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { removeFieldFromAcl } from '../acl/aclRewrite.js'
import { addField, removeFieldFromEntity, updateEntity } from '../updaters.js'
import { FORMAT_ACL_FOLLOWS_RENAMES } from '../versions.js'
import { WarningCode, warning } from '../warnings.js'
import { replaceField } from './conversions.js'
import { normaliseOwningSide } from './createRelation.js'
import { getFieldOfKind, isManyHasOne, tableEntity } from './relationSql.js'
import { inverseRelationSchema, owningRelationSchema, relationFieldData } from './relationSchemas.js'
import { own } from '../../schema/model.js'

export interface ConvertOneHasManyToManyHasManyRelationData {
	readonly entityName: string
	readonly fieldName: string
	readonly owningSide: ManyHasManyOwningRelation
	readonly inverseSide?: InverseRelation
}

const expected = 'a many-has-one relation'

const manyHasManyOwningSchema = {
	...owningRelationSchema,
	properties: { ...owningRelationSchema.properties, type: { type: 'string', const: 'ManyHasMany' } },
} as const

export const convertOneHasManyToManyHasManyRelationModification = defineModification<ConvertOneHasManyToManyHasManyRelationData>({
	id: 'convertOneHasManyToManyHasManyRelation',
	docs: {
		category: 'relations',
		summary: 'Turns a many-has-one relation into a many-has-many, keeping the links.',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'creates the junction table, copies the links into it, drops the column',
		destructive: 'the column is dropped (after its links are copied)',
		warnings: ['S004'],
		example: {
			entityName: 'Post',
			fieldName: 'author',
			owningSide: {
				type: 'ManyHasMany',
				name: 'authors',
				inversedBy: 'posts',
				target: 'Author',
				joiningTable: {
					tableName: 'post_authors',
					joiningColumn: { columnName: 'post_id', onDelete: 'cascade' },
					inverseJoiningColumn: { columnName: 'author_id', onDelete: 'cascade' },
					eventLog: { enabled: true },
				},
			},
			inverseSide: { name: 'posts', ownedBy: 'authors', target: 'Post', type: 'ManyHasMany' },
		},
	},
	dataSchema: relationFieldData({ owningSide: manyHasManyOwningSchema, inverseSide: inverseRelationSchema }, ['owningSide']),

	apply: (schema: Schema, { entityName, fieldName, owningSide, inverseSide }, formatVersion) => {
		const old = getFieldOfKind(schema, entityName, fieldName, isManyHasOne, expected)
		const owning = normaliseOwningSide(owningSide)
		const oldInverse = old.inversedBy
		// the converted field keeps its ACL permissions under its new name (real histories patch them
		// afterwards), and so does an inverse side replaced in place
		let next = replaceField(entityName, fieldName, owning, formatVersion)(schema)
		// the new inverse side takes the place of the old one among the target's fields
		if (oldInverse !== undefined && inverseSide !== undefined && owningSide.target === old.target && own(own(next.model.entities, old.target)?.fields, oldInverse)) {
			return replaceField(old.target, oldInverse, inverseSide, formatVersion)(next)
		}
		if (oldInverse !== undefined && own(own(next.model.entities, old.target)?.fields, oldInverse)) {
			// the old inverse side goes without a successor: (v≥2) so do its permissions
			if (formatVersion >= FORMAT_ACL_FOLLOWS_RENAMES) next = removeFieldFromAcl(next, old.target, oldInverse)
			next = updateEntity(old.target, removeFieldFromEntity(oldInverse))(next)
		}
		return inverseSide !== undefined ? addField(owningSide.target, inverseSide)(next) : next
	},

	sql: (builder, schema, { entityName, fieldName, owningSide }) => {
		const entity = tableEntity(schema, entityName)
		if (!entity) return
		const old = getFieldOfKind(schema, entityName, fieldName, isManyHasOne, expected)
		const owning = normaliseOwningSide(owningSide) as ManyHasManyOwningRelation
		const { tableName, joiningColumn, inverseJoiningColumn } = owning.joiningTable
		const foreignKey = quoteIdentifier(old.joiningColumn.columnName)
		createJunctionTableSql(builder, schema, entity, owning)
		builder.statement(
			`INSERT INTO ${quoteIdentifier(tableName)} (${quoteIdentifier(joiningColumn.columnName)}, ${quoteIdentifier(inverseJoiningColumn.columnName)}) ` +
				`SELECT ${quoteIdentifier(entity.primaryColumn)}, ${foreignKey} FROM ${quoteTable(entity)} WHERE ${foreignKey} IS NOT NULL`,
		)
		dropColumnSql(builder, entity, old.joiningColumn.columnName)
	},

	describe: ({ entityName, fieldName, owningSide }, { schema, createdEntities }) => {
		const entity = findEntity(schema, entityName)
		const field = own(entity?.fields, fieldName)
		const column = field && 'joiningColumn' in field ? field.joiningColumn.columnName : `${fieldName}'s column`
		const table = entity?.tableName ?? entityName
		const existingTable = entity && !isView(entity) && !createdEntities.has(entityName)
		return describeStep(
			`Convert many-has-one relation ${entityName}.${fieldName} to many-has-many ${entityName}.${owningSide.name} (junction table "${owningSide.joiningTable.tableName}")`,
			{
				destructiveReason: `column "${table}"."${column}" is dropped after its values are copied into junction table "${owningSide.joiningTable.tableName}"`,
				warnings: [
					existingTable &&
						warning(WarningCode.tableRewrite, `every row of "${table}" is copied into "${owningSide.joiningTable.tableName}" inside the migration; large tables hold their locks for that long`),
				],
			},
		)
	},
})
