/** Parsing --rename / --renames / --fill / --copy answers. */
import { describe, expect, it } from 'vitest'
import { fillAnswersFromFlags, parseFillFlags, parseRenameFlags, parseRenamesFile, typedFillValue } from '../../../src/diff/answers.js'
import type { MissingFill } from '../../../src/diff/fills.js'
import { column } from './fixtures.js'

const missing = (name: string, type: Parameters<typeof column>[1], extra = {}): MissingFill => ({
	key: `Post.${name}`, entityName: 'Post', fieldName: name, modification: 'createColumn',
	field: column(name, type, { nullable: false, ...extra }), fillable: true, message: '',
})

describe('rename answers', () => {
	it('reads entity and field renames', () => {
		expect(parseRenameFlags(['Author:Writer', 'Post.title:headline'])).toEqual({ Author: 'Writer', 'Post.title': 'headline' })
	})
	it('rejects anything else, saying what is expected', () => {
		expect(() => parseRenameFlags(['Post.title=headline'])).toThrow(/Entity:NewEntity or Entity.oldField:newField/)
		expect(() => parseRenameFlags(['Post.title:new.name'])).toThrow()
	})
	it('reads an answers file, flat or wrapped, with null for "not a rename"', () => {
		expect(parseRenamesFile('a.json', '{"Author":"Writer","Post.body":null}')).toEqual({ Author: 'Writer', 'Post.body': null })
		expect(parseRenamesFile('a.json', '{"renames":{"Author":"Writer"}}')).toEqual({ Author: 'Writer' })
		expect(() => parseRenamesFile('a.json', '{"Author": 1}')).toThrow(/a.json: "Author" must map to a new name/)
		expect(() => parseRenamesFile('a.json', '[')).toThrow(/a.json is not valid JSON/)
	})
})

describe('fill answers', () => {
	it('types values as the column needs them', () => {
		expect(typedFillValue(missing('n', 'Integer'), '42')).toBe(42)
		expect(typedFillValue(missing('n', 'Double'), '0.5')).toBe(0.5)
		expect(typedFillValue(missing('b', 'Bool'), 'false')).toBe(false)
		expect(typedFillValue(missing('j', 'Json'), '{"a":[1]}')).toEqual({ a: [1] })
		expect(typedFillValue(missing('s', 'String'), '42')).toBe('42')
		expect(typedFillValue(missing('l', 'String', { list: true }), '["a","b"]')).toEqual(['a', 'b'])
		expect(() => typedFillValue(missing('n', 'Integer'), '4.2')).toThrow(/must be an integer/)
		expect(() => typedFillValue(missing('b', 'Bool'), 'yes')).toThrow(/true or false/)
		expect(() => typedFillValue(missing('j', 'Json'), '{')).toThrow(/JSON/)
	})
	it('matches flags with the missing fill values', () => {
		const raw = parseFillFlags(['Post.n=7'], ['Post.s=title'])
		expect(fillAnswersFromFlags(raw, [missing('n', 'Integer'), missing('s', 'String')], {})).toEqual({ 'Post.n': { value: 7 }, 'Post.s': { copy: 'title' } })
	})
	it('an enum fill must be one of its values', () => {
		const status = missing('status', 'Enum', { columnType: 'PostStatus' })
		expect(() => fillAnswersFromFlags(parseFillFlags(['Post.status=gone'], []), [status], { PostStatus: ['draft'] })).toThrow(/one of draft/)
		expect(fillAnswersFromFlags(parseFillFlags(['Post.status=draft'], []), [status], { PostStatus: ['draft'] })).toEqual({ 'Post.status': { value: 'draft' } })
	})
	it('a flag for a field that needs no fill is a mistake worth reporting', () => {
		expect(() => fillAnswersFromFlags(parseFillFlags(['Post.other=1'], []), [missing('n', 'Integer')], {})).toThrow(/needs no fill value for Post.other \(it needs one for Post.n\)/)
		expect(() => parseFillFlags(['title=1'], [])).toThrow(/Entity.field=value/)
	})
})
