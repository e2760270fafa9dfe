/**
 * The status line of a slow statement: it fits the terminal's width (the statement is what is
 * shortened), it shows PostgreSQL's percentage only where a progress view gave one, and the
 * elapsed times are whole seconds, minutes or hours.
 */
import { describe, expect, it } from 'vitest'
import { describeServerProgress, formatElapsed, progressLine, statementFirstLine } from '../../../src/cli/progressLine.js'
import type { StatementProgress } from '../../../src/db/progressWatch.js'
import type { ServerProgress } from '../../../src/db/serverProgress.js'
import { canShowStatusLine, StatusLine } from '../../../src/cli/statusLine.js'

const fill: StatementProgress = {
	migration: '2024-05-02-100000-fill', modificationIndex: 0, modificationId: 'createColumn',
	sql: 'UPDATE "big" SET "label" = \'filled\' WHERE "label" IS NULL', statementMs: 12_400, runMs: 14_050, server: null,
}

const indexBuild: ServerProgress = {
	view: 'create_index', command: 'CREATE INDEX', phase: 'building index: scanning table',
	blocksDone: 450, blocksTotal: 1000, tuplesDone: 0, tuplesTotal: 0, partitionsDone: 0, partitionsTotal: 0,
}

describe('formatElapsed', () => {
	it('whole seconds, then minutes and seconds, then hours and minutes', () => {
		expect(formatElapsed(1_999)).toBe('1 s')
		expect(formatElapsed(59_999)).toBe('59 s')
		expect(formatElapsed(65_000)).toBe('1m05s')
		expect(formatElapsed(3_723_000)).toBe('1h02m')
		expect(formatElapsed(-5)).toBe('0 s')
	})
})

describe('progressLine', () => {
	it('names the migration, the modification, the statement and both elapsed times', () => {
		expect(progressLine(fill, 200)).toBe('2024-05-02-100000-fill #0 createColumn: UPDATE "big" SET "label" = \'filled\' WHERE "label" IS NULL · 12 s (run 14 s)')
	})

	it('adds PostgreSQL\'s phase and percentage when a progress view reported them, and never a percentage otherwise', () => {
		const line = progressLine({ ...fill, modificationId: 'createIndex', sql: 'CREATE INDEX ON "big" ("n")', server: indexBuild }, 200)
		expect(line).toBe('2024-05-02-100000-fill #0 createIndex: CREATE INDEX ON "big" ("n") · building index: scanning table 45% · 12 s (run 14 s)')
		expect(progressLine(fill, 200)).not.toMatch(/%/)
	})

	it('shortens the statement to fit the width, keeping the times', () => {
		const line = progressLine(fill, 80)
		expect(line).toHaveLength(80)
		expect(line).toMatch(/^2024-05-02-100000-fill #0 createColumn: UPDATE "big" SET .*… · 12 s \(run 14 s\)$/)
	})

	it('in a very narrow terminal drops the statement and the migration before the times', () => {
		expect(progressLine(fill, 40)).toBe('#0 createColumn · 12 s (run 14 s)')
		expect(progressLine(fill, 20)).toHaveLength(20)
	})

	it('shows only the first line of a statement, on one line, without control characters', () => {
		expect(statementFirstLine('CREATE VIEW "v" AS\nSELECT 1')).toBe('CREATE VIEW "v" AS …')
		expect(statementFirstLine('ALTER TABLE "a\u001b[2Jb"\tADD "x" int')).toBe('ALTER TABLE "a [2Jb" ADD "x" int')
	})
})

describe('describeServerProgress', () => {
	it('prefixes a CLUSTER / VACUUM FULL phase with its command, with the tuples written when there is no total', () => {
		expect(describeServerProgress({ ...indexBuild, view: 'cluster', command: 'VACUUM FULL', phase: 'writing new heap', tuplesDone: 120_000, tuplesTotal: null }))
			.toBe('VACUUM FULL: writing new heap, 120000 tuples')
		expect(describeServerProgress({ ...indexBuild, view: 'cluster', command: 'CLUSTER', phase: 'seq scanning heap' })).toBe('CLUSTER: seq scanning heap 45%')
	})

	it('says which partition of a partitioned table\'s index is being built', () => {
		expect(describeServerProgress({ ...indexBuild, partitionsDone: 1, partitionsTotal: 4 })).toBe('building index: scanning table 45%, partition 2 of 4')
	})
})

describe('StatusLine', () => {
	const stream = (isTTY: boolean) => {
		const written: string[] = []
		return { isTTY, columns: 60, write: (text: string) => written.push(text), written }
	}

	it('is shown only on a terminal stderr, and never with --json', () => {
		expect(canShowStatusLine({ jsonMode: false }, stream(true))).toBe(true)
		expect(canShowStatusLine({ jsonMode: false }, stream(false))).toBe(false)
		expect(canShowStatusLine({ jsonMode: true }, stream(true))).toBe(false)
	})

	it('redraws in place, clears only what it drew, and leaves a column free so the line never wraps', () => {
		const out = stream(true)
		const line = new StatusLine(out)
		line.clear()
		expect(out.written).toEqual([])
		line.draw('one')
		line.draw('two')
		line.clear()
		line.clear()
		expect(out.written).toEqual(['\r\x1b[Kone', '\r\x1b[Ktwo', '\r\x1b[K'])
		expect(line.width).toBe(59)
	})
})
