/**
 * Reports on a migration statement that runs long (a fill UPDATE over a big table, a CREATE
 * INDEX): which one it is, how long it and the run have taken, and what PostgreSQL's progress
 * views say about it.
 *
 * A fast run costs nothing but a timer that reads a field: the statement and its start are
 * counted by StatementBatch as the replies arrive. Only once a statement has run for
 * `slowAfterMs` is a second connection opened (once per run, kept for later slow statements) to
 * read the progress views by the executing backend's pid; the executing connection is never
 * used for this, so no round trip is added to the statements.
 */
import type pg from 'pg'
import type { RunningStatement } from './statementBatch.js'
import { readServerProgress, type ServerProgress } from './serverProgress.js'

/** what the executor knows about each statement it sends */
export interface StatementOrigin {
	readonly migration: string
	readonly modificationIndex: number
	readonly modificationId: string
	readonly sql: string
}

/** one look at a slow statement */
export interface StatementProgress extends StatementOrigin {
	/** how long the statement has run, as strata measured it (from its message going out, or the previous statement completing) */
	readonly statementMs: number
	/** how long the whole run has taken */
	readonly runMs: number
	/** what PostgreSQL's progress views report for it; null for statements they do not cover (UPDATE, ALTER TABLE) */
	readonly server: ServerProgress | null
}

/** called with each look, and with null once no statement is slow any more (and at the end of the run) */
export type ProgressListener = (progress: StatementProgress | null) => void

export interface ProgressTiming {
	/** a statement is reported once it has run this long */
	readonly slowAfterMs: number
	/** then this often */
	readonly everyMs: number
	/** how often the running statement is checked (no I/O) */
	readonly checkEveryMs: number
}

export const DEFAULT_PROGRESS_TIMING: ProgressTiming = { slowAfterMs: 1000, everyMs: 1000, checkEveryMs: 250 }

export class ProgressWatch {
	readonly #timer: NodeJS.Timeout
	#connecting = false
	#client: pg.Client | undefined
	#closed = false
	#looking = false
	#reporting = false
	#statement: StatementOrigin | undefined
	#reportedAt = 0
	/** after a failed read the views are not asked again: elapsed times are still reported */
	#serverReadable = true

	constructor(
		private readonly running: () => RunningStatement<StatementOrigin> | undefined,
		private readonly connect: () => Promise<pg.Client>,
		private readonly executingPid: number | undefined,
		private readonly runStarted: number,
		private readonly listener: ProgressListener,
		private readonly timing: ProgressTiming = DEFAULT_PROGRESS_TIMING,
	) {
		// progress is a courtesy: nothing that goes wrong in it may disturb the run
		this.#timer = setInterval(() => void this.#check().catch(() => undefined), timing.checkEveryMs)
		// a check never keeps the process alive
		this.#timer.unref()
	}

	async #check(): Promise<void> {
		if (this.#closed || this.#looking) return
		const now = performance.now()
		const current = this.running()
		const elapsed = current ? now - current.since : 0
		// connected by the time the statement counts as slow, so its first report has PostgreSQL's progress
		if (elapsed >= this.timing.slowAfterMs / 2) this.#open()
		if (!current || elapsed < this.timing.slowAfterMs) {
			this.#statement = undefined
			this.#idle()
			return
		}
		if (current.tag !== this.#statement) {
			this.#statement = current.tag
			this.#reportedAt = -Infinity
		}
		if (now - this.#reportedAt < this.timing.everyMs) return
		this.#reportedAt = now
		this.#looking = true
		try {
			const server = await this.#readServer()
			// the statement may have ended during the read: the next check says so
			if (this.#closed || this.running()?.tag !== current.tag) return
			const at = performance.now()
			this.#reporting = true
			this.listener({ ...current.tag, statementMs: at - current.since, runMs: at - this.runStarted, server })
		} finally {
			this.#looking = false
		}
	}

	#idle(): void {
		if (!this.#reporting) return
		this.#reporting = false
		this.listener(null)
	}

	async #readServer(): Promise<ServerProgress | null> {
		if (this.executingPid === undefined || !this.#serverReadable) return null
		const client = this.#client
		if (!client) return null
		try {
			return (await readServerProgress(client, this.executingPid)) ?? null
		} catch {
			this.#serverReadable = false
			return null
		}
	}

	/**
	 * Opened for the first statement that runs half the threshold, and not awaited: until it is
	 * connected the elapsed times are reported alone, and one that cannot be opened leaves it at that.
	 */
	#open(): void {
		if (this.#connecting || this.executingPid === undefined || !this.#serverReadable) return
		this.#connecting = true
		this.connect().then(client => {
			if (this.#closed) return void client.end().catch(() => undefined)
			// a watch connection the server drops must not take the process down with it
			client.on('error', () => { this.#serverReadable = false })
			this.#client = client
		}, () => { this.#serverReadable = false })
	}

	async close(): Promise<void> {
		this.#closed = true
		clearInterval(this.#timer)
		this.#idle()
		await this.#client?.end().catch(() => undefined)
	}
}
