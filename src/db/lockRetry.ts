/**
 * When a migration statement loses a lock conflict, the unit of work (the run's transaction, or
 * one migration's with --transaction each) is rolled back and run again after a pause, instead
 * of failing the deploy. This module decides which failures are retried and how long to pause.
 */
import type pg from 'pg'

/** lock_not_available: the statement waited longer than lock_timeout */
export const LOCK_TIMEOUT = '55P03'
/** deadlock_detected: PostgreSQL aborted this transaction so the other one could go on */
export const DEADLOCK = '40P01'

/**
 * Both are lock conflicts with another session that end with this transaction aborted and
 * nothing of it applied, and both usually pass once the other session's transaction ends.
 * statement_timeout (57014) is not: the statement itself is too slow, and running it again
 * would be just as slow.
 */
export const isRetriedLockConflict = (code: string | undefined): boolean => code === LOCK_TIMEOUT || code === DEADLOCK

export interface LockRetryPolicy {
	/** how many times a unit is run again after a lock conflict (0 = fail at the first) */
	readonly retries: number
	/** the ceiling of the first pause; it doubles with each retry */
	readonly baseDelayMs: number
	/** no pause is longer than this */
	readonly maxDelayMs: number
}

export const DEFAULT_LOCK_RETRY_DELAY_MS = 1000
export const MAX_LOCK_RETRY_DELAY_MS = 30_000

/**
 * The pause before retry number `retry` (1 for the first): exponential backoff with full jitter,
 * uniformly random in [0, min(max, base · 2^(retry-1))). The wait for lock_timeout before it is
 * already a minimum spacing between attempts; the randomness keeps runs that collide with the
 * same blocker (several services deploying) from coming back in step.
 */
export const lockRetryDelayMs = (retry: number, policy: Pick<LockRetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number => {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1))
	return Math.floor(Math.max(0, Math.min(1, random())) * ceiling)
}

/**
 * Sleeps `ms`, or less if the client's connection ends meanwhile (an interrupt closes the session):
 * the next query then fails at once instead of after the whole pause.
 */
export const pauseUnlessEnded = (client: pg.Client, ms: number): Promise<void> =>
	new Promise(resolve => {
		const done = () => {
			clearTimeout(timer)
			client.off('end', done)
			resolve()
		}
		const timer = setTimeout(done, ms)
		client.once('end', done)
	})
