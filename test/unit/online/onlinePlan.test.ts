/** The online plan (src/online/): each statement shape's online form, the exemption of new tables, and how steps are cut and ordered. */
import { describe, expect, it } from 'vitest'
import { onlineObjectName } from '../../../src/online/onlineNames.js'
import { planOnlineSteps, type OnlineStep } from '../../../src/online/onlinePlan.js'
import { onlineStatement } from '../../../src/online/onlineStatement.js'

const V = '2026-01-01-120000'
const none = new Set<string>()
const shape = (steps: readonly OnlineStep[]) => steps.map(step => ({ transactional: step.transactional, sql: step.statements.map(it => it.sql) }))

describe('onlineStatement', () => {
	it('builds an index on an existing table CONCURRENTLY, under a name of its own, alone', () => {
		const [segment, ...rest] = onlineStatement('CREATE INDEX ON "post" ("author_id")', V, none)
		const name = onlineObjectName(V, 'CREATE INDEX ON "post" ("author_id")', 'post', ['author_id'], 'idx')
		expect(rest).toEqual([])
		expect(segment).toEqual({ sql: `CREATE INDEX CONCURRENTLY "${name}" ON "post" ("author_id")`, mode: 'concurrent', builds: name })
		expect(name).toMatch(/^post_author_id_[0-9a-f]{8}_idx$/)
	})

	it('keeps the method, predicate and unique flag of an index', () => {
		const [segment] = onlineStatement('CREATE UNIQUE INDEX ON "post" USING btree ("slug") WHERE ("deleted" IS NULL)', V, none)
		expect(segment!.sql).toMatch(/^CREATE UNIQUE INDEX CONCURRENTLY "post_slug_[0-9a-f]{8}_key" ON "post" USING btree \("slug"\) WHERE \("deleted" IS NULL\)$/)
	})

	it('turns a unique constraint into a concurrent unique index and ADD CONSTRAINT … USING INDEX, keeping its timing', () => {
		const segments = onlineStatement('ALTER TABLE "post" ADD UNIQUE ("slug", "lang") DEFERRABLE', V, none)
		const name = segments[0]!.builds!
		expect(name).toMatch(/^post_slug_lang_[0-9a-f]{8}_key$/)
		expect(segments).toEqual([
			{ sql: `CREATE UNIQUE INDEX CONCURRENTLY "${name}" ON "post" ("slug", "lang")`, mode: 'concurrent', builds: name },
			{ sql: `ALTER TABLE "post" ADD CONSTRAINT "${name}" UNIQUE USING INDEX "${name}" DEFERRABLE`, mode: 'batch' },
		])
	})

	it('adds a foreign key NOT VALID and validates it in a transaction of its own', () => {
		const segments = onlineStatement('ALTER TABLE "post" ADD FOREIGN KEY ("author_id") REFERENCES "author"("id") ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE', V, none)
		const name = /CONSTRAINT "([^"]+)"/.exec(segments[0]!.sql)![1]
		expect(name).toMatch(/^post_author_id_[0-9a-f]{8}_fkey$/)
		expect(segments).toEqual([
			{ sql: `ALTER TABLE "post" ADD CONSTRAINT "${name}" FOREIGN KEY ("author_id") REFERENCES "author"("id") ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE NOT VALID`, mode: 'batch' },
			{ sql: `ALTER TABLE "post" VALIDATE CONSTRAINT "${name}"`, mode: 'own' },
		])
	})

	it('adds a check NOT VALID and validates it apart', () => {
		const segments = onlineStatement('ALTER TABLE "post" ADD CHECK ("views" >= 0)', V, none)
		expect(segments.map(it => it.mode)).toEqual(['batch', 'own'])
		expect(segments[0]!.sql).toMatch(/^ALTER TABLE "post" ADD CONSTRAINT "post_[0-9a-f]{8}_check" CHECK \("views" >= 0\) NOT VALID$/)
	})

	it('makes a column NOT NULL through a validated check, then drops the check', () => {
		const segments = onlineStatement('ALTER TABLE "post" ALTER "title" SET NOT NULL', V, none)
		const name = /CONSTRAINT "([^"]+)"/.exec(segments[0]!.sql)![1]
		expect(name).toMatch(/^post_title_[0-9a-f]{8}_not_null$/)
		expect(segments).toEqual([
			{ sql: `ALTER TABLE "post" ADD CONSTRAINT "${name}" CHECK ("title" IS NOT NULL) NOT VALID`, mode: 'batch' },
			{ sql: `ALTER TABLE "post" VALIDATE CONSTRAINT "${name}"`, mode: 'own' },
			{ sql: 'ALTER TABLE "post" ALTER "title" SET NOT NULL', mode: 'batch' },
			{ sql: `ALTER TABLE "post" DROP CONSTRAINT "${name}"`, mode: 'batch' },
		])
		// ALTER COLUMN, as a conversion writes it, is the same shape
		expect(onlineStatement('ALTER TABLE "post" ALTER COLUMN "id" SET NOT NULL', V, none)).toHaveLength(4)
	})

	it('splits a type change that ends with SET NOT NULL: the type change alone, then the NOT NULL through a validated check', () => {
		const sql = 'ALTER TABLE "post" ALTER "code" SET DATA TYPE varchar(200) USING COALESCE("code"::varchar(200), \', ALTER "code" SET NOT NULL\'), ALTER "code" SET NOT NULL'
		const segments = onlineStatement(sql, V, none)
		const name = /CONSTRAINT "([^"]+)"/.exec(segments[1]!.sql)![1]
		expect(name).toMatch(/^post_code_[0-9a-f]{8}_not_null$/)
		expect(segments).toEqual([
			{ sql: 'ALTER TABLE "post" ALTER "code" SET DATA TYPE varchar(200) USING COALESCE("code"::varchar(200), \', ALTER "code" SET NOT NULL\')', mode: 'batch' },
			{ sql: `ALTER TABLE "post" ADD CONSTRAINT "${name}" CHECK ("code" IS NOT NULL) NOT VALID`, mode: 'batch' },
			{ sql: `ALTER TABLE "post" VALIDATE CONSTRAINT "${name}"`, mode: 'own' },
			{ sql: 'ALTER TABLE "post" ALTER "code" SET NOT NULL', mode: 'batch' },
			{ sql: `ALTER TABLE "post" DROP CONSTRAINT "${name}"`, mode: 'batch' },
		])
		// on a new table it stays whole
		expect(onlineStatement(sql, V, new Set(['post']))).toEqual([{ sql, mode: 'batch' }])
	})

	it('leaves statements on tables created in the same migration, and every other shape, as they are', () => {
		const created = new Set(['post'])
		for (const sql of [
			'CREATE INDEX ON "post" ("author_id")', 'ALTER TABLE "post" ADD UNIQUE ("slug")', 'ALTER TABLE "post" ALTER "title" SET NOT NULL',
			'ALTER TABLE "post" ADD FOREIGN KEY ("author_id") REFERENCES "author"("id")',
		]) expect(onlineStatement(sql, V, created)).toEqual([{ sql, mode: 'batch' }])
		for (const sql of [
			'ALTER TABLE "post" ADD "slug" text', 'DROP INDEX "x"',
			// identity needs the NOT NULL first: kept whole
			'ALTER TABLE "post" ALTER "n" SET DATA TYPE bigint USING "n"::bigint, ALTER "n" SET NOT NULL, ALTER "n" ADD GENERATED BY DEFAULT AS IDENTITY',
		]) {
			expect(onlineStatement(sql, V, none)).toEqual([{ sql, mode: 'batch' }])
		}
	})

	it('names objects deterministically, per migration, within 63 bytes', () => {
		const long = 'a'.repeat(80)
		expect(onlineObjectName(V, 's', long, ['b'], 'idx')).toBe(onlineObjectName(V, 's', long, ['b'], 'idx'))
		expect(Buffer.byteLength(onlineObjectName(V, 's', long, ['b'], 'not_null'))).toBe(63)
		expect(onlineObjectName(V, 's', 't', [], 'idx')).not.toBe(onlineObjectName('2026-01-02-120000', 's', 't', [], 'idx'))
		expect(Buffer.byteLength(onlineObjectName(V, 's', 'ü'.repeat(40), [], 'idx'))).toBeLessThanOrEqual(63)
	})
})

