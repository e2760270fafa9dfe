/**
 * Runs pending migrations: under the ledger lock, re-checks the rules against the ledger as it
 * is now, generates each modification's SQL against the live catalog (re-read only when a
 * handler looks at it after DDL), executes it and records the migration in the same transaction.
 * Emits typed events; printing is the CLI's business.
 */
import type pg from 'pg'
import { ExitCode, InternalError, StrataError } from '../errors.js'
import { findMigration } from '../migrations/files.js'
import { forOption, migrationRef, versionOf } from '../migrations/naming.js'
import { validateForSql, type ValidatedHistory } from '../migrations/validated.js'
import { applyModifications, ModificationFailedError, stepModification, type ModificationStep } from '../modifications/fold.js'
import { emptySchema, type Schema } from '../schema/model.js'
import { quoteIdentifier } from '../sql/quote.js'
import { serverVersion } from './introspect.js'
import { LiveCatalog } from './liveCatalog.js'
import { BatchStatementError, StatementBatch, type RunningStatement } from './statementBatch.js'
import { ensureLedger, readLedger, recordMigrations, type LedgerEntry } from './ledger.js'
import { acquireLedgerLock, type LockHolder } from './lock.js'
import { redact } from './redact.js'
import { computeStatus, migrationContent, type ExecutableMigration, type MigrationsStatus, type StatusEntry } from './status.js'
import { describeDatabaseError, isConnectionLoss, MigrationExecutionError } from './failure.js'
import { CommitInterrupted, commitOutcome, reconnectLike } from './commitOutcome.js'
import { distinctBlockers, findLockHoldingSessions, type LockBlocker } from './blockers.js'
import { DEFAULT_LOCK_RETRY_DELAY_MS, isRetriedLockConflict, lockRetryDelayMs, MAX_LOCK_RETRY_DELAY_MS, pauseUnlessEnded, type LockRetryPolicy } from './lockRetry.js'
import { LockWatch, watchIntervalMs } from './lockWatch.js'
import { ProgressWatch, type ProgressListener, type StatementOrigin } from './progressWatch.js'
import { planLiveOnlineMigration, runOnlineMigration, runsInSteps, type OnlineStepState } from './onlineRunner.js'
import { readStepProgress } from './ledgerSteps.js'

export type ExecuteEvent =
	| { readonly type: 'lockWait'; readonly holders: readonly LockHolder[]; readonly waitedMs: number }
	| { readonly type: 'plan'; readonly migrations: readonly ExecutableMigration[]; readonly dryRun: boolean }
	| { readonly type: 'migrationStart'; readonly migration: ExecutableMigration; readonly index: number; readonly total: number }
	| { readonly type: 'statement'; readonly migration: ExecutableMigration; readonly modificationIndex: number; readonly modificationId: string; readonly sql: string }
	| { readonly type: 'migrationDone'; readonly migration: ExecutableMigration; readonly index: number; readonly total: number; readonly durationMs: number; readonly statements: number }
	| { readonly type: 'committed'; readonly migrations: readonly string[] }
	| ({ readonly type: 'lockRetry' } & LockRetry)
	/** a step of an online migration (docs/online.md): `step` from 0, of `total` */
	| { readonly type: 'onlineStep'; readonly migration: ExecutableMigration; readonly step: number; readonly total: number; readonly state: OnlineStepState; readonly transactional: boolean; readonly sql: string }

/** a unit of work that lost a lock conflict, was rolled back and will run again */
export interface LockRetry {
	/** the attempt that failed (1 = the first run of the unit) */
	readonly attempt: number
	/** how many attempts the unit gets in all: 1 + lockRetries */
	readonly attempts: number
	/** the pause before the next attempt */
	readonly delayMs: number
	/** 55P03 (lock_timeout) or 40P01 (deadlock) */
	readonly code: string
	/** the statement that did not get its lock */
	readonly migration: string
	readonly modificationIndex: number
	readonly modificationId: string
	/** the table it waited for, when the wait was seen */
	readonly relation: string | null
	/** who held the lock: seen while the statement waited, else the sessions holding table locks just after */
	readonly blockers: readonly LockBlocker[]
	/** the migrations whose work the rollback undid and the next attempt runs again */
	readonly rolledBack: readonly string[]
	/**
	 * an online migration's step (from 0, of `total`): only that step was undone and runs again;
	 * the steps before it stay committed (`rolledBack` is then empty)
	 */
	readonly onlineStep?: { readonly step: number; readonly total: number }
}

