/**
 * updateRelationOrderBy `{ entityName, fieldName, orderBy }`: sets the default order of a
 * has-many side (one-has-many, many-has-many owning or inverse). Schema only.
 */
import type { Field, OrderBy, Relation } from '../../schema/model.js'
import { describeStep } from '../describeShared.js'
import { orderBySchema } from '../fields/fieldSchemas.js'
import { defineModification } from '../types.js'
import { updateField } from '../updaters.js'
import { getFieldOfKind } from './relationSql.js'
import { relationFieldData } from './relationSchemas.js'

export interface UpdateRelationOrderByData {
	readonly entityName: string
	readonly fieldName: string
	readonly orderBy: readonly OrderBy[]
}

const isHasMany = (field: Field): field is Relation => 'type' in field && (field.type === 'OneHasMany' || field.type === 'ManyHasMany')

export const updateRelationOrderByModification = defineModification<UpdateRelationOrderByData>({
	id: 'updateRelationOrderBy',
	docs: {
		category: 'relations',
		summary: 'Sets the order of a has-many relation.',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'none',
		destructive: false,
		warnings: [],
		example: { entityName: 'Author', fieldName: 'posts', orderBy: [{ path: ['publishedAt'], direction: 'desc' }] },
	},
	dataSchema: relationFieldData({ orderBy: orderBySchema }, ['orderBy']),

	apply: (schema, { entityName, fieldName, orderBy }) => {
		getFieldOfKind(schema, entityName, fieldName, isHasMany, 'a has-many relation')
		return updateField<Relation>(entityName, fieldName, field => ({ ...field, orderBy }) as Relation)(schema)
	},

	sql: () => {},

	describe: ({ entityName, fieldName, orderBy }) =>
		describeStep(`Set the default order of ${entityName}.${fieldName} to ${orderBy.length ? orderBy.map(it => `${it.path.join('.')} ${it.direction}`).join(', ') : 'none'} (no SQL)`),
})
