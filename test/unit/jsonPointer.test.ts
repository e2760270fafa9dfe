import { expect, it } from 'vitest'
import { jsonPointerParts } from '../../src/jsonPointer.js'

it('splits RFC 6901 pointers and decodes ~1 and ~0 (in that order)', () => {
	expect(jsonPointerParts('')).toEqual([])
	expect(jsonPointerParts('/')).toEqual([''])
	expect(jsonPointerParts('/roles/a~1b/c~0d/~01')).toEqual(['roles', 'a/b', 'c~d', '~1'])
})

it('URI-decodes the parts of a fragment pointer, as ajv writes schema paths', () => {
	expect(jsonPointerParts('#')).toEqual([])
	expect(jsonPointerParts('#/properties/a%20b/oneOf/0')).toEqual(['properties', 'a b', 'oneOf', '0'])
	// outside a fragment, % is an ordinary character
	expect(jsonPointerParts('/a%20b')).toEqual(['a%20b'])
})
