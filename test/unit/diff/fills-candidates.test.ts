/** copyValue candidates: only fields whose type PostgreSQL converts into the target's (canCopy). */
import { describe, expect, it } from 'vitest'
import { canCopy, checkCopyAnswers, copyCandidates, describeFill, findMissingFills, type CopyType } from '../../../src/diff/fills.js'
import { blog, column, edit } from './fixtures.js'

const scalar = (type: CopyType['type'], columnType = type.toLowerCase()): CopyType => ({ type, columnType, list: false })

/** Post gets a NOT NULL column of `type` (or Post.views becomes NOT NULL), and these are its candidates */
const candidatesFor = (type: Parameters<typeof column>[1], extra: Parameters<typeof column>[2] = {}) => {
	const original = edit(blog(), draft => {
		draft.model.entities.Post.fields.score = column('score', 'Double')
		draft.model.entities.Post.fields.publishedAt = column('publishedAt', 'DateTime')
	})
	const declared = edit(original, draft => {
		draft.model.entities.Post.fields.added = column('added', type, { nullable: false, ...extra })
	})
	const { missing } = findMissingFills(original, [{ modification: 'createColumn', entityName: 'Post', field: declared.model.entities.Post!.fields.added }])
	expect(missing.map(it => it.key)).toEqual(['Post.added'])
	return { names: copyCandidates(missing[0]!, declared).map(it => it.name).sort(), missing, declared }
}

describe('copyValue candidates', () => {
	it('a text column can be copied from every column and relation (every value has a text form)', () => {
		// the case: id (uuid) and views (integer) convert to text, so they are right here
		expect(candidatesFor('String').names).toEqual(['author', 'body', 'id', 'publishedAt', 'score', 'status', 'title', 'views'])
	})

	it('an integer column is offered only numbers, not the uuid id, the text title or the uuid author relation', () => {
		expect(candidatesFor('Integer').names).toEqual(['score', 'views'])
	})

	it('a uuid column is offered the id and a relation to a uuid-keyed entity, nothing else', () => {
		expect(candidatesFor('Uuid').names).toEqual(['author', 'id'])
	})

	it('an enum column is offered only columns of the same enum', () => {
		expect(candidatesFor('Enum', { columnType: 'PostStatus' }).names).toEqual(['status'])
		expect(candidatesFor('Enum', { columnType: 'OtherEnum' }).names).toEqual([])
	})

	it('a date column is offered the timestamp; a json column nothing (text → jsonb parses)', () => {
		expect(candidatesFor('Date').names).toEqual(['publishedAt'])
		expect(candidatesFor('Json').names).toEqual([])
	})

	it('canCopy: parsing casts and missing casts are refused, lists only from the same element type', () => {
		expect(canCopy(scalar('String'), scalar('Integer'))).toBe(false)
		expect(canCopy(scalar('Json'), scalar('Integer'))).toBe(false)
		expect(canCopy(scalar('Uuid'), scalar('Integer'))).toBe(false)
		expect(canCopy(scalar('Time'), scalar('DateTime'))).toBe(false)
		expect(canCopy(scalar('Integer'), scalar('Bool'))).toBe(true)
		expect(canCopy(scalar('DateTime'), scalar('Time'))).toBe(true)
		expect(canCopy({ type: 'Integer', columnType: 'integer', list: true }, { type: 'Integer', columnType: 'integer', list: true })).toBe(true)
		expect(canCopy({ type: 'Integer', columnType: 'integer', list: true }, { type: 'Double', columnType: 'double precision', list: true })).toBe(false)
		expect(canCopy(scalar('Integer'), { type: 'Integer', columnType: 'integer', list: true })).toBe(false)
		expect(canCopy({ type: 'Integer', columnType: 'integer', list: true }, scalar('String', 'text'))).toBe(true)
	})

	it('--copy from a field that cannot be copied is refused, naming the candidates', () => {
		const { missing, declared } = candidatesFor('Integer')
		expect(() => checkCopyAnswers({ 'Post.added': { copy: 'title' } }, missing, declared)).toThrow(/Post\.title cannot be copied into Post\.added.*It can be copied from views, score/)
		expect(() => checkCopyAnswers({ 'Post.added': { copy: 'nope' } }, missing, declared)).toThrow(/Post has no field "nope"/)
		expect(() => checkCopyAnswers({ 'Post.added': { copy: 'views' } }, missing, declared)).not.toThrow()
		expect(() => checkCopyAnswers({ 'Post.added': { value: 3 } }, missing, declared)).not.toThrow()
	})

	it('describeFill says what fills the rows', () => {
		expect(describeFill({ modification: 'createColumn', entityName: 'Tag', fillValue: 'grey' })).toBe('existing rows are filled with "grey"')
		expect(describeFill({ modification: 'createColumn', entityName: 'Post', copyValue: 'a' })).toBe('existing rows are filled from Post.a')
		expect(describeFill({ modification: 'createColumn', entityName: 'Post' })).toBeUndefined()
	})
})
