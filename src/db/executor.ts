/**
 * Runs pending migrations: under the ledger lock, re-checks the rules against the ledger as it
 * is now, generates each modification's SQL against the live catalog (re-read only when a
 * handler looks at it after DDL), executes it and records the migration in the same transaction.
 * Emits typed events; printing is the CLI's business.
 */
import type pg from 'pg'
import { ExitCode, InternalError, StrataError } from '../errors.js'
import { validateForSql, type ValidatedHistory } from '../migrations/validated.js'
import { applyModifications, ModificationFailedError, stepModification, type ModificationStep } from '../modifications/fold.js'
import { emptySchema, type Schema } from '../schema/model.js'
import type { DatabaseMetadata } from '../sql/metadata.js'
import { quoteIdentifier } from '../sql/quote.js'
import { readDatabaseMetadata } from './introspect.js'
import { ensureLedger, readLedger, recordMigration } from './ledger.js'
import { acquireLedgerLock, type LockHolder } from './lock.js'
import { redact } from './redact.js'
import { computeStatus, migrationContent, type ExecutableMigration, type MigrationsStatus, type StatusEntry } from './status.js'
import { describeDatabaseError, findBlockingSessions, isConnectionLoss, MigrationExecutionError } from './failure.js'
import { CommitInterrupted, commitOutcome } from './commitOutcome.js'

