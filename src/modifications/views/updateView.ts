/**
 * updateView `{ entityName, view }`: replaces a plain view's definition in place with
 * CREATE OR REPLACE VIEW (the differ uses it only when the output columns stay the same).
 */
import { ModificationApplyError } from '../../errors.js'
import type { ViewDefinition } from '../../schema/model.js'
import { describeStep } from '../describeShared.js'
import { viewSchema } from '../fields/fieldSchemas.js'
import { quoteTable, viewBodySql } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { getEntity, updateEntity } from '../updaters.js'
import { warning, WarningCode } from '../warnings.js'

export interface UpdateViewData {
	readonly entityName: string
	readonly view: ViewDefinition
}

export const updateViewModification = defineModification<UpdateViewData>({
	id: 'updateView',
	docs: {
		category: 'views',
		summary: 'Replaces the query of a view entity (the entity must be a view).',
		origin: 'contember',
		writtenByDiff: true,
		sql: '`CREATE OR REPLACE VIEW "v" AS <sql>;`',
		destructive: false,
		warnings: ['S007'],
		example: {
			entityName: 'PostStats',
			view: { sql: 'SELECT post_id AS id, count(*) AS comments FROM comment WHERE NOT hidden GROUP BY post_id' },
		},
	},
	dataSchema: {
		type: 'object',
		required: ['entityName', 'view'],
		properties: { entityName: { type: 'string', minLength: 1 }, view: viewSchema },
		additionalProperties: false,
	},
	apply: (schema, { entityName, view }) =>
		updateEntity(entityName, entity => {
			if (!entity.view) throw new ModificationApplyError(`Entity ${entityName} is not a view`)
			return { ...entity, view }
		})(schema),
	sql: (builder, schema, { entityName, view }) => {
		const entity = getEntity(schema, entityName)
		builder.statement(`CREATE OR REPLACE VIEW ${quoteTable(entity)} AS ${viewBodySql(view.sql)}`)
	},
	describe: ({ entityName }) =>
		describeStep(`Replace the definition of view ${entityName}`, {
			warnings: [warning(WarningCode.viewReplaceMayFail, `CREATE OR REPLACE VIEW fails when the output columns of ${entityName} change; regenerate with --recreate-views then.`)],
		}),
})
