/**
 * Sends a migration's statements to PostgreSQL several at a time, in one simple-query message,
 * instead of one round trip each, and still names the statement that failed.
 *
 * PostgreSQL runs the statements of one message in order, sends a CommandComplete for each that
 * succeeded and stops at the first error; counting them tells which one failed. A statement whose
 * text holds a `;` may be several commands (a view body, say), so it travels alone and cannot
 * throw the count off. Since PostgreSQL 13 `statement_timeout` applies to each statement of a
 * message separately; on older servers batching is turned off so the timeout keeps its meaning.
 */
import pg from 'pg'

/** a statement failed: its index in the list given to `run`, and PostgreSQL's error with `position` relative to it */
export class BatchStatementError extends Error {
	constructor(readonly index: number, override readonly cause: unknown) {
		super((cause as Error)?.message ?? String(cause))
	}
}

/** at most this much SQL per message: large enough to save the round trips, small enough to keep memory flat */
const MAX_BATCH_CHARS = 256 * 1024

type CountingQuery = pg.Query & { handleCommandComplete(message: unknown, connection: unknown): void }

/** runs `text` as one simple query; resolves or rejects with the number of statements that completed */
const runCounted = (client: pg.Client, text: string): Promise<{ completed: number; error?: unknown }> =>
	new Promise(resolve => {
		const query = new pg.Query(text) as CountingQuery
		const complete = query.handleCommandComplete.bind(query)
		let completed = 0
		query.handleCommandComplete = (message, connection) => {
			completed++
			complete(message, connection)
		}
		query.on('end', () => resolve({ completed }))
		query.on('error', (error: unknown) => resolve({ completed, error }))
		client.query(query)
	})

/** `position` (1-based, in the whole message) made relative to the failing statement */
const relativePosition = (error: unknown, offset: number): unknown => {
	const e = error as { position?: unknown }
	if (offset === 0 || typeof e?.position !== 'string') return error
	const position = Number(e.position) - offset
	if (position > 0) e.position = String(position)
	return error
}

/**
 * Statements of one connection, sent in order. Each message goes out when the previous one is
 * answered (pg must not be handed a query while one runs), so Node can go on generating SQL
 * while PostgreSQL works. After a failure nothing more is sent: the transaction is aborted.
 */
export class StatementBatch {
	readonly #statements: string[] = []
	/** settles when the last message sent so far is answered; never rejects */
	#tail: Promise<unknown> = Promise.resolve()
	#failed = false

	constructor(private readonly client: pg.Client, private readonly batching: boolean) {}

	add(sql: string): void {
		this.#statements.push(sql)
	}

	/**
	 * Sends what was added, in order, once everything sent earlier is answered; `onDispatch` runs
	 * when the first of it goes out (or, with nothing to send, when everything earlier is
	 * done). Resolves when all ran; rejects with BatchStatementError naming the first failing
	 * statement's index.
	 */
	send(onDispatch: () => void = () => undefined): Promise<void> {
		const statements = this.#statements.splice(0)
		const groups: { start: number; statements: string[] }[] = []
		let start = 0
		while (start < statements.length) {
			let end = start + 1
			if (this.batching && !statements[start]!.includes(';')) {
				let chars = statements[start]!.length
				while (end < statements.length && !statements[end]!.includes(';') && chars + statements[end]!.length < MAX_BATCH_CHARS) {
					chars += statements[end]!.length + 2
					end++
				}
			}
			groups.push({ start, statements: statements.slice(start, end) })
			start = end
		}
		if (groups.length === 0) {
			const idle = this.#tail.then(() => { if (!this.#failed) onDispatch() })
			this.#tail = idle.catch(() => undefined)
			return idle
		}
		const runs = groups.map((group, i) => {
			const run = this.#tail.then((): Promise<{ completed: number; error?: unknown }> | { completed: number; error?: unknown } => {
				if (this.#failed) return { completed: 0, error: new Error('not sent: an earlier statement failed and the transaction is aborted') }
				if (i === 0) onDispatch()
				return runCounted(this.client, group.statements.join(';\n'))
			}).catch((error: unknown) => ({ completed: 0, error }))
			this.#tail = run.then(result => { if (result.error !== undefined) this.#failed = true })
			return run
		})
		return (async () => {
			for (const [i, group] of groups.entries()) {
				const { completed, error } = await runs[i]!
				if (error === undefined) continue
				// a failure that is not a statement's (the connection died) names the statement that was running
				const failed = Math.min(completed, group.statements.length - 1)
				const offset = group.statements.slice(0, failed).reduce((sum, sql) => sum + sql.length + 2, 0)
				throw new BatchStatementError(group.start + failed, relativePosition(error, offset))
			}
		})()
	}

	/** nothing more is sent before `work` settles (the caller's bookkeeping for what was sent) */
	after(work: Promise<unknown>): void {
		this.#tail = this.#tail.then(() => work).catch(() => undefined)
	}
}