export interface ExecuteOptions {
	readonly ledgerSchema: string
	/** the schema holding the project's tables */
	readonly schemaName?: string
	readonly transaction?: 'all' | 'each'
	readonly lockWaitMs?: number
	readonly lockTimeoutMs?: number
	/** 0 = off */
	readonly statementTimeoutMs?: number
	/** run out-of-order migrations (development only; the CLI checks the database is local) */
	readonly force?: boolean
	/** version or name, inclusive */
	readonly until?: string
	/** generate the SQL against the live catalog, execute nothing */
	readonly dryRun?: boolean
	/**
	 * After a migration statement loses a lock conflict (lock_timeout 55P03, deadlock 40P01), roll
	 * the transaction back and run it again, at most this many times (default 0: fail at once).
	 * The unit run again is the whole run's transaction, or with `transaction: 'each'` the failing
	 * migration's; the migration lock stays held.
	 */
	readonly lockRetries?: number
	/** the ceiling of the first pause before a retry, doubled each time up to 30 s; each pause is random below it (default 1 s) */
	readonly lockRetryDelayMs?: number
	/**
	 * a new connection to the same database: to learn the outcome of a COMMIT whose connection
	 * was lost, and (with lockRetries) to see who blocks a statement while it waits for a lock
	 * (default: the executing client's connection parameters)
	 */
	readonly reconnect?: () => Promise<pg.Client>
	/**
	 * Called about once a second while a migration statement has run for more than a second:
	 * which statement, how long it and the run have taken, and PostgreSQL's own progress for it
	 * (CREATE INDEX, CLUSTER, VACUUM FULL); with null once no statement is slow any more. The
	 * progress views are read from a second connection (`reconnect`) opened on the first slow
	 * statement. Without a listener nothing is sampled. Not called in a dry run.
	 */
	readonly onProgress?: ProgressListener
	/** replays and validations to share with other runs over the same files (see HistoryMemo) */
	readonly memo?: HistoryMemo
}

export interface ExecutedMigration {
	readonly version: string
	readonly name: string
	readonly durationMs: number
	readonly statements: number
	/** the SQL that ran (or, in a dry run, would run) */
	readonly sql: readonly { readonly modificationIndex: number; readonly modificationId: string; readonly sql: string }[]
}

