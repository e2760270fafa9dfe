/** createIndex `{ entityName, index }`: `CREATE INDEX ON "t" [USING m] (…) [INCLUDE (…)] [WHERE (…)]` (tables, materialized views). */
import type { Index } from '../../schema/model.js'
import { appendOrReplace, refuseExisting, sameIndex } from '../conflicts.js'
import { describeStep } from '../describeShared.js'
import { entityNameData, indexSchema } from '../fields/fieldSchemas.js'
import { isMaterializedView, isView } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { getEntity, updateEntity } from '../updaters.js'
import { createIndexSql } from './indexShared.js'

export interface CreateIndexData {
	readonly entityName: string
	readonly index: Index
}

export const createIndexModification = defineModification<CreateIndexData>({
	id: 'createIndex',
	docs: {
		category: 'constraints',
		summary: 'Adds an index (`fields`, `method?`, `opClass?`, `where?`, `include?`, `columnOptions?: { field: { order?, nulls?, opClass? } }`).',
		origin: 'contember',
		writtenByDiff: true,
		sql: '`CREATE INDEX ON "t"[ USING m] ("a"[ opclass][ DESC][ NULLS FIRST|LAST], …)[ INCLUDE (…)][ WHERE (<where>)];`. A per-column opclass overrides the index-level one. ASC is never written.',
		destructive: false,
		warnings: [],
		example: { entityName: 'Post', index: { fields: ['status', 'publishedAt'] } },
	},
	dataSchema: entityNameData({ index: indexSchema }, ['index']),
	// the same definition twice (whatever the legacy `name`) is refused; a tolerated duplicate replaces the first
	apply: (schema, { entityName, index }) => {
		const exists = refuseExisting(schema, { kind: 'index', entityName, index })
		return updateEntity(entityName, entity => ({ ...entity, indexes: appendOrReplace(entity.indexes, index, sameIndex, exists) }))(schema)
	},
	sql: (builder, schema, { entityName, index }) => {
		const entity = getEntity(schema, entityName)
		if (isView(entity) && !isMaterializedView(entity)) return
		builder.statement(createIndexSql(entity, index))
	},
	describe: ({ entityName, index }) =>
		describeStep(`Create index on ${entityName} (${index.fields.join(', ')})${index.method ? ` using ${index.method}` : ''}${index.where ? ' (partial)' : ''}`),
})
