/** runFleet without a database: bounded concurrency, failures, --fail-fast, --canary, the worst exit code. */
import { describe, expect, it } from 'vitest'
import { StrataError } from '../../../src/errors.js'
import { runFleet, worstExitCode, type TargetWork } from '../../../src/fleet/runFleet.js'

const targets = (count: number) => Array.from({ length: count }, (_, index) => ({ name: `t${index}` }))
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))
const ok = (): TargetWork<null> => ({ outcome: 'ok', exitCode: 0, detail: null })

describe('runFleet', () => {
	it('never runs more than `concurrency` targets at once, and keeps the targets\' order', async () => {
		let running = 0
		let peak = 0
		const run = await runFleet(targets(12), async (_target, index) => {
			peak = Math.max(peak, ++running)
			await sleep(10 + (index % 3) * 5)
			running--
			return ok()
		}, { concurrency: 4 })
		expect(peak).toBe(4)
		expect(run.results.map(result => result.name)).toEqual(targets(12).map(target => target.name))
		expect(run.exitCode).toBe(0)
	})

	it('a failing target stops no other; its error is { code, message }; the exit code is the worst', async () => {
		const run = await runFleet(targets(5), async target => {
			if (target.name === 't1') throw new StrataError('MIGRATION_FAILED', 'boom', 2)
			if (target.name === 't3') return { outcome: 'pending', exitCode: 3, detail: null }
			return ok()
		}, { concurrency: 2 })
		expect(run.results.map(result => result.outcome)).toEqual(['ok', 'failed', 'ok', 'pending', 'ok'])
		expect(run.results[1]!.error).toEqual({ code: 'MIGRATION_FAILED', message: 'boom' })
		expect(run.exitCode).toBe(2)
	})

	it('--fail-fast starts nothing after the first failure; the running ones finish', async () => {
		const started: string[] = []
		const run = await runFleet(targets(6), async target => {
			started.push(target.name)
			await sleep(target.name === 't0' ? 5 : 30)
			if (target.name === 't0') throw new Error('bug')
			return ok()
		}, { concurrency: 2, failFast: true })
		expect(started).toEqual(['t0', 't1'])
		expect(run.results.map(result => result.outcome)).toEqual(['failed', 'ok', 'skipped', 'skipped', 'skipped', 'skipped'])
		expect(run.stopped).toBe('failFast')
		expect(run.exitCode).toBe(70)
	})

	it('--canary runs the first N first and stops when one of them failed', async () => {
		const failing = await runFleet(targets(5), async target => (target.name === 't1' ? { outcome: 'failed', exitCode: 1, detail: null } : ok()), { canary: 2 })
		expect(failing.results.map(result => result.outcome)).toEqual(['ok', 'failed', 'skipped', 'skipped', 'skipped'])
		expect(failing.stopped).toBe('canary')
		const order: string[] = []
		const passing = await runFleet(targets(5), async target => {
			order.push(target.name)
			return ok()
		}, { canary: 2, concurrency: 4 })
		expect(passing.results.every(result => result.outcome === 'ok')).toBe(true)
		expect(order.slice(0, 2).sort()).toEqual(['t0', 't1'])
	})

	it('worstExitCode: 0 < 3 < 1 < 2 < 70 < 130', () => {
		expect(worstExitCode([0, 3, 1])).toBe(1)
		expect(worstExitCode([3, 0])).toBe(3)
		expect(worstExitCode([1, 2, 3])).toBe(2)
		expect(worstExitCode([2, 70])).toBe(70)
		expect(worstExitCode([])).toBe(0)
	})
})