export interface ExecuteResult {
	readonly executed: readonly ExecutedMigration[]
	readonly dryRun: boolean
	readonly durationMs: number
	/** the lock conflicts that were retried, in order */
	readonly lockRetries: readonly LockRetry[]
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`

/** what the problems are, counted by kind: "1 pending migration is older than the newest executed one" */
const summarizeProblems = (problems: readonly StatusEntry[]): string => {
	const count = (state: StatusEntry['state']) => problems.filter(problem => problem.state === state).length
	const parts: string[] = []
	const add = (n: number, one: string, many: string) => { if (n > 0) parts.push(n === 1 ? one : many.replace('#', String(n))) }
	add(count('changed'), '1 executed migration was changed', '# executed migrations were changed')
	add(count('missing'), '1 executed migration\'s file is missing', '# executed migrations\' files are missing')
	add(count('outOfOrder'), '1 pending migration is older than the newest executed one', '# pending migrations are older than the newest executed one')
	add(count('unreadable'), '1 migration file cannot be read', '# migration files cannot be read')
	return parts.length > 0 ? parts.join('; ') : plural(problems.length, 'problem')
}

/** broken states refuse execution: each problem with its rule and its fix (exit 1) */
export class BrokenMigrationsError extends StrataError {
	constructor(readonly problems: readonly StatusEntry[]) {
		super('MIGRATIONS_BROKEN', `Cannot execute migrations: ${summarizeProblems(problems)}.\n`
			+ problems.map(problem => `  - ${problem.name}: ${problem.message}\n    rule: ${problem.rule}\n    fix: ${problem.fix}${problem.diff ? `\n${indent(problem.diff, 6)}` : ''}`).join('\n'))
	}
}

const indent = (text: string, spaces: number) => text.split('\n').map(line => ' '.repeat(spaces) + line).join('\n')

/** the rules, applied to a status: what blocks execution given `force` */
export const blockingProblems = (status: MigrationsStatus, force: boolean): StatusEntry[] =>
	status.errors.filter(entry => !(force && entry.state === 'outOfOrder'))

/** the full name of the migration `until` names: a full name, a version or a unique label of any migration file */
export const resolveUntil = (all: readonly { readonly name: string }[], until: string): string => {
	try {
		return findMigration(all.map(migrationRef), until).name
	} catch (error) {
		throw forOption(`--until ${until}`, error)
	}
}

/** the migrations up to `until` (inclusive; see resolveUntil) */
export const selectUntil = (migrations: readonly ExecutableMigration[], until: string | undefined, all: readonly ExecutableMigration[]): ExecutableMigration[] => {
	if (!until) return [...migrations]
	const version = versionOf(resolveUntil(all, until))
	return migrations.filter(file => file.version <= version)
}

/**
 * Replays and validations already done, keyed by the files they covered. One memo shared by
 * many runs over the same files (a fleet's targets, or one run's own checks) replays each
 * history once: targets at the same migration share the result.
 */
export interface HistoryMemo {
	readonly executed: Map<string, Schema>
	readonly validated: Map<string, ValidatedHistory>
}

export const createHistoryMemo = (): HistoryMemo => ({ executed: new Map(), validated: new Map() })

const historyKey = (files: readonly Pick<ExecutableMigration, 'name' | 'checksum'>[]): string => files.map(file => `${file.name}@${file.checksum}`).join('\n')

const memoized = <T>(cache: Map<string, T> | undefined, key: string, compute: () => T): T => {
	if (!cache) return compute()
	const known = cache.get(key)
	if (known !== undefined) return known
	const value = compute()
	cache.set(key, value)
	return value
}

const executedFiles = (status: MigrationsStatus): ExecutableMigration[] =>
	status.entries.flatMap(entry => (entry.state === 'executed' && entry.file ? [entry.file] : []))

/** the schema the database is at: the executed migrations replayed in version order */
export const executedSchema = (status: MigrationsStatus, memo?: HistoryMemo): Schema =>
	memoized(memo?.executed, historyKey(executedFiles(status)), () => replayExecuted(status))

const replayExecuted = (status: MigrationsStatus): Schema => {
	let schema: Schema = emptySchema
	for (const entry of status.entries) {
		if (entry.state !== 'executed' || !entry.file) continue
		try {
			schema = applyModifications(schema, entry.file.modifications, entry.file.formatVersion)
		} catch (error) {
			if (error instanceof ModificationFailedError) {
				throw new StrataError('REPLAY_FAILED', `Replaying executed migration ${entry.name} failed at ${error.message}`)
			}
			throw error
		}
	}
	return schema
}

/**
 * The executed files and then `pending`, replayed and validated before any SQL is generated:
 * a pending file that fails the schema rules is refused (exit 1) naming the file and modification.
 */
export const validatePending = (status: MigrationsStatus, pending: readonly ExecutableMigration[], memo?: HistoryMemo): ValidatedHistory => {
	const executed = executedFiles(status)
	// a refusal is thrown, never cached: only a valid history is remembered
	return memoized(memo?.validated, `${historyKey(executed)}\n--\n${historyKey(pending)}`, () => validateForSql([...executed, ...pending], new Set(pending.map(file => file.name))))
}

/**
 * Generates SQL step by step against a catalog that changes under it. A step is generated
 * against the tables known fresh; when it asked about others, the statements queued so far are
 * run, those tables read, and the step generated again.
 */
class StepGenerator {
	readonly #catalog: LiveCatalog
	constructor(catalog: LiveCatalog, private readonly beforeRead: () => Promise<void>) {
		this.#catalog = catalog
	}

	async step(schema: Schema, modification: ExecutableMigration['modifications'][number], index: number, formatVersion: number, createdEntities: Set<string>): Promise<ModificationStep> {
		// each round reads at least one table, and a step looks at a handful: the bound is a safety net
		for (let round = 0; round < 100; round++) {
			const { metadata, stale } = this.#catalog.attempt()
			const attempt = new Set(createdEntities)
			const step = stepModification(schema, modification, index, { formatVersion, databaseMetadata: metadata, createdEntities: attempt })
			if (stale.size === 0) {
				attempt.forEach(name => createdEntities.add(name))
				return step
			}
			await this.beforeRead()
			await this.#catalog.refresh(stale)
		}
		throw new InternalError(`Generating modification #${index} (${modification.modification}) kept asking for catalog tables not yet read`)
	}
}

interface QueuedStatement {
	readonly modificationIndex: number
	readonly modificationId: string
	readonly sql: string
}

/**
 * Work sent to PostgreSQL and not yet confirmed, in the order it was sent. Node generates the
 * next migration's SQL while PostgreSQL runs the previous one; whoever needs the database to be
 * current (a catalog read, the ledger, COMMIT) drains it first.
 */
class Pipeline {
	#pending: Promise<unknown>[] = []

