/** updateEntityOrderBy `{ entityName, orderBy? }`: schema only; without `orderBy` the key is removed. */
import type { OrderBy } from '../../schema/model.js'
import { describeStep } from '../describeShared.js'
import { entityNameData, orderBySchema } from '../fields/fieldSchemas.js'
import { defineModification } from '../types.js'
import { updateEntity } from '../updaters.js'

export interface UpdateEntityOrderByData {
	readonly entityName: string
	readonly orderBy?: readonly OrderBy[]
}

export const updateEntityOrderByModification = defineModification<UpdateEntityOrderByData>({
	id: 'updateEntityOrderBy',
	docs: {
		category: 'entities',
		summary: 'Sets the default order of an entity (`orderBy`: `[{ path: string[], direction }]`, direction `asc`, `desc`, `ascNullsFirst` or `descNullsLast`; the legacy `ascNullFirst` is accepted). Without `orderBy` the key is removed.',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'none',
		destructive: false,
		warnings: [],
		example: { entityName: 'Post', orderBy: [{ path: ['publishedAt'], direction: 'desc' }] },
	},
	dataSchema: entityNameData({ orderBy: orderBySchema }),
	apply: (schema, { entityName, orderBy }) =>
		updateEntity(entityName, entity => {
			const { orderBy: _previous, ...rest } = entity
			return orderBy === undefined ? rest : { ...entity, orderBy }
		})(schema),
	sql: () => {},
	describe: ({ entityName, orderBy }) =>
		describeStep(orderBy ? `Set the default order of ${entityName} to ${orderBy.map(it => `${it.path.join('.')} ${it.direction}`).join(', ')}` : `Remove the default order of ${entityName}`),
})
