/**
 * createRelation `{ entityName, owningSide, inverseSide? }`: adds the owning side to the entity
 * and the inverse side (when given) to the target. A many-has-many owning side without a
 * junction `eventLog` is stored with `{ enabled: true }`, as Contember normalises it. SQL: a
 * joining column with its foreign key and index/unique key, or the junction table.
 */
import type { InverseRelation, OwningRelation } from '../../schema/model.js'
import { quoteIdentifier } from '../../sql/quote.js'
import { describeStep, findEntity } from '../describeShared.js'
import { createJunctionTableSql, isView } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { addField, pipe } from '../updaters.js'
import { WarningCode, warning } from '../warnings.js'
import { createJoiningColumnSql, tableEntity } from './relationSql.js'
import { inverseRelationSchema, owningRelationSchema } from './relationSchemas.js'

export interface CreateRelationData {
	readonly entityName: string
	readonly owningSide: OwningRelation
	readonly inverseSide?: InverseRelation
}

/** a junction written without `eventLog` (older files) has the event log enabled */
export const normaliseOwningSide = (relation: OwningRelation): OwningRelation =>
	'joiningTable' in relation && relation.joiningTable.eventLog === undefined
		? { ...relation, joiningTable: { ...relation.joiningTable, eventLog: { enabled: true } } }
		: relation

export const createRelationModification = defineModification<CreateRelationData>({
	id: 'createRelation',
	docs: {
		category: 'relations',
		summary: 'Adds an owning relation, with its inverse side when given.',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'the joining column, its foreign key and its index; or the junction table of a many-has-many',
		destructive: false,
		warnings: ['S001'],
		example: {
			entityName: 'Post',
			owningSide: {
				name: 'author',
				type: 'ManyHasOne',
				target: 'Author',
				inversedBy: 'posts',
				nullable: true,
				joiningColumn: { columnName: 'author_id', onDelete: 'restrict' },
			},
			inverseSide: { name: 'posts', type: 'OneHasMany', target: 'Post', ownedBy: 'author' },
		},
	},
	dataSchema: {
		type: 'object',
		required: ['entityName', 'owningSide'],
		properties: {
			entityName: { type: 'string', minLength: 1 },
			owningSide: owningRelationSchema,
			inverseSide: inverseRelationSchema,
		},
		additionalProperties: false,
	},

	apply: (schema, { entityName, owningSide, inverseSide }) =>
		pipe(
			addField(entityName, normaliseOwningSide(owningSide)),
			...(inverseSide ? [addField(owningSide.target, inverseSide)] : []),
		)(schema),

	sql: (builder, schema, { entityName, owningSide }) => {
		const entity = tableEntity(schema, entityName)
		if (!entity) return
		const relation = normaliseOwningSide(owningSide)
		if ('joiningTable' in relation) createJunctionTableSql(builder, schema, entity, relation)
		else createJoiningColumnSql(builder, schema, entity, relation)
	},

	describe: ({ entityName, owningSide, inverseSide }, { schema, createdEntities }) => {
		const entity = findEntity(schema, entityName)
		const storage = 'joiningTable' in owningSide
			? `junction table ${quoteIdentifier(owningSide.joiningTable.tableName)}`
			: `column ${quoteIdentifier(owningSide.joiningColumn.columnName)}${owningSide.nullable ? '' : ' NOT NULL'}`
		const inverse = inverseSide ? ` with inverse side ${owningSide.target}.${inverseSide.name}` : ''
		const existingTable = entity && !isView(entity) && !createdEntities.has(entityName) ? entity.tableName : undefined
		return describeStep(`Add ${owningSide.type} relation ${entityName}.${owningSide.name} → ${owningSide.target} (${storage})${inverse}`, {
			warnings: [
				existingTable !== undefined && 'joiningColumn' in owningSide && !owningSide.nullable &&
					warning(
						WarningCode.notNullWithoutFill,
						`${entityName}.${owningSide.name} is NOT NULL and relations take no fill value: the step fails when table "${existingTable}" has rows`,
					),
			],
		})
	},
})