	add<T>(promise: Promise<T>): Promise<T> {
		promise.catch(() => undefined) // reported by drain, in order
		this.#pending.push(promise)
		return promise
	}

	/** waits for everything sent; throws the first failure */
	async drain(): Promise<void> {
		for (const promise of this.#pending.splice(0)) await promise
	}

	/** the first failure among what was sent, once all of it settled */
	async firstFailure(): Promise<unknown> {
		for (const promise of this.#pending.splice(0)) {
			const failure = await promise.then(() => undefined, (error: unknown) => error ?? new Error('failed'))
			if (failure !== undefined) return failure
		}
		return undefined
	}
}

/**
 * A migration's statements, queued and sent in batches: before the catalog is read (it must see
 * them) and at the end of the migration. A failing statement is reported with its modification.
 */
class MigrationStatements {
	#queued: QueuedStatement[] = []
	#started = false
	constructor(
		private readonly batch: StatementBatch<StatementOrigin> | undefined, private readonly catalog: LiveCatalog, private readonly migration: ExecutableMigration,
		/** runs once, when the migration's first statement goes to PostgreSQL (or it turns out to have none) */
		private readonly onStart: () => void,
	) {
		if (!batch) this.#start()
	}

	#start = () => {
		if (this.#started) return
		this.#started = true
		this.onStart()
	}

	add(statement: QueuedStatement): void {
		if (!this.batch) return
		this.#queued.push(statement)
		this.batch.add(statement.sql, { migration: this.migration.name, ...statement })
	}

	/** sends the queued statements; the promise settles when they ran */
	send(): Promise<void> {
		if (!this.batch) return Promise.resolve()
		const queued = this.#queued
		this.#queued = []
		if (queued.length > 0) this.catalog.markChanged()
		return this.batch.send(this.#start).catch((error: unknown) => {
			if (!(error instanceof BatchStatementError)) throw error
			const failed = queued[error.index]!
			throw new MigrationExecutionError({
				migration: this.migration.name, modificationIndex: failed.modificationIndex, modificationId: failed.modificationId,
				statement: failed.sql, database: describeDatabaseError(error.cause),
			}, error.cause)
		})
	}
}

/**
 * Generates a migration's SQL and sends it. Resolves once everything is generated; `done`
 * settles when PostgreSQL has run the last of it.
 */
const runMigration = async (
	catalog: LiveCatalog, batch: StatementBatch<StatementOrigin> | undefined, pipeline: Pipeline, schema: Schema, migration: ExecutableMigration,
	onStart: () => void, onStatement: (modificationIndex: number, modificationId: string, sql: string) => void,
): Promise<{ schema: Schema; sql: ExecutedMigration['sql']; done: Promise<void> }> => {
	const statements = new MigrationStatements(batch, catalog, migration, onStart)
	const generator = new StepGenerator(catalog, async () => {
		pipeline.add(statements.send())
		await pipeline.drain()
	})
	const createdEntities = new Set<string>()
	const sql: QueuedStatement[] = []
	let current = schema
	for (const [index, modification] of migration.modifications.entries()) {
		let step: ModificationStep
		try {
			step = await generator.step(current, modification, index, migration.formatVersion, createdEntities)
		} catch (error) {
			if (error instanceof ModificationFailedError) {
				throw new StrataError('MODIFICATION_FAILED', `Migration ${migration.name}: ${error.message}`)
			}
			if (error instanceof StrataError || isConnectionLoss(error) || isDatabaseError(error)) throw error
			// generating SQL from a validated file must not fail: a bug, named where it happened
			throw new InternalError(`Generating the SQL of ${migration.name}, modification #${index} (${modification.modification}) failed: ${(error as Error)?.message ?? String(error)}`, { cause: error })
		}
		for (const statement of step.sql.statements) {
			const queued = { modificationIndex: index, modificationId: modification.modification, sql: statement }
			sql.push(queued)
			onStatement(index, modification.modification, statement)
			statements.add(queued)
		}
		current = step.schema
	}
	return { schema: current, sql, done: pipeline.add(statements.send()) }
}

/** lets the socket's replies be read between two migrations' generation (they are synchronous work) */
const yieldToIo = () => new Promise(resolve => setImmediate(resolve))

const statementTimeout = (options: ExecuteOptions) => Math.max(0, Math.round(options.statementTimeoutMs ?? 0))
const lockTimeout = (options: ExecuteOptions) => Math.max(0, Math.round(options.lockTimeoutMs ?? 10_000))

