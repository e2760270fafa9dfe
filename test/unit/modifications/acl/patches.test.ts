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

	it('copies only what a patch touches, and never changes the input or the patch, whatever the operations do', () => {
		const deepFreeze = <T>(value: T): T => {
			if (value !== null && typeof value === 'object') for (const child of Object.values(value)) deepFreeze(child)
			return Object.freeze(value)
		}
		const untouched = { entities: { Tag: { operations: { read: { id: true } } } } }
		const before = deepFreeze({ ...emptySchema, acl: { roles: { admin: { entities: { Post: { operations: { read: { id: true } } } } }, editor: untouched } } })
		const patch = deepFreeze([
			// a moved object is the input's own: changing it afterwards must copy it first
			{ op: 'move', from: '/roles/admin/entities/Post', path: '/roles/admin/entities/Article' },
			{ op: 'add', path: '/roles/admin/entities/Article/operations/read/title', value: true },
			{ op: 'add', path: '/roles/admin/entities/Comment', value: { operations: { read: {} } } },
			// the value just added is the patch's own object
			{ op: 'add', path: '/roles/admin/entities/Comment/operations/read/id', value: true },
			{ op: 'copy', from: '/roles/admin/entities/Article', path: '/roles/admin/entities/Page' },
			{ op: 'replace', path: '/roles/admin/entities/Page/operations/read/id', value: false },
		])
		const after = apply(before, 'patchAclSchema', { patch })
		expect(after.acl.roles).toEqual({
			admin: {
				entities: {
					Article: { operations: { read: { id: true, title: true } } },
					Comment: { operations: { read: { id: true } } },
					Page: { operations: { read: { id: false, title: true } } },
				},
			},
			editor: untouched,
		})
		// the role the patch did not touch is shared, not copied
		expect((after.acl.roles as Record<string, unknown>).editor).toBe(untouched)
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
