import { describe, expect, it } from 'vitest'
import { describeStaleLookup, LookupTracker } from '../../../src/online/staleLookups.js'

describe('LookupTracker: lookups an online plan would make against the catalog before the migration', () => {
	it('flags a lookup of a table whose constraints or indexes an earlier modification created, dropped or renamed', () => {
		const cases: [string, string][] = [
			['ALTER TABLE "post" ADD UNIQUE ("slug")', 'post'],
			['CREATE INDEX ON "post" ("title")', 'post'],
			['ALTER TABLE "post" ADD FOREIGN KEY ("author_id") REFERENCES "author"("id") ON DELETE RESTRICT', 'post'],
			['ALTER TABLE "post" DROP CONSTRAINT "post_slug_key"', 'post'],
			['ALTER TABLE "post" RENAME TO "article"', 'post'],
			['CREATE TABLE "tag" ("id" uuid PRIMARY KEY NOT NULL)', 'tag'],
		]
		for (const [sql, table] of cases) {
			const tracker = new LookupTracker()
			tracker.record({ index: 0, id: 'writer' }, [sql])
			expect(tracker.check({ index: 1, id: 'reader' }, [table]), sql).toEqual({ table, reader: { index: 1, id: 'reader' }, writer: { index: 0, id: 'writer' } })
		}
	})

	it('leaves lookups alone when the earlier statements did not change what they read', () => {
		const tracker = new LookupTracker()
		tracker.record({ index: 0, id: 'createColumn' }, ['ALTER TABLE "post" ADD "note" text', 'ALTER TABLE "post" ALTER "title" SET NOT NULL', 'CREATE INDEX ON "author" ("name")'])
		expect(tracker.check({ index: 1, id: 'removeUniqueConstraint' }, ['post'])).toBeUndefined()
		// the lookup before the change is fine: the catalog was right for it
		const ordered = new LookupTracker()
		expect(ordered.check({ index: 0, id: 'removeIndex' }, ['post'])).toBeUndefined()
		ordered.record({ index: 0, id: 'removeIndex' }, ['DROP INDEX "post_title_idx"'])
		expect(ordered.check({ index: 1, id: 'createIndex' }, [])).toBeUndefined()
	})

	it('names the first modification that changed the table, and says how to split', () => {
		const tracker = new LookupTracker()
		tracker.record({ index: 0, id: 'createUniqueConstraint' }, ['ALTER TABLE "post" ADD UNIQUE ("slug")'])
		tracker.record({ index: 1, id: 'createIndex' }, ['CREATE INDEX ON "post" ("title")'])
		const stale = tracker.check({ index: 2, id: 'removeUniqueConstraint' }, ['author', 'post'])!
		expect(stale.writer).toEqual({ index: 0, id: 'createUniqueConstraint' })
		const message = describeStaleLookup('2024-01-02-100000-x', stale)
		expect(message).toContain('modification #2 removeUniqueConstraint reads the constraints and indexes of "post", which modification #0 createUniqueConstraint')
		expect(message).toContain('Move modification #2 and those after it into a new migration')
	})
})
