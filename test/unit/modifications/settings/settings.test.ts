import { describe, expect, it } from 'vitest'
import { emptySchema } from '../../../../src/schema/model.js'
import { apply, describeOf } from '../entities/fixtures.js'

describe('updateSettings', () => {
	it('sets and unsets one top-level key', () => {
		const set = apply(emptySchema, 'updateSettings', { op: 'set', key: 'content', value: { shortDateResponse: true } })
		expect(set.settings).toEqual({ content: { shortDateResponse: true } })
		expect(apply(set, 'updateSettings', { op: 'unset', key: 'content' }).settings).toEqual({})
		expect(describeOf(emptySchema, 'updateSettings', { op: 'unset', key: 'content' })).toEqual({ message: 'Unset setting content', destructive: false, warnings: [] })
	})
})