const lockRetryPolicy = (options: ExecuteOptions): LockRetryPolicy => ({
	retries: Math.max(0, Math.floor(options.lockRetries ?? 0)),
	baseDelayMs: Math.max(0, options.lockRetryDelayMs ?? DEFAULT_LOCK_RETRY_DELAY_MS),
	maxDelayMs: Math.max(MAX_LOCK_RETRY_DELAY_MS, options.lockRetryDelayMs ?? 0),
})

/** BEGIN and the transaction's settings, in one round trip */
const beginSql = (options: ExecuteOptions, schemaName: string) => [
	'BEGIN',
	`SET LOCAL search_path TO ${quoteIdentifier(schemaName)}`,
	`SET LOCAL lock_timeout = ${lockTimeout(options)}`,
	`SET LOCAL statement_timeout = ${statementTimeout(options)}`,
].join(';\n')

/** runs strata's own queries (catalog, ledger) without the migration statement_timeout */
const withoutStatementTimeout = (client: pg.Client, options: ExecuteOptions) => async <T>(run: () => Promise<T>): Promise<T> => {
	const timeout = statementTimeout(options)
	if (timeout === 0) return run()
	await client.query('SET LOCAL statement_timeout = 0')
	try {
		return await run()
	} finally {
		await client.query(`SET LOCAL statement_timeout = ${timeout}`).catch(() => undefined)
	}
}

/**
 * Status under the lock, then execution. Files are all migration files of the project;
 * which of them run is decided here, from the ledger as it is once the lock is held.
 */
