/**
 * The pause before a lock retry (exponential backoff, full jitter, capped) and which errors are
 * retried. The randomness is injected, so each bound is checked exactly.
 */
import { describe, expect, it } from 'vitest'
import { DEADLOCK, isRetriedLockConflict, LOCK_TIMEOUT, lockRetryDelayMs } from '../../../src/db/lockRetry.js'
import { watchIntervalMs } from '../../../src/db/lockWatch.js'

const policy = { baseDelayMs: 1000, maxDelayMs: 30_000 }

describe('lockRetryDelayMs', () => {
	it('is uniformly random below a ceiling that doubles with each retry', () => {
		expect([1, 2, 3, 4].map(retry => lockRetryDelayMs(retry, policy, () => 0.5))).toEqual([500, 1000, 2000, 4000])
		expect(lockRetryDelayMs(3, policy, () => 0)).toBe(0)
		// random() < 1, so the pause stays below the ceiling
		expect(lockRetryDelayMs(3, policy, () => 0.999_999)).toBe(3999)
	})

	it('never exceeds the cap, however many retries', () => {
		expect(lockRetryDelayMs(6, policy, () => 0.999_999)).toBe(29_999)
		expect(lockRetryDelayMs(60, policy, () => 0.999_999)).toBe(29_999)
		expect(lockRetryDelayMs(5000, policy, () => 0.5)).toBe(15_000)
	})

	it('follows the base delay, and treats a random value out of [0, 1) as its nearest bound', () => {
		expect(lockRetryDelayMs(1, { baseDelayMs: 100, maxDelayMs: 30_000 }, () => 0.25)).toBe(25)
		expect(lockRetryDelayMs(1, { baseDelayMs: 0, maxDelayMs: 30_000 }, () => 0.7)).toBe(0)
		expect(lockRetryDelayMs(1, policy, () => 2)).toBe(1000)
		expect(lockRetryDelayMs(1, policy, () => -1)).toBe(0)
	})

	it('spreads the pauses of runs that collide with the same blocker', () => {
		const values = [0.1, 0.9, 0.4, 0.6]
		const pauses = values.map(value => lockRetryDelayMs(2, policy, () => value))
		expect(new Set(pauses).size).toBe(values.length)
		for (const pause of pauses) expect(pause).toBeLessThan(2000)
	})
})

describe('isRetriedLockConflict', () => {
	it('retries lock_timeout and deadlocks, nothing else', () => {
		expect(isRetriedLockConflict(LOCK_TIMEOUT)).toBe(true)
		expect(isRetriedLockConflict(DEADLOCK)).toBe(true)
		for (const code of ['57014', '40001', '42P01', '53200', '08006', undefined]) expect(isRetriedLockConflict(code)).toBe(false)
	})
})

describe('watchIntervalMs', () => {
	it('looks at least four times within lock_timeout, between every 50 and every 500 ms', () => {
		expect(watchIntervalMs(10_000)).toBe(500)
		expect(watchIntervalMs(1000)).toBe(250)
		expect(watchIntervalMs(200)).toBe(50)
		expect(watchIntervalMs(10)).toBe(50)
	})
})
