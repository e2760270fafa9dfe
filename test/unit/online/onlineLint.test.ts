/** Lint and describe of a migration marked online: they judge and show the online plan, so L007/L008/L009 stay quiet on what it makes safe. */
import { describe, expect, it } from 'vitest'
import { describeMigration } from '../../../src/migrations/describe.js'
import { parseMigration } from '../../../src/migrations/parse.js'
import { replay } from '../../../src/migrations/replay.js'
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
})