export const executeMigrations = async (
	client: pg.Client, files: readonly ExecutableMigration[], options: ExecuteOptions, emit: (event: ExecuteEvent) => void = () => undefined,
): Promise<ExecuteResult> => {
	const started = performance.now()
	const schemaName = options.schemaName ?? 'public'
	const force = options.force ?? false

	if (options.dryRun) {
		const status = computeStatus(files, await readLedger(client, options.ledgerSchema), { force, steps: await readStepProgress(client, options.ledgerSchema) })
		const problems = blockingProblems(status, force)
		if (problems.length > 0) throw new BrokenMigrationsError(problems)
		const pending = selectUntil(status.toExecute, options.until, files)
		validatePending(status, pending, options.memo)
		emit({ type: 'plan', migrations: pending, dryRun: true })
		const catalog = new LiveCatalog(client, schemaName)
		let schema = executedSchema(status, options.memo)
		const executed: ExecutedMigration[] = []
		for (const [index, migration] of pending.entries()) {
			if (runsInSteps(migration)) {
				emit({ type: 'migrationStart', migration, index, total: pending.length })
				const sql = (await planLiveOnlineMigration(client, schemaName, schema, migration)).flatMap(step => step.statements)
				for (const statement of sql) emit({ type: 'statement', migration, ...statement })
				schema = applyModifications(schema, migration.modifications, migration.formatVersion)
				executed.push({ version: migration.version, name: migration.name, durationMs: 0, statements: sql.length, sql })
				continue
			}
			const result = await runMigration(catalog, undefined, new Pipeline(), schema, migration,
				() => emit({ type: 'migrationStart', migration, index, total: pending.length }),
				(modificationIndex, modificationId, sql) => emit({ type: 'statement', migration, modificationIndex, modificationId, sql }))
			schema = result.schema
			executed.push({ version: migration.version, name: migration.name, durationMs: 0, statements: result.sql.length, sql: result.sql })
		}
		return { executed, dryRun: true, durationMs: performance.now() - started, lockRetries: [] }
	}

	const lock = await acquireLedgerLock(client, options.ledgerSchema, {
		waitMs: options.lockWaitMs ?? 60_000,
		onWait: (holders, waitedMs) => emit({ type: 'lockWait', holders, waitedMs }),
	})
	const policy = lockRetryPolicy(options)
	const pid = (client as unknown as { processID?: number }).processID
	// opened now, so it is connected by the time the first statement could wait
	const watch = policy.retries > 0 && lockTimeout(options) > 0 && pid !== undefined
		? new LockWatch(options.reconnect ?? reconnectLike(client), pid, watchIntervalMs(lockTimeout(options)))
		: undefined
	let progress: ProgressWatch | undefined
	try {
		await ensureLedger(client, options.ledgerSchema)
		const status = computeStatus(files, await readLedger(client, options.ledgerSchema), { force, steps: await readStepProgress(client, options.ledgerSchema) })
		const problems = blockingProblems(status, force)
		if (problems.length > 0) throw new BrokenMigrationsError(problems)
		const pending = selectUntil(status.toExecute, options.until, files)
		validatePending(status, pending, options.memo)
		emit({ type: 'plan', migrations: pending, dryRun: false })
		if (pending.length === 0) return { executed: [], dryRun: false, durationMs: performance.now() - started, lockRetries: [] }

		const transaction = options.transaction === 'each' ? 'each' : 'all'
		const internal = withoutStatementTimeout(client, options)
		const batching = (await serverVersion(client)) >= 130000 || statementTimeout(options) === 0
		// a retry starts over on a fresh catalog view and batch: the rolled-back attempt changed both
		let catalog = new LiveCatalog(client, schemaName, internal)
		let batch = new StatementBatch<StatementOrigin>(client, batching)
		/** the statement an online migration runs outside the batch */
		let onlineRunning: RunningStatement<StatementOrigin> | undefined
		if (options.onProgress) progress = new ProgressWatch(() => onlineRunning ?? batch.running, options.reconnect ?? reconnectLike(client), pid, started, options.onProgress)
		const executed: ExecutedMigration[] = []
		const committed: string[] = []
		const retried: LockRetry[] = []
		let schema = executedSchema(status, options.memo)
		let inTransaction = false
		const commit = async (migrations: readonly ExecutableMigration[]) => {
			try {
				await client.query('COMMIT')
			} catch (error) {
				// an error from the server means it rolled back; anything else leaves the outcome open
				if (typeof (error as { severity?: unknown })?.severity === 'string') throw error
				inTransaction = false
				throw new CommitInterrupted(migrations, error)
			}
			inTransaction = false
		}

		/** one transaction over `migrations` (the first being pending[first]): the statements, the ledger rows, COMMIT */
		const attempt = async (first: number, migrations: readonly ExecutableMigration[]): Promise<{ schema: Schema; executed: ExecutedMigration[] } | { failure: unknown; rolledBack: boolean }> => {
			const done: ExecutedMigration[] = []
			const unrecorded: LedgerEntry[] = []
			const pipeline = new Pipeline()
			let current = schema
			/** when PostgreSQL finished the previous migration: a migration's duration is its share of the pipeline */
			let previousDone = performance.now()
			try {
				inTransaction = true
				await client.query(beginSql(options, schemaName))
				for (const [offset, migration] of migrations.entries()) {
					const index = first + offset
					const migrationStarted = performance.now()
					const result = await runMigration(catalog, batch, pipeline, current, migration,
						() => emit({ type: 'migrationStart', migration, index, total: pending.length }), () => undefined)
					current = result.schema
					const finished = result.done.then(() => {
						const now = performance.now()
						const durationMs = now - Math.max(previousDone, migrationStarted)
						previousDone = now
						unrecorded.push({
							version: migration.version, name: migration.name, checksum: migration.checksum,
							formatVersion: migration.formatVersion, migration: JSON.stringify(migrationContent(migration)), durationMs,
						})
						done.push({ version: migration.version, name: migration.name, durationMs, statements: result.sql.length, sql: result.sql })
						emit({ type: 'migrationDone', migration, index, total: pending.length, durationMs, statements: result.sql.length })
					})
					pipeline.add(finished)
					// the next migration's statements go out once this one is reported done, so events keep their order
					batch.after(finished)
					await yieldToIo()
				}
				await pipeline.drain()
				// one transaction: the ledger rows are written together just before COMMIT
				await internal(() => recordMigrations(client, options.ledgerSchema, unrecorded))
				await commit(migrations)
				return { schema: current, executed: done }
			} catch (caught) {
				// a statement that failed earlier in the pipeline is the cause of whatever failed after it
				const failure = (await pipeline.firstFailure()) ?? caught
				if (failure instanceof CommitInterrupted) throw await commitOutcome(client, options.ledgerSchema, options.reconnect, failure, committed)
				const rolledBack = inTransaction ? await client.query('ROLLBACK').then(() => true, () => false) : true
				inTransaction = false
				return { failure, rolledBack }
			}
		}

		for (const unit of transactionUnits(pending, transaction)) {
			if (unit.online) {
				// an online migration commits step by step: it never shares a transaction with another
				const [migration] = unit.migrations as [ExecutableMigration]
				emit({ type: 'migrationStart', migration, index: unit.first, total: pending.length })
				let result: Awaited<ReturnType<typeof runOnlineMigration>>
				/** the conflicts of the step being retried; a step that passes starts a new list */
				let stepRetries: LockRetry[] = []
				let gaveUp: { attempts: number; blockers: readonly LockBlocker[] } | undefined
				try {
					result = await runOnlineMigration(client, migration, schema, {
						ledgerSchema: options.ledgerSchema, schemaName, lockTimeoutMs: lockTimeout(options), statementTimeoutMs: statementTimeout(options),
					}, {
						onRunning: running => { onlineRunning = running },
						onStep: (step, total, state) => {
							if (state === 'done') stepRetries = []
							emit({ type: 'onlineStep', migration, step: step.step, total, state, transactional: step.transactional, sql: step.statements[0]!.sql })
						},
						onAttempt: () => watch?.forget(),
						// the same policy as a transaction's, per step: only the step that lost the conflict runs again
						retryAfterLockConflict: async (conflict, attemptNumber) => {
							const seen = watch?.latest
							const blockers = seen?.blockers ?? await findLockHoldingSessions(client).catch(() => [])
							if (attemptNumber > policy.retries) {
								gaveUp = { attempts: attemptNumber, blockers: distinctBlockers([...stepRetries.map(retry => retry.blockers), blockers]) }
								return false
							}
							const onlineStep = conflict.details.onlineStep
							const retry: LockRetry = {
								attempt: attemptNumber, attempts: policy.retries + 1, delayMs: lockRetryDelayMs(attemptNumber, policy),
								code: conflict.details.database.code ?? '', migration: migration.name,
								modificationIndex: conflict.details.modificationIndex, modificationId: conflict.details.modificationId,
								relation: seen?.relation ?? null, blockers, rolledBack: [],
								...(onlineStep ? { onlineStep: { step: onlineStep.step, total: onlineStep.total } } : {}),
							}
							stepRetries.push(retry)
							retried.push(retry)
							emit({ type: 'lockRetry', ...retry })
							await pauseUnlessEnded(client, retry.delayMs)
							return true
						},
					})
				} catch (error) {
					// lost in a migration statement (the server terminated the session: 57P01) or in strata's own query
					const statementLost = error instanceof MigrationExecutionError && isConnectionLoss(error.cause)
					if (statementLost || isConnectionLoss(error)) throw onlineConnectionLost(migration.name, options.ledgerSchema, committed, statementLost ? error.cause : error, statementLost ? error.details.onlineStep : undefined)
					if (error instanceof MigrationExecutionError && gaveUp) {
						throw error.withOutcome({ committed: [...committed], rolledBack: true, transaction, attempts: gaveUp.attempts, blocking: gaveUp.blockers })
					}
					throw explainFailure(error, { committed, rolledBack: true, transaction })
				}
				schema = result.schema
				executed.push({ version: migration.version, name: migration.name, durationMs: result.durationMs, statements: result.statements.length, sql: result.statements })
				committed.push(migration.name)
				emit({ type: 'migrationDone', migration, index: unit.first, total: pending.length, durationMs: result.durationMs, statements: result.statements.length })
				emit({ type: 'committed', migrations: transaction === 'each' ? [migration.name] : committed })
				continue
			}
			const unitRetries: LockRetry[] = []
			for (let attemptNumber = 1; ; attemptNumber++) {
				watch?.forget()
				const outcome = await attempt(unit.first, unit.migrations)
				if ('executed' in outcome) {
					schema = outcome.schema
					executed.push(...outcome.executed)
					committed.push(...unit.migrations.map(migration => migration.name))
					emit({ type: 'committed', migrations: transaction === 'each' ? unit.migrations.map(migration => migration.name) : committed })
					break
				}
				const { failure, rolledBack } = outcome
				const conflict = failure instanceof MigrationExecutionError && isRetriedLockConflict(failure.details.database.code) ? failure : undefined
				if (!conflict) throw explainFailure(failure, { committed, rolledBack, transaction })
				// while it waited a watch saw who blocked it; otherwise the sessions holding table locks now are the best guess
				const seen = watch?.latest
				const blockers = seen?.blockers ?? (rolledBack ? await findLockHoldingSessions(client).catch(() => []) : [])
				if (!rolledBack || attemptNumber > policy.retries) {
					throw conflict.withOutcome({
						committed: [...committed], rolledBack, transaction, attempts: attemptNumber,
						blocking: distinctBlockers([...unitRetries.map(retry => retry.blockers), blockers]),
					})
				}
				const failedAt = unit.migrations.findIndex(migration => migration.name === conflict.details.migration)
				const retry: LockRetry = {
					attempt: attemptNumber, attempts: policy.retries + 1, delayMs: lockRetryDelayMs(attemptNumber, policy),
					code: conflict.details.database.code ?? '', migration: conflict.details.migration,
					modificationIndex: conflict.details.modificationIndex, modificationId: conflict.details.modificationId,
					relation: seen?.relation ?? null, blockers,
					rolledBack: unit.migrations.slice(0, failedAt + 1).map(migration => migration.name),
				}
				unitRetries.push(retry)
				retried.push(retry)
				emit({ type: 'lockRetry', ...retry })
				await pauseUnlessEnded(client, retry.delayMs)
				catalog = new LiveCatalog(client, schemaName, internal)
				batch = new StatementBatch<StatementOrigin>(client, batching)
			}
		}
		return { executed, dryRun: false, durationMs: performance.now() - started, lockRetries: retried }
	} finally {
		await progress?.close()
		await watch?.close()
		await lock.release().catch(() => undefined)
	}
}

