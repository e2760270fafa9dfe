/** followNames: where an entity or field of the schema before a migration ends up after its steps. */
import { describe, expect, it } from 'vitest'
import { followNames } from '../../../src/migrations/amendAnswers.js'

const step = (modification: string, data: Record<string, unknown>) => ({ modification, ...data })

describe('followNames', () => {
	it('follows entity and field renames in order, through a rename of the entity in between', () => {
		const steps = [
			step('updateFieldName', { entityName: 'Post', fieldName: 'lead', newFieldName: 'summary' }),
			step('updateEntityName', { entityName: 'Post', newEntityName: 'Article' }),
			step('updateFieldName', { entityName: 'Article', fieldName: 'summary', newFieldName: 'abstract' }),
		]
		expect(followNames({ entity: 'Post', field: 'lead' }, steps)).toEqual({ entity: 'Article', field: 'abstract' })
		expect(followNames({ entity: 'Post' }, steps)).toEqual({ entity: 'Article' })
		expect(followNames({ entity: 'Post', field: 'title' }, steps)).toEqual({ entity: 'Article', field: 'title' })
	})

	it('a removed entity or field is gone, even when something new takes its name later', () => {
		const steps = [
			step('removeField', { entityName: 'Post', fieldName: 'lead' }),
			step('createColumn', { entityName: 'Post', field: { name: 'lead' } }),
			step('removeEntity', { entityName: 'Tag' }),
		]
		expect(followNames({ entity: 'Post', field: 'lead' }, steps)).toBeUndefined()
		expect(followNames({ entity: 'Tag', field: 'label' }, steps)).toBeUndefined()
		expect(followNames({ entity: 'Post', field: 'title' }, steps)).toEqual({ entity: 'Post', field: 'title' })
	})

	it('a new entity under a renamed-away name is not the old one', () => {
		const steps = [step('updateEntityName', { entityName: 'Post', newEntityName: 'Article' }), step('updateFieldName', { entityName: 'Post', fieldName: 'x', newFieldName: 'y' })]
		expect(followNames({ entity: 'Post', field: 'x' }, steps)).toEqual({ entity: 'Article', field: 'x' })
	})
})
