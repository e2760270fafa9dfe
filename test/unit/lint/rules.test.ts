/** Each lint rule on the smallest migration that trips it, and the exemptions (tables created in the same migration). */
import { describe, expect, it } from 'vitest'
import { lintRules } from '../../../src/lint/rules.js'
import { lintCodes } from '../../../src/lint/codes.js'
import { notTransactionalRule } from '../../../src/lint/rules/notTransactional.js'
import type { LintStep } from '../../../src/lint/rule.js'
import { codes, column, entity, lint } from './lintFixture.js'

const retype = (fieldName: string, type: string, columnType: string, extra: object = {}) =>
	({ modification: 'updateColumnDefinition', entityName: 'Post', fieldName, definition: { type, columnType, nullable: true, ...extra } })
const index = (entityName: string, fields: string[]) => ({ modification: 'createIndex', entityName, index: { fields } })
const relation = (entityName: string) => ({
	modification: 'createRelation', entityName,
	owningSide: { name: 'author', type: 'ManyHasOne', target: 'Author', joiningColumn: { columnName: 'author_id', onDelete: 'restrict' }, nullable: true },
})

describe('the rule table', () => {
	it('has one rule per code, in code order, each with a title, an explanation and an alternative', () => {
		expect(lintRules.map(it => it.code)).toEqual(lintCodes)
		for (const rule of lintRules) {
			expect(rule.title).not.toBe('')
			expect(rule.explanation.length).toBeGreaterThan(40)
			expect(rule.alternative.length).toBeGreaterThan(20)
		}
	})
})

describe('L001 write-blocking lock on a large table', () => {
	const sizes = (rows: number) => ({ sizes: new Map([['post', { rows, bytes: 1 }]]), largeTableRows: 1000 })
	it('marks a rewrite or scan of a table at or over the threshold, under a lock that stops writers', () => {
		const { findings } = lint([retype('views', 'Integer', 'bigint'), index('Post', ['views'])], { sizes: sizes(1000) })
		const large = findings.filter(it => it.code === 'L001')
		expect(large.map(it => [it.modification, it.table, it.severity])).toEqual([[0, 'post', 'error'], [1, 'post', 'error']])
		expect(large[0]!.message).toContain('ACCESS EXCLUSIVE on "post" (~1,000 rows')
		expect(large[1]!.message).toContain('SHARE on "post"')
	})
	it('is quiet below the threshold, without sizes, and for catalog-only statements', () => {
		expect(codes(lint([retype('views', 'Integer', 'bigint')], { sizes: sizes(999) }).findings)).not.toContain('L001')
		expect(codes(lint([retype('views', 'Integer', 'bigint')]).findings)).not.toContain('L001')
		expect(codes(lint([{ modification: 'createColumn', entityName: 'Post', field: column('note', 'String', 'text') }], { sizes: sizes(10 ** 6) }).findings)).toEqual([])
	})
})

describe('L002 table rewrite', () => {
	it('is a statement the classification says rewrites an existing table', () => {
		const { findings } = lint([retype('views', 'Integer', 'bigint')])
		expect(findings.find(it => it.code === 'L002')).toMatchObject({ severity: 'warning', table: 'post', statement: expect.stringContaining('SET DATA TYPE bigint') })
	})
	it('is not a binary-coercible re-type (varchar → text) nor a rewrite of a table created in the same migration', () => {
		expect(codes(lint([retype('body', 'String', 'varchar')]).findings)).not.toContain('L002')
		const created = lint([
			{ modification: 'createEntity', entity: entity('Tag', 'tag') },
			{ modification: 'createColumn', entityName: 'Tag', field: column('rank', 'Integer', 'integer') },
			{ modification: 'updateColumnDefinition', entityName: 'Tag', fieldName: 'rank', definition: { type: 'Integer', columnType: 'bigint', nullable: true } },
		])
		expect(codes(created.findings)).toEqual([])
	})
})

describe('L003 NOT NULL without a fill', () => {
	it('a NOT NULL column added to an existing table (S001) and an existing column made NOT NULL (S006)', () => {
		const added = lint([{ modification: 'createColumn', entityName: 'Post', field: column('slug', 'String', 'text', { nullable: false }) }]).findings
		expect(added.find(it => it.code === 'L003')).toMatchObject({ severity: 'error', message: expect.stringContaining('[S001]'), table: 'post' })
		const made = lint([retype('body', 'String', 'text', { nullable: false })]).findings
		expect(made.find(it => it.code === 'L003')?.message).toContain('[S006]')
	})
	it('not with a fill value, nor on a new table', () => {
		expect(codes(lint([{ modification: 'createColumn', entityName: 'Post', field: column('slug', 'String', 'text', { nullable: false }), fillValue: 'x' }]).findings)).not.toContain('L003')
		expect(codes(lint([
			{ modification: 'createEntity', entity: entity('Tag', 'tag') },
			{ modification: 'createColumn', entityName: 'Tag', field: column('name', 'String', 'text', { nullable: false }) },
		]).findings)).toEqual([])
	})
})