/**
 * The transactions a run is cut into: one for all pending migrations, or one each; an online
 * migration is always a unit of its own (it commits step by step).
 */
const transactionUnits = (pending: readonly ExecutableMigration[], transaction: 'all' | 'each'): { first: number; migrations: ExecutableMigration[]; online: boolean }[] => {
	const units: { first: number; migrations: ExecutableMigration[]; online: boolean }[] = []
	for (const [index, migration] of pending.entries()) {
		const online = runsInSteps(migration)
		const open = units[units.length - 1]
		if (open && !online && !open.online && transaction === 'all') open.migrations.push(migration)
		else units.push({ first: index, migrations: [migration], online })
	}
	return units
}

/** the connection died during an online migration: unlike a transaction, its finished steps stay applied */
const onlineConnectionLost = (name: string, ledgerSchema: string, committed: readonly string[], error: unknown, step?: { step: number; total: number }): StrataError =>
	new StrataError('CONNECTION_LOST', redact(`The connection to PostgreSQL failed during the online migration ${name}${step ? ` (step ${step.step + 1} of ${step.total})` : ''}: ${(error as Error)?.message ?? String(error)}\n`
		+ `Its steps that finished are committed and recorded in ${ledgerSchema}.migration_steps; the step that was running was not (a CONCURRENTLY build is left INVALID, and the next run drops it).`
		+ (committed.length > 0 ? `\nCommitted before it: ${committed.join(', ')}.` : '')
		+ '\nRun migrations:status once the database is reachable again (it shows the migration partial), then re-run migrations:execute to continue it.'), ExitCode.migrationFailed, { cause: error })

