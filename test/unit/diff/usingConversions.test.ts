/**
 * strata's `conversion` extension of updateColumnDefinition (the USING of a type change
 * PostgreSQL cannot cast): its SQL, the checks of the expression and of the file marker, the
 * --using flags, lint, and amend carrying it.
 */
import { describe, expect, it } from 'vitest'
import { attachConversions, parseUsingFlags, withConversions } from '../../../src/diff/conversions.js'
import { refuseUncastableTypeChanges, uncastableTypeChanges } from '../../../src/diff/uncastable.js'
import { carriedConversions } from '../../../src/migrations/amendAnswers.js'
import { parseMigration } from '../../../src/migrations/parse.js'
import { markedExtension, strataOnlyFeaturesUsed } from '../../../src/migrations/strataOnly.js'
import { conversionExpressionProblem } from '../../../src/migrations/conversionExpression.js'
import type { Modification } from '../../../src/modifications/types.js'
import type { Column, ColumnDefinition } from '../../../src/schema/model.js'
import { describeOf, entity, schemaOf, sqlOf, text } from '../modifications/entities/fixtures.js'
import { codes, lint } from '../lint/lintFixture.js'

const column = (name: string, extra: Partial<Column> = {}): Column => ({ name, columnName: name, type: 'String', columnType: 'text', nullable: true, ...extra })
const schema = schemaOf([entity('Post', [text('title'), column('published', { type: 'Bool', columnType: 'boolean' }), column('votes', { type: 'Integer', columnType: 'integer' })])])
const toDate: ColumnDefinition = { type: 'DateTime', columnType: 'timestamptz', nullable: true }
const retype = (fieldName: string, definition: ColumnDefinition, extra: object = {}): Modification =>
	({ modification: 'updateColumnDefinition', entityName: 'Post', fieldName, definition, ...extra }) as Modification

describe('updateColumnDefinition with a conversion', () => {
	it('uses the conversion as USING (…) instead of the cast', () => {
		const sql = sqlOf(schema, 'updateColumnDefinition', { entityName: 'Post', fieldName: 'published', definition: toDate, conversion: 'CASE WHEN "published" THEN now() END' }).statements
		expect(sql).toEqual(['ALTER TABLE "post" ALTER "published" SET DATA TYPE timestamptz USING (CASE WHEN "published" THEN now() END)'])
	})

	it('combines with a fill value (the using strategy) and NOT NULL', () => {
		const sql = sqlOf(schema, 'updateColumnDefinition', {
			entityName: 'Post', fieldName: 'published', definition: { ...toDate, nullable: false }, conversion: 'CASE WHEN "published" THEN now() END',
			fillValue: '2020-01-01T00:00:00Z', valueMigrationStrategy: 'using',
		}).statements
		expect(sql).toEqual([`ALTER TABLE "post" ALTER "published" SET DATA TYPE timestamptz USING COALESCE((CASE WHEN "published" THEN now() END), $pga$2020-01-01T00:00:00Z$pga$), ALTER "published" SET NOT NULL`])
	})

	it('is described, and destructive: the expression decides what survives', () => {
		const description = describeOf(schema, 'updateColumnDefinition', { entityName: 'Post', fieldName: 'published', definition: toDate, conversion: 'now()' })
		expect(description.message).toContain('converted with USING (now())')
		expect(description.destructive).toBe(true)
		expect(description.destructiveReason).toContain('replaced by the conversion written in the migration')
	})

	it('lint L005 and the diff refusal leave a converted type change alone', () => {
		const plain = [retype('published', toDate)]
		expect(uncastableTypeChanges(schema, plain, 6).map(it => it.field)).toEqual(['Post.published'])
		expect(() => refuseUncastableTypeChanges(schema, plain, 6)).toThrow(/--using Post\.published='<expression>' \(or answer in a terminal\)/)
		expect(() => refuseUncastableTypeChanges(schema, plain, 6, { asksInTerminal: false })).not.toThrow(/answer in a terminal/)
		const converted = [retype('published', toDate, { conversion: 'CASE WHEN "published" THEN now() END' })]
		expect(uncastableTypeChanges(schema, converted, 6)).toEqual([])
		const published = { name: 'published', columnName: 'published', type: 'Bool', columnType: 'boolean', nullable: true }
		const base = [{ modification: 'createColumn', entityName: 'Post', field: published }]
		expect(codes(lint([...base, { modification: 'updateColumnDefinition', entityName: 'Post', fieldName: 'published', definition: toDate }]).findings)).toContain('L005')
		expect(codes(lint([...base, { modification: 'updateColumnDefinition', entityName: 'Post', fieldName: 'published', definition: toDate, conversion: 'now()' }], { strata: { extensions: ['conversion'] } }).findings)).not.toContain('L005')
	})
})

