/**
 * Sends a migration's statements to PostgreSQL several at a time, in one simple-query message,
 * instead of one round trip each, and still names the statement that failed.
 *
 * PostgreSQL runs the statements of one message in order, sends a CommandComplete for each that
 * succeeded and stops at the first error; counting them tells which one failed. A statement whose
 * text holds a `;` may be several commands (a view body, say), so it travels alone and cannot
 * throw the count off. Since PostgreSQL 13 `statement_timeout` applies to each statement of a
 * message separately; on older servers batching is turned off so the timeout keeps its meaning.
 * A statement that may run long starts a new message (see longStatement.ts), so that what is
 * running while a message is out is known for progress reports.
 */
import pg from 'pg'
import { mayRunLong } from './longStatement.js'

/** a statement failed: its index in the list given to `run`, and PostgreSQL's error with `position` relative to it */
export class BatchStatementError extends Error {
	constructor(readonly index: number, override readonly cause: unknown) {
		super((cause as Error)?.message ?? String(cause))
	}
}

/** at most this much SQL per message: large enough to save the round trips, small enough to keep memory flat */
const MAX_BATCH_CHARS = 256 * 1024

type CountingQuery = pg.Query & { handleCommandComplete(message: unknown, connection: unknown): void }

/**
 * A message PostgreSQL is running: what its statements are (their tags) and how far it got.
 * Updated from the CommandComplete handler, so reading it costs the hot path nothing.
 */
export interface MessageInFlight<Tag> {
	readonly tags: readonly Tag[]
	/** statements whose CommandComplete arrived */
	completed: number
	/** performance.now() when the statement now running began: the message went out, or the previous statement completed */
	currentSince: number
}

/** a statement PostgreSQL is running now, and since when (performance.now()) */
export interface RunningStatement<Tag> {
	readonly tag: Tag
	readonly since: number
}

/** the statement running in a message: the first one whose CommandComplete has not arrived (none once all did) */
export const currentStatement = <Tag>(message: MessageInFlight<Tag> | undefined): RunningStatement<Tag> | undefined =>
	message && message.completed < message.tags.length ? { tag: message.tags[message.completed]!, since: message.currentSince } : undefined

/** runs `text` as one simple query, counting into `progress`; resolves with the number of statements that completed, and the error if any */
const runCounted = <Tag>(client: pg.Client, text: string, progress: MessageInFlight<Tag>): Promise<{ completed: number; error?: unknown }> =>
	new Promise(resolve => {
		const query = new pg.Query(text) as CountingQuery
		const complete = query.handleCommandComplete.bind(query)
		query.handleCommandComplete = (message, connection) => {
			progress.completed++
			progress.currentSince = performance.now()
			complete(message, connection)
		}
		query.on('end', () => resolve({ completed: progress.completed }))
		query.on('error', (error: unknown) => resolve({ completed: progress.completed, error }))
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
export class StatementBatch<Tag = undefined> {
	readonly #statements: string[] = []
	/** what the caller knows about each statement (which migration, which modification), handed back by `running` */
	readonly #tags: Tag[] = []
	/** settles when the last message sent so far is answered; never rejects */
	#tail: Promise<unknown> = Promise.resolve()
	#failed = false
	#inFlight: MessageInFlight<Tag> | undefined

	constructor(private readonly client: pg.Client, private readonly batching: boolean) {}

	/** `tag` is what `running` names this statement by; a batch without tags (Tag = undefined) takes none */
	add(sql: string, ...[tag]: undefined extends Tag ? [tag?: Tag] : [tag: Tag]): void {
		this.#statements.push(sql)
		this.#tags.push(tag as Tag)
	}

	/** the statement PostgreSQL is running now, if a message of this batch is out */
	get running(): RunningStatement<Tag> | undefined {
		return currentStatement(this.#inFlight)
	}

	/**
	 * Sends what was added, in order, once everything sent earlier is answered; `onDispatch` runs
	 * when the first of it goes out (or, with nothing to send, when everything earlier is
	 * done). Resolves when all ran; rejects with BatchStatementError naming the first failing
	 * statement's index.
	 */
	send(onDispatch: () => void = () => undefined): Promise<void> {
		const statements = this.#statements.splice(0)
		const tags = this.#tags.splice(0)
		const groups: { start: number; statements: string[] }[] = []
		let start = 0
		while (start < statements.length) {
			let end = start + 1
			if (this.batching && !statements[start]!.includes(';')) {
				let chars = statements[start]!.length
				// a statement that may run long starts a message of its own, so progress can name it (longStatement.ts)
				while (end < statements.length && !statements[end]!.includes(';') && chars + statements[end]!.length < MAX_BATCH_CHARS && !mayRunLong(statements[end]!)) {
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
				const inFlight: MessageInFlight<Tag> = { tags: tags.slice(group.start, group.start + group.statements.length), completed: 0, currentSince: performance.now() }
				this.#inFlight = inFlight
				return runCounted(this.client, group.statements.join(';\n'), inFlight)
			}).catch((error: unknown) => ({ completed: 0, error }))
			this.#tail = run.then(result => {
				this.#inFlight = undefined
				if (result.error !== undefined) this.#failed = true
			})
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