/** an error PostgreSQL sent (it carries a severity), as opposed to one raised in strata or the socket */
const isDatabaseError = (error: unknown): boolean => typeof (error as { severity?: unknown })?.severity === 'string'

const explainFailure = (error: unknown, context: { committed: readonly string[]; rolledBack: boolean; transaction: 'all' | 'each' }): unknown => {
	if (error instanceof MigrationExecutionError) return error.withOutcome({ ...context, committed: [...context.committed] })
	if (error instanceof StrataError) return error
	const e = error as { code?: unknown; severity?: unknown }
	if (typeof e?.code === 'string' && typeof e.severity === 'string' && context.rolledBack) {
		// a database error in strata's own bookkeeping (catalog, ledger), not in a migration statement
		const details = describeDatabaseError(error)
		return new StrataError('DATABASE_ERROR', `PostgreSQL failed while strata read the catalog or wrote the ledger: ${details.message} [${details.code}]`
			+ `${details.detail ? `\n  detail: ${details.detail}` : ''}${details.hint ? `\n  hint: ${details.hint}` : ''}\n  The transaction was rolled back: nothing of it was applied.`
			+ (context.committed.length > 0 ? `\n  Committed earlier (--transaction each): ${context.committed.join(', ')}.` : ''), ExitCode.migrationFailed, { cause: error })
	}
	if (!isConnectionLoss(error)) return new InternalError(`migrations:execute failed unexpectedly: ${redact((error as Error)?.message ?? String(error))}`, { cause: error })
	// the connection died (server stopped, network): PostgreSQL rolls back the open transaction
	const message = (error as Error)?.message ?? String(error)
	return new StrataError('CONNECTION_LOST', redact(`The connection to PostgreSQL failed during execution: ${message}\n`
		+ 'COMMIT was not sent, so the open transaction was not committed and PostgreSQL rolls it back: none of its migrations were applied.'
		+ (context.committed.length > 0 ? `\nCommitted before the failure: ${context.committed.join(', ')}.` : '')
		+ '\nRun migrations:status once the database is reachable again, then re-run migrations:execute.'), ExitCode.migrationFailed, { cause: error })
}