describe('conversionExpressionProblem', () => {
	it('accepts one expression, whatever its literals hold', () => {
		for (const ok of ['now()', `CASE WHEN "published" THEN now() END`, `split_part("a", ';', 1)`, `'a)--b'`, `"we;ird"`, `$x$ ; ) -- $x$ || 'y'`, `coalesce(("a")::text, 'it''s')`]) {
			expect(conversionExpressionProblem(ok), ok).toBeUndefined()
		}
	})

	it('refuses what would leave USING (…): a ";", an unbalanced parenthesis, a comment, an open literal, nothing', () => {
		expect(conversionExpressionProblem('now(); DROP TABLE post')).toMatch(/";" outside a literal/)
		expect(conversionExpressionProblem('1) + (2')).toMatch(/closes a parenthesis it did not open/)
		expect(conversionExpressionProblem('(1')).toMatch(/parenthesis is not closed/)
		expect(conversionExpressionProblem('1 -- one')).toMatch(/comment/)
		expect(conversionExpressionProblem('1 /* one */')).toMatch(/comment/)
		expect(conversionExpressionProblem(`'open`)).toMatch(/string literal is not closed/)
		expect(conversionExpressionProblem('$a$ open')).toMatch(/dollar quote \$a\$ is not closed/)
		expect(conversionExpressionProblem('   ')).toMatch(/empty/)
	})
})

describe('--using', () => {
	it('parses Entity.field=expression, the expression after the first "="', () => {
		expect(parseUsingFlags(['Post.published=CASE WHEN "published" = true THEN now() END'])).toEqual({ 'Post.published': 'CASE WHEN "published" = true THEN now() END' })
		expect(() => parseUsingFlags(['published=now()'])).toThrow(/expected Entity.field=/)
		expect(() => parseUsingFlags(['Post.published=now(); DROP TABLE post'])).toThrow(/--using Post.published: it holds a ";"/)
	})

	it('puts each conversion on its field\'s type change; one for a field whose type does not change is an error', () => {
		const modifications = [retype('published', toDate), retype('votes', { type: 'Uuid', columnType: 'uuid', nullable: true })]
		const converted = withConversions(schema, modifications, 6, { 'Post.votes': 'md5("votes"::text)::uuid' })
		expect(converted[0]).toEqual(modifications[0])
		expect(converted[1]).toMatchObject({ conversion: 'md5("votes"::text)::uuid' })
		expect(() => withConversions(schema, modifications, 6, { 'Post.title': 'x' })).toThrow('--using Post.title: this migration does not change the type of Post.title (it changes Post.published, Post.votes)')
		expect(attachConversions(schema, modifications, 6, { 'Post.title': 'x' }).unused).toEqual(['Post.title'])
	})
})

describe('the file marker', () => {
	const file = (modifications: readonly Modification[], strata?: object) => JSON.stringify({ formatVersion: 6, modifications, ...(strata ? { strata } : {}) })
	const converted = [retype('published', toDate, { conversion: 'now()' })]

	it('a file with a conversion must declare "extensions": ["conversion"]', () => {
		expect(() => parseMigration('2024-01-01-100000-x', file(converted))).toThrow(/\/modifications\/0\/conversion: strata's extension .*"strata": \{ "extensions": \["conversion"\] \}/s)
		expect(parseMigration('2024-01-01-100000-x', file(converted, { extensions: ['conversion'] })).strata).toEqual({ extensions: ['conversion'] })
	})

	it('refuses an unknown feature, and an expression that would leave USING (…)', () => {
		expect(() => parseMigration('2024-01-01-100000-x', file([], { extensions: ['sqlMagic'] }))).toThrow(/\/strata\/extensions\/0: unknown strata-only feature "sqlMagic"/)
		const bad = [retype('published', toDate, { conversion: 'now(); DROP TABLE post' })]
		expect(() => parseMigration('2024-01-01-100000-x', file(bad, { extensions: ['conversion'] }))).toThrow(/\/modifications\/0\/conversion: not usable as USING \(…\): it holds a ";"/)
	})

	it('markedExtension says exactly what the modifications use, keeping the rest of the key', () => {
		expect(strataOnlyFeaturesUsed(converted)).toEqual(new Map([['conversion', [0]]]))
		expect(markedExtension(undefined, converted)).toEqual({ extensions: ['conversion'] })
		expect(markedExtension({ online: true, extensions: ['conversion'] }, [])).toEqual({ online: true })
		expect(markedExtension({ extensions: ['conversion'] }, [])).toBeUndefined()
		expect(markedExtension(undefined, [])).toBeUndefined()
	})
})

describe('amend carries a conversion', () => {
	it('to its field\'s name after the target\'s renames and the new edits; a removed field drops it', () => {
		const target = [retype('published', toDate, { conversion: 'now()' }), { modification: 'updateFieldName', entityName: 'Post', fieldName: 'published', newFieldName: 'publishedAt' } as Modification]
		expect(carriedConversions(target, [])).toEqual({ conversions: [{ key: 'Post.publishedAt', conversion: 'now()' }], dropped: [] })
		const removed = carriedConversions(target, [{ modification: 'removeField', entityName: 'Post', fieldName: 'publishedAt' } as Modification])
		expect(removed.conversions).toEqual([])
		expect(removed.dropped).toEqual([{ answer: 'convert Post.published using now()', reason: 'Post.published is removed' }])
	})
})