export type ExecuteEvent =
	| { readonly type: 'lockWait'; readonly holders: readonly LockHolder[]; readonly waitedMs: number }
	| { readonly type: 'plan'; readonly migrations: readonly ExecutableMigration[]; readonly dryRun: boolean }
	| { readonly type: 'migrationStart'; readonly migration: ExecutableMigration; readonly index: number; readonly total: number }
	| { readonly type: 'statement'; readonly migration: ExecutableMigration; readonly modificationIndex: number; readonly modificationId: string; readonly sql: string }
	| { readonly type: 'migrationDone'; readonly migration: ExecutableMigration; readonly index: number; readonly total: number; readonly durationMs: number; readonly statements: number }
	| { readonly type: 'committed'; readonly migrations: readonly string[] }

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
	 * a new connection to the same database, to learn the outcome of a COMMIT whose connection
	 * was lost (default: the executing client's connection parameters)
	 */
	readonly reconnect?: () => Promise<pg.Client>
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

export const selectUntil = (migrations: readonly ExecutableMigration[], until: string | undefined, all: readonly ExecutableMigration[]): ExecutableMigration[] => {
	if (!until) return [...migrations]
	const target = all.find(file => file.version === until || file.name === until || file.name === until.replace(/\.json$/, ''))
	if (!target) {
		const near = all.filter(file => file.name.includes(until) || until.includes(file.version)).slice(0, 3).map(file => file.name)
		throw new StrataError('MIGRATION_NOT_FOUND', `--until ${until}: no such migration.${near.length ? ` Did you mean ${near.join(', ')}?` : ''}`)
	}
	return migrations.filter(file => file.version <= target.version)
}

/** the schema the database is at: the executed migrations replayed in version order */
export const executedSchema = (status: MigrationsStatus): Schema => {
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
export const validatePending = (status: MigrationsStatus, pending: readonly ExecutableMigration[]): ValidatedHistory =>
	validateForSql([...status.entries.flatMap(entry => (entry.state === 'executed' && entry.file ? [entry.file] : [])), ...pending], new Set(pending.map(file => file.name)))

/** metadata that notes when a handler looks at it, so the catalog is re-read only when needed */
const watched = (metadata: DatabaseMetadata, onRead: () => void): DatabaseMetadata => ({
	live: metadata.live,
	get foreignKeys() { onRead(); return metadata.foreignKeys },
	get indexes() { onRead(); return metadata.indexes },
	get uniqueConstraints() { onRead(); return metadata.uniqueConstraints },
})

/** generates SQL step by step against a catalog that may change under it */
class StepGenerator {
	#metadata: DatabaseMetadata | undefined
	#stale = true
	constructor(
		private readonly client: pg.Client,
		private readonly schemaName: string,
		/** wraps strata's own queries, so migration timeouts do not apply to them */
		private readonly internal: <T>(run: () => Promise<T>) => Promise<T> = run => run(),
	) {}

	#read() {
		return this.internal(() => readDatabaseMetadata(this.client, this.schemaName))
	}

	markChanged() {
		this.#stale = true
	}

	async step(schema: Schema, modification: ExecutableMigration['modifications'][number], index: number, formatVersion: number, createdEntities: Set<string>): Promise<ModificationStep> {
		this.#metadata ??= await this.#read()
		let read = false
		const attempt = new Set(createdEntities)
		const step = stepModification(schema, modification, index, { formatVersion, databaseMetadata: watched(this.#metadata, () => (read = true)), createdEntities: attempt })
		if (!read || !this.#stale) {
			attempt.forEach(name => createdEntities.add(name))
			return step
		}
		this.#metadata = await this.#read()
		this.#stale = false
		return stepModification(schema, modification, index, { formatVersion, databaseMetadata: this.#metadata, createdEntities })
	}
}

const runMigration = async (
	client: pg.Client, generator: StepGenerator, _validated: ValidatedHistory, schema: Schema, migration: ExecutableMigration, execute: boolean,
	onStatement: (modificationIndex: number, modificationId: string, sql: string) => void,
): Promise<{ schema: Schema; sql: ExecutedMigration['sql'] }> => {
	const createdEntities = new Set<string>()
	const sql: { modificationIndex: number; modificationId: string; sql: string }[] = []
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
			sql.push({ modificationIndex: index, modificationId: modification.modification, sql: statement })
			onStatement(index, modification.modification, statement)
			if (!execute) continue
			try {
				await client.query(statement)
			} catch (error) {
				throw new MigrationExecutionError({ migration: migration.name, modificationIndex: index, modificationId: modification.modification, statement, database: describeDatabaseError(error) }, error)
			}
			generator.markChanged()
		}
		current = step.schema
	}
	return { schema: current, sql }
}

const statementTimeout = (options: ExecuteOptions) => Math.max(0, Math.round(options.statementTimeoutMs ?? 0))

const setLocalTimeouts = async (client: pg.Client, options: ExecuteOptions, schemaName: string) => {
	await client.query(`SET LOCAL search_path TO ${quoteIdentifier(schemaName)}`)
	await client.query(`SET LOCAL lock_timeout = ${Math.max(0, Math.round(options.lockTimeoutMs ?? 10_000))}`)
	await client.query(`SET LOCAL statement_timeout = ${statementTimeout(options)}`)
}

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
		const status = computeStatus(files, await readLedger(client, options.ledgerSchema), { force })
		const problems = blockingProblems(status, force)
		if (problems.length > 0) throw new BrokenMigrationsError(problems)
		const pending = selectUntil(status.toExecute, options.until, files)
		const validated = validatePending(status, pending)
		emit({ type: 'plan', migrations: pending, dryRun: true })
		const generator = new StepGenerator(client, schemaName)
		let schema = executedSchema(status)
		const executed: ExecutedMigration[] = []
		for (const [index, migration] of pending.entries()) {
			emit({ type: 'migrationStart', migration, index, total: pending.length })
			const result = await runMigration(client, generator, validated, schema, migration, false,
				(modificationIndex, modificationId, sql) => emit({ type: 'statement', migration, modificationIndex, modificationId, sql }))
			schema = result.schema
			executed.push({ version: migration.version, name: migration.name, durationMs: 0, statements: result.sql.length, sql: result.sql })
		}
		return { executed, dryRun: true, durationMs: performance.now() - started }
	}

	const lock = await acquireLedgerLock(client, options.ledgerSchema, {
		waitMs: options.lockWaitMs ?? 60_000,
		onWait: (holders, waitedMs) => emit({ type: 'lockWait', holders, waitedMs }),
	})
	try {
		await ensureLedger(client, options.ledgerSchema)
		const status = computeStatus(files, await readLedger(client, options.ledgerSchema), { force })
		const problems = blockingProblems(status, force)
		if (problems.length > 0) throw new BrokenMigrationsError(problems)
		const pending = selectUntil(status.toExecute, options.until, files)
		const validated = validatePending(status, pending)
		emit({ type: 'plan', migrations: pending, dryRun: false })
		if (pending.length === 0) return { executed: [], dryRun: false, durationMs: performance.now() - started }

		const each = options.transaction === 'each'
		const internal = withoutStatementTimeout(client, options)
		const generator = new StepGenerator(client, schemaName, internal)
		const executed: ExecutedMigration[] = []
		const committed: string[] = []
		let schema = executedSchema(status)
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
		const begin = async () => {
			await client.query('BEGIN')
			inTransaction = true
			await setLocalTimeouts(client, options, schemaName)
		}
		try {
			if (!each) await begin()
			for (const [index, migration] of pending.entries()) {
				if (each) await begin()
				emit({ type: 'migrationStart', migration, index, total: pending.length })
				const migrationStarted = performance.now()
				const result = await runMigration(client, generator, validated, schema, migration, true, () => undefined)
				const durationMs = performance.now() - migrationStarted
				await internal(() => recordMigration(client, options.ledgerSchema, {
					version: migration.version, name: migration.name, checksum: migration.checksum,
					formatVersion: migration.formatVersion, migration: JSON.stringify(migrationContent(migration)), durationMs,
				}))
				if (each) {
					await commit([migration])
					committed.push(migration.name)
					emit({ type: 'committed', migrations: [migration.name] })
				}
				schema = result.schema
				executed.push({ version: migration.version, name: migration.name, durationMs, statements: result.sql.length, sql: result.sql })
				emit({ type: 'migrationDone', migration, index, total: pending.length, durationMs, statements: result.sql.length })
			}
			if (!each) {
				await commit(pending)
				committed.push(...pending.map(migration => migration.name))
				emit({ type: 'committed', migrations: committed })
			}
		} catch (error) {
			if (error instanceof CommitInterrupted) throw await commitOutcome(client, options.ledgerSchema, options.reconnect, error, committed)
			const rolledBack = inTransaction ? await client.query('ROLLBACK').then(() => true, () => false) : true
			throw await explainFailure(client, error, { committed, rolledBack })
		}
		return { executed, dryRun: false, durationMs: performance.now() - started }
	} finally {
		await lock.release().catch(() => undefined)
	}
}

/** an error PostgreSQL sent (it carries a severity), as opposed to one raised in strata or the socket */
const isDatabaseError = (error: unknown): boolean => typeof (error as { severity?: unknown })?.severity === 'string'

const explainFailure = async (client: pg.Client, error: unknown, context: { committed: readonly string[]; rolledBack: boolean }): Promise<unknown> => {
	if (error instanceof MigrationExecutionError) {
		const blocking = error.details.database.code === '55P03' ? await findBlockingSessions(client).catch(() => []) : []
		return error.withOutcome({ ...context, blocking })
	}
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
