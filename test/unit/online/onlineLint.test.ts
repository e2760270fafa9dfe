/** Lint and describe of a migration marked online: they judge and show the online plan, so L007/L008/L009 stay quiet on what it makes safe. */
import { describe, expect, it } from 'vitest'
import { describeMigration } from '../../../src/migrations/describe.js'
import { parseMigration } from '../../../src/migrations/parse.js'
import { replay } from '../../../src/migrations/replay.js'
import { planOnlineSteps } from '../../../src/online/onlinePlan.js'
import { OnlineRewriter, segmentModeOf } from '../../../src/online/onlineStatement.js'
import { codes, column, entity, lint } from '../lint/lintFixture.js'

const risky = [
	{ modification: 'createIndex', entityName: 'Post', index: { fields: ['views'] } },
	{ modification: 'createUniqueConstraint', entityName: 'Post', unique: { fields: ['body'] } },
	{ modification: 'createRelation', entityName: 'Post', owningSide: { type: 'ManyHasOne', name: 'author', target: 'Author', joiningColumn: { columnName: 'author_id', onDelete: 'restrict' }, nullable: true } },
	{ modification: 'updateColumnDefinition', entityName: 'Post', fieldName: 'views', definition: { type: 'Integer', columnType: 'integer', nullable: false } },
]

describe('an online migration', () => {
	it('the plain migration trips L007 and L008; the same one online does not, nor L009', () => {
		const plain = codes(lint(risky).findings)
		expect(plain).toContain('L007')
		expect(plain).toContain('L008')
		const online = codes(lint(risky, { strata: { online: true } }).findings)
		expect(online.filter(code => ['L007', 'L008', 'L009'].includes(code))).toEqual([])
	})

	it('describe shows the online statements, with SET NOT NULL after the validated check as catalog only', () => {
		const schema = replay([parseMigration('2024-01-01-100000-init', JSON.stringify({ formatVersion: 6, modifications: [
			{ modification: 'createEntity', entity: entity('Post', 'post') },
			{ modification: 'createColumn', entityName: 'Post', field: column('views', 'Integer', 'integer') },
		] }))])
		const described = describeMigration(schema, { formatVersion: 6, modifications: [risky[0], risky[3]] as never[] }, { online: { version: '2024-02-01-100000' } })
		const statements = described.flatMap(step => step.statements)
		expect(statements.map(it => it.kind)).toEqual(['createIndexConcurrently', 'addCheck', 'validateConstraint', 'alterColumn', 'dropConstraint'])
		expect(statements.map(it => it.effect)).toEqual(['scan', 'catalog', 'scan', 'catalog', 'catalog'])
		expect(statements[3]!.note).toMatch(/no scan/)
		expect(described[0]!.sql).toMatch(/^CREATE INDEX CONCURRENTLY "post_views_[0-9a-f]{8}_idx" ON "post" \("views"\);$/)
	})

	it('describe numbers the statements by the online step they run in, exactly as the plan cuts them', () => {
		const schema = replay([parseMigration('2024-01-01-100000-init', JSON.stringify({ formatVersion: 6, modifications: [
			{ modification: 'createEntity', entity: entity('Author', 'author') },
			{ modification: 'createEntity', entity: entity('Post', 'post') },
			{ modification: 'createColumn', entityName: 'Post', field: column('views', 'Integer', 'integer') },
			{ modification: 'createColumn', entityName: 'Post', field: column('body', 'String', 'text') },
		] }))])
		const version = '2024-02-01-100000'
		const described = describeMigration(schema, { formatVersion: 6, modifications: risky as never[] }, { online: { version } })
		const statements = described.flatMap(step => step.statements)
		// the plan, from the same statements as the executor generates them
		const plain = describeMigration(schema, { formatVersion: 6, modifications: risky as never[] }, { locks: false })
		const plan = planOnlineSteps(version, plain.map((step, index) => ({ index, id: step.modification, statements: step.sql.split(';\n').map(it => it.replace(/;\n?$/, '')).filter(it => it.trim() !== '') })))
		const planned = plan.flatMap((step, index) => step.statements.map((statement, position) => ({ sql: `${statement.sql};`, step: index, first: position === 0, transactional: step.transactional })))
		expect(statements.map(it => ({ sql: it.sql, step: it.onlineStep!.step, first: it.onlineStep!.first, transactional: it.onlineStep!.transactional }))).toEqual(planned)
		expect(statements.every(it => it.onlineStep!.total === plan.length)).toBe(true)
		// a plain migration has no steps
		expect(plain.flatMap(step => step.statements).some(it => it.onlineStep)).toBe(false)
	})

	it('segmentModeOf reads back the mode the rewriter gave every piece', () => {
		const rewriter = new OnlineRewriter('2024-02-01-100000')
		const pieces = [
			'CREATE INDEX ON "post" ("views")', 'CREATE UNIQUE INDEX ON "post" ("body")', 'ALTER TABLE "post" ADD UNIQUE ("body")',
			'ALTER TABLE "post" ADD FOREIGN KEY ("author_id") REFERENCES "author"("id")', 'ALTER TABLE "post" ADD CHECK ("views" > 0)',
			'ALTER TABLE "post" ALTER "views" SET NOT NULL', 'ALTER TABLE "post" ADD "note" text', 'DROP INDEX "post_views_idx"',
		].flatMap(sql => rewriter.rewrite(sql))
		expect(new Set(pieces.map(it => it.mode))).toEqual(new Set(['batch', 'own', 'concurrent']))
		for (const piece of pieces) expect(segmentModeOf(piece.sql), piece.sql).toBe(piece.mode)
	})
})
