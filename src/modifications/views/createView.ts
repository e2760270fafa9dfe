/**
 * createView `{ entity, noData? }`: an entity backed by a SQL view. The view body is the user's
 * SQL, pasted verbatim (it is SQL by definition); the name is quoted.
 */
import type { Entity } from '../../schema/model.js'
import type { SqlBuilder } from '../../sql/builder.js'
import { describeStep } from '../describeShared.js'
import { addEntity } from '../entities/createEntity.js'
import { entitySchema } from '../fields/fieldSchemas.js'
import { quoteTable, viewBodySql } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { warning, WarningCode } from '../warnings.js'

export interface CreateViewData {
	readonly entity: Entity
	readonly noData?: boolean
}

export const createViewSql = (builder: SqlBuilder, entity: Entity, noData: boolean): void => {
	const body = viewBodySql(entity.view?.sql ?? '')
	if (entity.view?.materialized) {
		builder.statement(`CREATE MATERIALIZED VIEW ${quoteTable(entity)} AS ${body} ${noData ? 'WITH NO DATA' : 'WITH DATA'}`)
	} else {
		builder.statement(`CREATE VIEW ${quoteTable(entity)} AS ${body}`)
	}
}

export const createViewModification = defineModification<CreateViewData>({
	id: 'createView',
	docs: {
		category: 'views',
		summary: 'Creates a view entity (`view: { sql, dependencies?, idSource?, materialized? }`); `noData` creates a materialized view without populating it.',
		origin: 'contember',
		writtenByDiff: true,
		sql: '`CREATE VIEW "v" AS <sql>;` or `CREATE MATERIALIZED VIEW "v" AS <sql> WITH [NO] DATA;`. Trailing semicolons of the body are dropped. A body whose last line holds a `--` comment is wrapped in parentheses, so the comment cannot swallow the statement\'s terminator.',
		destructive: false,
		warnings: ['S011'],
		example: {
			entity: {
				name: 'PostStats',
				primary: 'id',
				primaryColumn: 'id',
				tableName: 'post_stats',
				fields: {
					id: { name: 'id', columnName: 'id', nullable: false, type: 'Uuid', columnType: 'uuid' },
					comments: { name: 'comments', columnName: 'comments', nullable: true, type: 'Integer', columnType: 'integer' },
				},
				unique: [],
				indexes: [],
				eventLog: { enabled: false },
				view: {
					sql: 'SELECT post_id AS id, count(*) AS comments FROM comment GROUP BY post_id',
					dependencies: ['Comment'],
				},
			},
		},
	},
	dataSchema: {
		type: 'object',
		required: ['entity'],
		properties: { entity: { ...entitySchema, required: [...entitySchema.required, 'view'] }, noData: { type: 'boolean' } },
		additionalProperties: false,
	},
	apply: (schema, { entity }) => addEntity(entity)(schema),
	sql: (builder, _schema, { entity, noData }) => createViewSql(builder, entity, noData === true),
	describe: ({ entity, noData }) =>
		describeStep(`Create ${entity.view?.materialized ? 'materialized view' : 'view'} ${entity.name} ("${entity.tableName}")`, {
			warnings: [
				entity.view?.materialized && !noData &&
					warning(WarningCode.materializedViewPopulate, `Materialized view "${entity.tableName}" is populated inside the migration (WITH DATA); a heavy query makes the migration slow.`),
			],
		}),
})
