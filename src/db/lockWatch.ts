/**
 * Watches strata's executing backend from a second connection and remembers who blocked it the
 * last time it waited for a lock. Once lock_timeout has cancelled a statement its wait is over
 * and pg_blocking_pids() names nobody, so the blockers have to be seen while it waits.
 *
 * The executing connection is never used for this (no round trip is added to the statements),
 * and the watch is best effort: when the second connection cannot be opened or a look fails,
 * the executor falls back to what can be seen after the wait.
 */
import type pg from 'pg'
import { sampleLockWait, type LockWaitSample } from './blockers.js'

/** often enough to see a wait of a quarter of lock_timeout, at most twice a second */
export const watchIntervalMs = (lockTimeoutMs: number): number => Math.min(500, Math.max(50, Math.floor(lockTimeoutMs / 4)))

export class LockWatch {
	#client: pg.Client | undefined
	#latest: LockWaitSample | undefined
	#timer: NodeJS.Timeout | undefined
	#closed = false

	constructor(connect: () => Promise<pg.Client>, private readonly waiterPid: number, private readonly intervalMs: number) {
		// not awaited: the statements do not wait for the watch, and a connection that opens after close is ended at once
		void connect().then(client => {
			if (this.#closed) return void client.end().catch(() => undefined)
			this.#client = client
			this.#schedule()
		}, () => undefined)
	}

	#schedule(): void {
		if (this.#closed) return
		this.#timer = setTimeout(() => void this.#look(), this.intervalMs)
		// a pending look never keeps the process alive
		this.#timer.unref()
	}

	async #look(): Promise<void> {
		const client = this.#client
		if (!client || this.#closed) return
		try {
			const sample = await sampleLockWait(client, this.waiterPid)
			if (sample) this.#latest = sample
		} catch {
			// the watch connection failed: no more looks; the executor falls back
			this.#closed = true
			return
		}
		this.#schedule()
	}

	/** a new attempt begins: what was seen before belongs to the previous one */
	forget(): void {
		this.#latest = undefined
	}

	/** the last wait seen since `forget` */
	get latest(): LockWaitSample | undefined {
		return this.#latest
	}

	async close(): Promise<void> {
		this.#closed = true
		clearTimeout(this.#timer)
		await this.#client?.end().catch(() => undefined)
	}
}
