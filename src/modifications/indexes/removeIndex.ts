/**
 * removeIndex `{ entityName, indexName }` or `{ entityName, fields, where?, include?,
 * columnOptions?, method?, opClass? }`. The physical index is found in the live catalog among
 * non-unique indexes on the same column set (key + include). Two candidates cannot be told
 * apart (siblings differing by predicate, method, order…), so that is an error rather than a
 * guess; offline, a comment names the index and says its name is resolved at execution.
 */
import { ModificationApplyError } from '../../errors.js'
import type { Entity, Index } from '../../schema/model.js'
import { findIndexes } from '../../sql/metadata.js'
import { quoteIdentifier } from '../../sql/quote.js'
import { describeStep } from '../describeShared.js'
import { indexIdentityProperties } from '../fields/fieldSchemas.js'
import { fieldsToColumns, isMaterializedView, isView } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { deepEqual, getEntity, updateEntity } from '../updaters.js'
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
		throw new ModificationApplyError(
			`Index ${data.indexName !== undefined ? `named ${data.indexName}` : `(${(data.fields ?? []).join(', ')})`} not found on entity ${entity.name}`,
		)
	}
	return found
}

export const removeIndexModification = defineModification<RemoveIndexData>({
	id: 'removeIndex',
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
		// `unique` may be absent in older metadata snapshots: anything not marked unique is a candidate
		const found = findIndexes(databaseMetadata, entity.tableName, columns).filter(it => it.unique !== true)
		if (found.length > 1) {
			throw new ModificationApplyError(
				`Cannot tell which ${label} to drop: the database has ${found.map(it => `"${it.indexName}"`).join(', ')}. Drop the right one by hand.`,
			)
		}
		if (found.length === 0) {
			builder.comment(`no ${label} exists in the database; nothing to drop`)
			return
		}
		builder.statement(`DROP INDEX ${quoteIdentifier(found[0]!.indexName)}`)
	},
	describe: data => describeStep(`Remove index on ${data.entityName} ${data.indexName !== undefined ? `named ${data.indexName}` : `(${(data.fields ?? []).join(', ')})`}`),
})
