/**
 * removeIndex `{ entityName, indexName }` or `{ entityName, fields, where?, include?,
 * columnOptions?, method?, opClass? }`. The physical index is the live catalog's non-unique
 * index with the schema index's whole definition (columns, method, operator classes, order,
 * INCLUDE, predicate); of identical duplicates (a many-has-one column's own index and a schema
 * index on it) the newest is dropped, and a comment says which. Offline, a comment names the
 * index and says its name is resolved at execution.
 */
import type { Entity, Index } from '../../schema/model.js'
import { SchemaObjectMissingError } from '../conflicts.js'
import { describeStep } from '../describeShared.js'
import { indexIdentityProperties } from '../fields/fieldSchemas.js'
import { fieldsToColumns, isMaterializedView, isView } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { deepEqual, getEntity, updateEntity } from '../updaters.js'
import { dropIndexSql, expectedIndexOf } from './dropIndexSql.js'
import { indexIdentityKeys } from './indexShared.js'

export interface RemoveIndexData {
	readonly entityName: string
	readonly indexName?: string
	readonly fields?: readonly string[]
	readonly where?: string
	readonly include?: readonly string[]
	readonly columnOptions?: Index['columnOptions']
	readonly method?: Index['method']
	readonly opClass?: string
}

const matches = (index: Index, data: RemoveIndexData): boolean =>
	data.indexName !== undefined
		? index.name === data.indexName
		: indexIdentityKeys.every(key => deepEqual(index[key], data[key]))

const resolveIndex = (entity: Entity, data: RemoveIndexData): Index => {
	const found = entity.indexes.find(it => matches(it, data))
	if (!found) {
		// typed, so replay can name the migration that removed an index matched by definition
		const { entityName: _entity, indexName, ...definition } = data
		throw new SchemaObjectMissingError(
			{ kind: 'index', entityName: entity.name, index: { ...definition, fields: data.fields ?? [], ...(indexName !== undefined ? { name: indexName } : {}) } },
			`Index ${data.indexName !== undefined ? `named ${data.indexName}` : `(${(data.fields ?? []).join(', ')})`} not found on entity ${entity.name}`,
		)
	}
	return found
}

export const removeIndexModification = defineModification<RemoveIndexData>({
	id: 'removeIndex',
	docs: {
		category: 'constraints',
		summary: 'Removes an index, named by the legacy `indexName` or by its identity (`fields`, `where?`, `include?`, `columnOptions?`, `method?`, `opClass?`).',
		origin: 'contember',
		writtenByDiff: true,
		apply: 'Removes the index whose identity is exactly the one given. Siblings that differ only by predicate, method, opclass or order stay.',
		sql: 'Live: `DROP INDEX "<name>";` for the one non-unique index with the schema index\'s whole definition ([Which index is dropped](#which-index-is-dropped)). A many-has-one column already has an index of its own, so a schema index on it without options is a second, identical one: the newer goes, the relation\'s stays. No index with the definition gives a comment and drops nothing, even if others are on the same columns. Offline: a comment.',
		destructive: false,
		warnings: [],
		example: { entityName: 'Post', fields: ['status', 'publishedAt'] },
	},
	dataSchema: {
		type: 'object',
		required: ['entityName'],
		properties: {
			entityName: { type: 'string', minLength: 1 },
			indexName: { type: 'string', minLength: 1 },
			fields: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
			...indexIdentityProperties,
		},
		oneOf: [{ required: ['indexName'] }, { required: ['fields'] }],
		additionalProperties: false,
	},
	apply: (schema, data) =>
		updateEntity(data.entityName, entity => {
			const index = resolveIndex(entity, data)
			return { ...entity, indexes: entity.indexes.filter(it => it !== index) }
		})(schema),
	sql: (builder, schema, data, { databaseMetadata }) => {
		const entity = getEntity(schema, data.entityName)
		if (isView(entity) && !isMaterializedView(entity)) return
		const index = resolveIndex(entity, data)
		const columns = fieldsToColumns(entity, [...index.fields, ...(index.include ?? [])])
		const label = `index on "${entity.tableName}" (${columns.join(', ')})`
		if (!databaseMetadata.live) {
			builder.comment(`drops the ${label}; its name is resolved from the database at execution`)
			return
		}
		dropIndexSql(builder, databaseMetadata, expectedIndexOf(entity, index), label)
	},
	describe: data => describeStep(`Remove index on ${data.entityName} ${data.indexName !== undefined ? `named ${data.indexName}` : `(${(data.fields ?? []).join(', ')})`}`),
})