describe('planOnlineSteps', () => {
	it('batches ordinary statements, cuts before a concurrent build and a VALIDATE, and keeps the order', () => {
		const steps = planOnlineSteps(V, [
			{ index: 0, id: 'createColumn', statements: ['ALTER TABLE "post" ADD "slug" text', 'UPDATE "post" SET "slug" = \'x\' WHERE "slug" IS NULL', 'ALTER TABLE "post" ALTER "slug" SET NOT NULL'] },
			{ index: 1, id: 'createIndex', statements: ['CREATE INDEX ON "post" ("slug")'] },
			{ index: 2, id: 'createColumn', statements: ['ALTER TABLE "post" ADD "lang" text'] },
		])
		expect(shape(steps).map(step => [step.transactional, step.sql.map(sql => sql.replace(/"[a-z_]+_[0-9a-f]{8}_[a-z_]+"/g, '<n>'))])).toEqual([
			[true, ['ALTER TABLE "post" ADD "slug" text', 'UPDATE "post" SET "slug" = \'x\' WHERE "slug" IS NULL', 'ALTER TABLE "post" ADD CONSTRAINT <n> CHECK ("slug" IS NOT NULL) NOT VALID']],
			[true, ['ALTER TABLE "post" VALIDATE CONSTRAINT <n>']],
			[true, ['ALTER TABLE "post" ALTER "slug" SET NOT NULL', 'ALTER TABLE "post" DROP CONSTRAINT <n>']],
			[false, ['CREATE INDEX CONCURRENTLY <n> ON "post" ("slug")']],
			[true, ['ALTER TABLE "post" ADD "lang" text']],
		])
		expect(steps.map(step => step.statements.map(it => it.modificationIndex))).toEqual([[0, 0, 0], [0], [0, 0], [1], [2]])
		expect(steps[3]!.builds).toMatch(/^post_slug_[0-9a-f]{8}_idx$/)
	})

	it('exempts tables (and materialized views) the migration created before the statement', () => {
		const steps = planOnlineSteps(V, [
			{ index: 0, id: 'createEntity', statements: ['CREATE TABLE "tag" ("id" uuid PRIMARY KEY NOT NULL)', 'CREATE INDEX ON "tag" ("id")'] },
			{ index: 1, id: 'createView', statements: ['CREATE MATERIALIZED VIEW "counts" AS SELECT 1 AS "n" WITH DATA', 'CREATE INDEX ON "counts" ("n")'] },
			{ index: 2, id: 'createIndex', statements: ['CREATE INDEX ON "post" ("id")'] },
		])
		expect(shape(steps).map(step => step.transactional)).toEqual([true, false])
		expect(steps[0]!.statements).toHaveLength(4)
	})

	it('plans nothing for a migration without statements', () => {
		expect(planOnlineSteps(V, [{ index: 0, id: 'updateAclSchema', statements: [] }])).toEqual([])
	})
})
