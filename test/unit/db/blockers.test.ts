/**
 * How a blocking session is described: enough to find it, nothing its query holds beyond its
 * first line with the string literals masked, shortened to about 80 characters.
 */
import { describe, expect, it } from 'vitest'
import { describeBlocker, distinctBlockers, queryPreview, type LockBlocker } from '../../../src/db/blockers.js'

const blocker = (pid: number, overrides: Partial<LockBlocker> = {}): LockBlocker => ({
	pid, applicationName: 'psql', user: 'app', state: 'idle in transaction', since: new Date('2026-01-02T12:01:03.456Z'), elapsedMs: 41_200,
	query: 'UPDATE post SET title = \'…\'', ...overrides,
})

describe('queryPreview', () => {
	it('masks string literals, quotes doubled inside them too, and an unterminated one', () => {
		expect(queryPreview("UPDATE account SET pin = '4711', note = 'it''s' WHERE id = 1")).toBe("UPDATE account SET pin = '…', note = '…' WHERE id = 1")
		expect(queryPreview("SELECT 'secret")).toBe("SELECT '…'")
	})

	it('keeps the first line only, and says when there is more', () => {
		expect(queryPreview('  SELECT *\n  FROM post\n')).toBe('SELECT * …')
		expect(queryPreview('LOCK TABLE post')).toBe('LOCK TABLE post')
		expect(queryPreview(null)).toBe('')
	})

	it('shortens a long line to 80 characters', () => {
		const preview = queryPreview(`SELECT ${'column_name, '.repeat(20)}x FROM post`)
		expect(preview.length).toBe(80)
		expect(preview.endsWith('…')).toBe(true)
	})

	it('masks credentials shaped like a connection string', () => {
		expect(queryPreview('SELECT dblink_connect(postgresql://app:s3cr3t@db/app)')).not.toContain('s3cr3t')
	})
})

describe('describeBlocker', () => {
	it('names pid, application, user, state and since when, and the query', () => {
		expect(describeBlocker(blocker(4242))).toBe("pid 4242 (psql, user app, idle in transaction since 12:01:03 UTC, 41 s): UPDATE post SET title = '…'")
	})

	it('says what it does not know, and the lock it holds when that is what was found', () => {
		expect(describeBlocker(blocker(7, { applicationName: '', user: null, state: null, since: null, elapsedMs: 800, query: '', holds: { relation: 'post', mode: 'AccessShareLock' } })))
			.toBe('pid 7 (no application name, state unknown, 0.8 s) holding AccessShareLock on post: (no query)')
	})
})

describe('distinctBlockers', () => {
	it('lists each session once, as the latest look saw it, latest first', () => {
		const early = [blocker(1, { elapsedMs: 1000 }), blocker(2)]
		const late = [blocker(1, { elapsedMs: 5000 }), blocker(3)]
		expect(distinctBlockers([early, late]).map(it => [it.pid, it.elapsedMs])).toEqual([[1, 5000], [3, 41_200], [2, 41_200]])
	})
})
