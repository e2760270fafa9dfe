/** removeIndexNames `{}`: schema-only upgrade step deleting the legacy `name` of every index and unique. */
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'
import { updateEveryEntity } from '../updaters.js'

export type RemoveIndexNamesData = Record<string, never>

const stripName = <T extends { readonly name?: string }>({ name: _name, ...rest }: T): Omit<T, 'name'> => rest

export const removeIndexNamesModification = defineModification<RemoveIndexNamesData>({
	id: 'removeIndexNames',
	docs: {
		category: 'constraints',
		summary: 'Deletes the legacy `name` from every unique and index of the schema (data: `{}`).',
		origin: 'contember',
		writtenByDiff: false,
		sql: 'none',
		destructive: false,
		warnings: [],
		example: {},
	},
	dataSchema: { type: 'object', properties: {}, additionalProperties: false },
	apply: schema =>
		updateEveryEntity(entity => ({
			...entity,
			unique: entity.unique.map(stripName),
			indexes: entity.indexes.map(stripName),
		}))(schema),
	sql: () => {},
	describe: () => describeStep('Forget the legacy names of indexes and unique constraints (schema only; database objects keep their names)'),
})
