import { describe, expect, it } from 'vitest'
import { emptySchema } from '../../../../src/schema/model.js'
import { apply, sqlOf } from '../entities/fixtures.js'

describe('ACL and validation patches', () => {
	it('applies an RFC 6902 patch without mutating the input', () => {
		const before = { ...emptySchema, acl: { roles: { admin: { entities: {} } } } }
		const frozen = JSON.stringify(before)
		const after = apply(before, 'patchAclSchema', { patch: [{ op: 'add', path: '/roles/admin/entities/Post', value: { operations: {} } }] })
		expect(after.acl).toEqual({ roles: { admin: { entities: { Post: { operations: {} } } } } })
		expect(JSON.stringify(before)).toBe(frozen)
		expect(sqlOf(before, 'patchAclSchema', { patch: [] }).isEmpty).toBe(true)
	})

	it('a failing operation (missing path, failed test) fails the modification and names it', () => {
		expect(() => apply(emptySchema, 'patchAclSchema', { patch: [{ op: 'replace', path: '/roles/x/y', value: 1 }] })).toThrow(/operation #0 \(replace \/roles\/x\/y\)/)
		expect(() => apply(emptySchema, 'patchValidationSchema', { patch: [{ op: 'test', path: '', value: { a: 1 } }] })).toThrow(/validation patch/)
	})

	it('updateAclSchema / updateValidationSchema replace wholesale', () => {
		expect(apply(emptySchema, 'updateAclSchema', { schema: { roles: { r: {} } } }).acl).toEqual({ roles: { r: {} } })
		expect(apply(emptySchema, 'updateValidationSchema', { schema: { Post: {} } }).validation).toEqual({ Post: {} })
	})
})
