/**
 * The pure parts of a slow statement's progress: which statement of a batched message is running
 * (the first whose CommandComplete has not arrived), the percentage taken from PostgreSQL's
 * progress view columns (only where a phase has a total), and the watch that reports only
 * statements running longer than its threshold, with null once they end.
 */
import { describe, expect, it } from 'vitest'
import { currentStatement, type MessageInFlight } from '../../../src/db/statementBatch.js'
import { progressPercent, type ServerProgress } from '../../../src/db/serverProgress.js'
import { ProgressWatch, type StatementOrigin, type StatementProgress } from '../../../src/db/progressWatch.js'
import type { RunningStatement } from '../../../src/db/statementBatch.js'

describe('currentStatement', () => {
	const message = (completed: number): MessageInFlight<string> => ({ tags: ['a', 'b', 'c'], completed, currentSince: 42 })

	it('is the first statement of the message whose CommandComplete has not arrived', () => {
		expect(currentStatement(message(0))).toEqual({ tag: 'a', since: 42 })
		expect(currentStatement(message(2))).toEqual({ tag: 'c', since: 42 })
	})

	it('is none when every statement completed (the message is about to end) or nothing is out', () => {
		expect(currentStatement(message(3))).toBeUndefined()
		expect(currentStatement(undefined)).toBeUndefined()
	})
})

const createIndex = (phase: string, counters: Partial<ServerProgress> = {}): ServerProgress => ({
	view: 'create_index', command: 'CREATE INDEX', phase,
	blocksDone: 250, blocksTotal: 1000, tuplesDone: 30, tuplesTotal: 40, partitionsDone: 0, partitionsTotal: 0, ...counters,
})

describe('progressPercent', () => {
	it('counts blocks while a CREATE INDEX scans, tuples while it loads the tree', () => {
		expect(progressPercent(createIndex('building index: scanning table'))).toBe(25)
		expect(progressPercent(createIndex('index validation: scanning index'))).toBe(25)
		expect(progressPercent(createIndex('building index: loading tuples in tree'))).toBe(75)
	})

	it('gives none for phases without a total, or with a total PostgreSQL has not set yet', () => {
		expect(progressPercent(createIndex('building index: sorting live tuples'))).toBeNull()
		expect(progressPercent(createIndex('waiting for writers before build'))).toBeNull()
		expect(progressPercent(createIndex('initializing'))).toBeNull()
		expect(progressPercent(createIndex('building index: scanning table', { blocksTotal: 0 }))).toBeNull()
		expect(progressPercent(createIndex('building index: scanning table', { blocksDone: null }))).toBeNull()
	})

	it('stays within 0–100 and rounds down', () => {
		expect(progressPercent(createIndex('building index: scanning table', { blocksDone: 999 }))).toBe(99)
		expect(progressPercent(createIndex('building index: scanning table', { blocksDone: 1200 }))).toBe(100)
	})

	it('counts heap blocks during a CLUSTER / VACUUM FULL sequential scan, and nothing after it', () => {
		const cluster = (phase: string): ServerProgress => ({ ...createIndex(phase), view: 'cluster', command: 'VACUUM FULL', tuplesTotal: null })
		expect(progressPercent(cluster('seq scanning heap'))).toBe(25)
		expect(progressPercent(cluster('writing new heap'))).toBeNull()
		expect(progressPercent(cluster('index scanning heap'))).toBeNull()
	})
})

describe('ProgressWatch', () => {
	const origin: StatementOrigin = { migration: '2024-05-01-100000-fill', modificationIndex: 1, modificationId: 'createColumn', sql: 'UPDATE "big" SET "label" = \'x\'' }
	const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))
	const timing = { slowAfterMs: 100, everyMs: 50, checkEveryMs: 10 }

	it('reports nothing for a statement faster than the threshold, and opens no connection', async () => {
		let running: RunningStatement<StatementOrigin> | undefined = { tag: origin, since: performance.now() }
		let connects = 0
		const seen: (StatementProgress | null)[] = []
		const watch = new ProgressWatch(() => running, async () => { connects++; throw new Error('no') }, 7, performance.now(), progress => seen.push(progress), { ...timing, slowAfterMs: 2000 })
		await sleep(100)
		running = undefined
		await sleep(50)
		await watch.close()
		expect(seen).toEqual([])
		expect(connects).toBe(0)
	})

	it('reports a slow statement with its elapsed times (no server progress without a connection), then null when it ends', async () => {
		const runStarted = performance.now()
		let running: RunningStatement<StatementOrigin> | undefined = { tag: origin, since: performance.now() }
		const seen: (StatementProgress | null)[] = []
		const watch = new ProgressWatch(() => running, () => Promise.reject(new Error('refused')), 7, runStarted, progress => seen.push(progress), timing)
		await sleep(260)
		running = undefined
		await sleep(40)
		await watch.close()
		const samples = seen.filter((it): it is StatementProgress => it !== null)
		expect(samples.length).toBeGreaterThanOrEqual(2)
		expect(samples[0]).toMatchObject({ ...origin, server: null })
		expect(samples[0]!.statementMs).toBeGreaterThanOrEqual(100)
		expect(samples.at(-1)!.runMs).toBeGreaterThanOrEqual(samples.at(-1)!.statementMs)
		expect(seen.at(-1)).toBeNull()
		// null once, not at every check
		expect(seen.filter(it => it === null)).toHaveLength(1)
	})
})
