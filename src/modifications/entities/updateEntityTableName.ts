/** updateEntityTableName `{ entityName, tableName }`: renames the table (or view) of an entity. */
import { quoteIdentifier } from '../../sql/quote.js'
import type { SqlBuilder } from '../../sql/builder.js'
import type { Entity } from '../../schema/model.js'
import { describeStep, findEntity, storageLabel } from '../describeShared.js'
import { entityNameData } from '../fields/fieldSchemas.js'
import { quoteTable } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { getEntity, updateEntity } from '../updaters.js'
import { warning, WarningCode } from '../warnings.js'

export interface UpdateEntityTableNameData {
	readonly entityName: string
	readonly tableName: string
}

export const renameTableSql = (builder: SqlBuilder, entity: Entity, tableName: string): void => {
	if (entity.tableName === tableName) return
	const kind = entity.view ? (entity.view.materialized ? 'MATERIALIZED VIEW' : 'VIEW') : 'TABLE'
	builder.statement(`ALTER ${kind} ${quoteTable(entity)} RENAME TO ${quoteIdentifier(tableName)}`)
}

export const updateEntityTableNameModification = defineModification<UpdateEntityTableNameData>({
	id: 'updateEntityTableName',
	docs: {
		category: 'entities',
		summary: 'Renames the table of an entity.',
		origin: 'contember',
		writtenByDiff: true,
		sql: '`ALTER TABLE "old" RENAME TO "new";` (`ALTER VIEW` / `ALTER MATERIALIZED VIEW` for views).',
		destructive: false,
		warnings: ['S010'],
		example: { entityName: 'Tag', tableName: 'label' },
	},
	dataSchema: entityNameData({ tableName: { type: 'string', minLength: 1 } }, ['tableName']),
	apply: (schema, { entityName, tableName }) => updateEntity(entityName, entity => ({ ...entity, tableName }))(schema),
	sql: (builder, schema, { entityName, tableName }) => renameTableSql(builder, getEntity(schema, entityName), tableName),
	describe: ({ entityName, tableName }, { schema }) =>
		describeStep(`Rename ${storageLabel(findEntity(schema, entityName), entityName)} of entity ${entityName} to "${tableName}"`, {
			warnings: [warning(WarningCode.renameBreaksClients, `Hand-written SQL (views, index predicates, reports) using the old table name breaks.`)],
		}),
})
