/**
 * createRelationInverseSide `{ entityName, relation }`: adds an inverse side to an existing
 * owning relation and points the owning side at it (`inversedBy`). No SQL: inverse sides have
 * no storage. The owning field must already exist: migrations written by the 2019 differ that
 * create the inverse side before the owning one fail here, exactly as they fail in Contember
 * ("Field PostSetEntry::set not found").
 */
import { ModificationApplyError } from '../../errors.js'
import { type InverseRelation, type OwningRelation, isOwningRelation } from '../../schema/model.js'
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'
import { addField, getField, pipe, updateField } from '../updaters.js'
import { inverseRelationSchema } from './relationSchemas.js'

export interface CreateRelationInverseSideData {
	readonly entityName: string
	readonly relation: InverseRelation
}

export const createRelationInverseSideModification = defineModification<CreateRelationInverseSideData>({
	id: 'createRelationInverseSide',
	docs: {
		category: 'relations',
		summary: 'Adds the inverse side of an existing owning relation.',
		origin: 'contember',
		writtenByDiff: true,
		sql: 'none',
		destructive: false,
		warnings: [],
		example: { entityName: 'Author', relation: { name: 'posts', type: 'OneHasMany', target: 'Post', ownedBy: 'author' } },
	},
	dataSchema: {
		type: 'object',
		required: ['entityName', 'relation'],
		properties: { entityName: { type: 'string', minLength: 1 }, relation: inverseRelationSchema },
		additionalProperties: false,
	},

	apply: (schema, { entityName, relation }) => {
		// checked before anything changes, so the error names the missing owning field
		const owning = getField(schema, relation.target, relation.ownedBy)
		if (!isOwningRelation(owning)) {
			throw new ModificationApplyError(`Field ${relation.target}::${relation.ownedBy} is not an owning relation (inverse side ${entityName}::${relation.name})`)
		}
		return pipe(
			addField(entityName, relation),
			updateField<OwningRelation>(relation.target, relation.ownedBy, field => ({ ...field, inversedBy: relation.name })),
		)(schema)
	},

	sql: () => {},

	describe: ({ entityName, relation }) =>
		describeStep(`Add inverse side ${entityName}.${relation.name} of relation ${relation.target}.${relation.ownedBy} (no SQL)`),
})