describe('L004 type narrowing and L005 uncastable type change', () => {
	it('text → integer is castable (explicitly, by the input function) but narrows', () => {
		const found = codes(lint([retype('body', 'Integer', 'integer')]).findings)
		expect(found).toContain('L004')
		expect(found).not.toContain('L005')
	})
	it('jsonb → uuid has no cast: L005 (an error), not L004, and not L006 for the narrowing it also is', () => {
		const { findings } = lint([retype('data', 'Uuid', 'uuid')])
		expect(codes(findings)).toEqual(['L002', 'L005'])
		expect(findings[1]).toMatchObject({ severity: 'error', message: 'Post.data: PostgreSQL has no cast from jsonb to uuid; the re-type fails' })
	})
	it('a widening (integer → bigint) is neither', () => {
		expect(codes(lint([retype('views', 'Integer', 'bigint')]).findings)).toEqual(['L002'])
	})
})

describe('L006 destructive drop', () => {
	it('a dropped column and a dropped table', () => {
		expect(lint([{ modification: 'removeField', entityName: 'Post', fieldName: 'body' }]).findings).toEqual([
			expect.objectContaining({ code: 'L006', severity: 'warning', table: 'post', statement: 'ALTER TABLE "post" DROP "body";' }),
		])
		expect(codes(lint([{ modification: 'removeEntity', entityName: 'Author' }]).findings)).toContain('L006')
	})

	it('not in the contract phase of an expand/contract pair: it runs after the deploy and drops what its expand replaced', () => {
		const drop = [{ modification: 'removeField', entityName: 'Post', fieldName: 'body' }]
		expect(codes(lint(drop, { strata: { expandContract: { phase: 'contract', pair: 'rename-body' } } }).findings)).not.toContain('L006')
		expect(codes(lint(drop, { strata: { expandContract: { phase: 'expand', pair: 'rename-body' } } }).findings)).toContain('L006')
	})
})

describe('L007 index without CONCURRENTLY', () => {
	it('an index on an existing table', () => {
		expect(lint([index('Post', ['views'])]).findings).toEqual([
			expect.objectContaining({ code: 'L007', table: 'post', message: expect.stringContaining('under SHARE'), statement: 'CREATE INDEX ON "post" ("views");' }),
		])
	})
	it('a unique constraint builds an index under ACCESS EXCLUSIVE', () => {
		const { findings } = lint([{ modification: 'createUniqueConstraint', entityName: 'Post', unique: { fields: ['body'] } }])
		expect(findings.find(it => it.code === 'L007')?.message).toContain('ACCESS EXCLUSIVE')
	})
	it('not on a table created in the same migration', () => {
		expect(lint([{ modification: 'createEntity', entity: entity('Tag', 'tag') }, { modification: 'createColumn', entityName: 'Tag', field: column('name', 'String', 'text') }, index('Tag', ['name'])]).findings).toEqual([])
	})
})

describe('L008 constraint without NOT VALID', () => {
	it('a foreign key added to an existing table checks its rows', () => {
		const { findings } = lint([relation('Post')])
		expect(findings.find(it => it.code === 'L008')).toMatchObject({ table: 'post', message: expect.stringContaining('SHARE ROW EXCLUSIVE') })
	})
	it('not from a table created in the same migration', () => {
		const { findings } = lint([{ modification: 'createEntity', entity: entity('Comment', 'comment') }, relation('Comment')])
		expect(codes(findings)).toEqual([])
	})
})

describe('L009 not transactional', () => {
	it('no statement strata generates is refused in a transaction', () => {
		const { findings } = lint([index('Post', ['views']), relation('Post'), retype('views', 'Integer', 'bigint')])
		expect(codes(findings)).not.toContain('L009')
	})
	it('a statement classified as refused in a transaction block (CONCURRENTLY, or of no known shape) is a notice', () => {
		const statement = { sql: 'CREATE INDEX CONCURRENTLY ON "post" ("views");', kind: 'createIndexConcurrently', locks: [{ table: 'post', lock: 'SHARE UPDATE EXCLUSIVE' }], effect: 'scan', transactional: false, newTables: new Set() } as const
		const found = notTransactionalRule.check({ modification: { modification: 'createIndex' }, statements: [statement] } as unknown as LintStep)
		expect(notTransactionalRule.severity).toBe('notice')
		expect(found).toEqual([{ message: 'createIndexConcurrently cannot run in a transaction block', statement: statement.sql, table: 'post' }])
	})
	it('a SQL step is left alone: it runs in the transaction or, marked transactional: false, outside it as it says', () => {
		for (const transactional of [true, false]) {
			const { findings } = lint([{ modification: 'executeSql', sql: 'VACUUM post; SELECT 1', transactional }], { strata: { extensions: ['executeSql'] } })
			expect(codes(findings)).not.toContain('L009')
		}
	})
})

describe('L010 SQL step that changes structure', () => {
	it('warns on DDL in a SQL step, naming the statements; data statements pass', () => {
		const { findings } = lint([{ modification: 'executeSql', sql: "-- tidy up\nALTER TABLE post ADD x int; UPDATE post SET body = 'x'; /* c */ DROP INDEX foo" }], { strata: { extensions: ['executeSql'] } })
		const l010 = findings.filter(it => it.code === 'L010')
		expect(l010).toHaveLength(1)
		expect(l010[0]!.severity).toBe('warning')
		expect(l010[0]!.message).toContain('ALTER TABLE post ADD x int; DROP INDEX foo')
		expect(l010[0]!.message).toContain('db:drift will report the difference')
		expect(codes(lint([{ modification: 'executeSql', sql: "UPDATE post SET body = 'create table x'; INSERT INTO post (id) VALUES (gen_random_uuid())" }], { strata: { extensions: ['executeSql'] } }).findings)).not.toContain('L010')
	})
})
