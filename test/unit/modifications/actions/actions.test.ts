import { describe, expect, it } from 'vitest'
import { emptySchema } from '../../../../src/schema/model.js'
import { apply } from '../entities/fixtures.js'

const trigger = { type: 'basic', name: 'created', entity: 'Post', create: true, target: 'hook', selection: ['id'] }
const target = { type: 'webhook', name: 'hook', url: 'https://example.com' }

describe('actions', () => {
	it('creates, patches, replaces and removes triggers and targets', () => {
		let schema = apply(emptySchema, 'createTarget', { target })
		schema = apply(schema, 'createTrigger', { trigger })
		schema = apply(schema, 'patchTrigger', { triggerName: 'created', patch: [{ op: 'add', path: '/selection/-', value: 'title' }] })
		expect(schema.actions.triggers.created).toEqual({ ...trigger, selection: ['id', 'title'] })
		schema = apply(schema, 'updateTarget', { name: 'hook', target: { ...target, url: 'https://other' } })
		expect(schema.actions.targets.hook).toMatchObject({ url: 'https://other' })
		schema = apply(schema, 'updateTrigger', { trigger: { ...trigger, create: false } })
		expect(schema.actions.triggers.created).toMatchObject({ create: false })
		schema = apply(apply(schema, 'removeTrigger', { name: 'created' }), 'removeTarget', { name: 'hook' })
		expect(schema.actions).toEqual({ triggers: {}, targets: {} })
	})

	it('patching or removing a missing trigger fails', () => {
		expect(() => apply(emptySchema, 'patchTrigger', { triggerName: 'x', patch: [] })).toThrow(/Trigger x not found/)
		expect(() => apply(emptySchema, 'removeTarget', { name: 'x' })).toThrow(/Target x not found/)
	})
})
