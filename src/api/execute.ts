/**
 * Applying migrations from code, with the CLI's guarantees: exactly once, in order, under the
 * migration lock, in one transaction (or one per migration), with checksums and the ordering
 * rules checked first. Progress arrives as events; nothing is printed.
 */
import { bootstrapIfEmpty, finishInterruptedDevCommand } from '../db/bootstrap.js'
import { blockingProblems, BrokenMigrationsError, createHistoryMemo, executedSchema, executeMigrations, resolveUntil, selectUntil, validatePending, type ExecuteEvent, type HistoryMemo, type ExecutedMigration, type LockRetry } from '../db/executor.js'
import { readLedger } from '../db/ledger.js'
import { readStepProgress } from '../db/ledgerSteps.js'
import type { ProgressListener } from '../db/progressWatch.js'
import { computeStatus, contractGate, expandOf, type ExecutableMigration } from '../db/status.js'
import { StrataError } from '../errors.js'
import { journalExists, journalPath } from '../migrations/devJournal.js'
import { readMigrations, type MigrationFile } from '../migrations/files.js'
import { foldModifications } from '../modifications/fold.js'
import type { Schema } from '../schema/model.js'
import { ledgerSchemaFor, withConnection, type DatabaseOptions } from './database.js'
import type { StrataProject } from './project.js'

/** the executor's events, and what the run says besides (a stale snapshot, a finished interrupted rebase) */
export type ExecuteProjectEvent = ExecuteEvent | { readonly type: 'notice'; readonly level: 'note' | 'warning'; readonly message: string }

export interface ExecuteProjectOptions extends DatabaseOptions {
	readonly project: StrataProject
	/**
	 * stop after this migration (name, version or unique label; inclusive). Naming a contract-phase
	 * migration (or `until` past it that is itself a contract) runs the contract: that is "naming it"
	 */
	readonly until?: string
	/**
	 * run contract-phase migrations too (`--contract`). Without it the run stops before the first
	 * pending migration marked `"strata": { "expandContract": { "phase": "contract" } }`, and
	 * everything after it waits (docs/execute.md, "Expand/contract: the contract gate")
	 */
	readonly contract?: boolean
	/** generate the exact SQL against the live catalog and change nothing */
	readonly dryRun?: boolean
	/** one transaction for the whole run (default) or one per migration */
	readonly transaction?: 'all' | 'each'
	/** the PostgreSQL schema the migrations create their tables in (default `public`) */
	readonly schemaName?: string
	/** how long to wait for another run holding the migration lock (default 60 000 ms) */
	readonly lockWaitMs?: number
	/** PostgreSQL lock_timeout of the migration statements (default 10 000 ms; 0 = off) */
	readonly lockTimeoutMs?: number
	/** after a lock timeout or deadlock, roll back and run the unit again this many times (default 3) */
	readonly lockRetries?: number
	/** the first pause before a retry, random below it and doubling (default 1 000 ms) */
	readonly lockRetryDelayMs?: number
	/** PostgreSQL statement_timeout of the migration statements (default 0 = off) */
	readonly statementTimeoutMs?: number
	/** false refuses to run when a pending migration holds a destructive step (a drop, a narrowing) */
	readonly destructive?: boolean
	/** development only: also run pending migrations older than the newest executed one; refused on a database that is not local unless `allowRemote` */
	readonly force?: boolean
	readonly allowRemote?: boolean
	/**
	 * Asked once the pending migrations are known and checked, before anything runs; resolving
	 * false ends the run with nothing executed (`aborted: true`). Not asked in a dry run.
	 */
	readonly confirm?: (pending: readonly ExecutableMigration[], schemaBefore: Schema) => Promise<boolean>
	/** the pending migrations, once checked, and the schema the database is at (before `confirm`) */
	readonly onPlan?: (pending: readonly ExecutableMigration[], schemaBefore: Schema) => void
	/** just before the first change; throwing here stops the run with nothing executed */
	readonly beforeExecute?: () => void
	readonly onEvent?: (event: ExecuteProjectEvent) => void
	/** about once a second while a statement has run for more than a second (see ExecuteOptions.onProgress) */
	readonly onProgress?: ProgressListener
	/**
	 * the project's migration files, read and checked once by the caller (executeFleet reads them
	 * once for all its targets); default: read from the migrations directory by this call
	 */
	readonly files?: readonly MigrationFile[]
	/** replays and validations shared with other runs over the same files (executeFleet passes one for all its targets) */
	readonly memo?: HistoryMemo
}

export interface ExecuteProjectResult {
	/** host, port, database and user; never the password */
	readonly database: string
	readonly dryRun: boolean
	/** the confirmation answered no: nothing ran */
	readonly aborted: boolean
	readonly durationMs: number
	/** what ran (or in a dry run would run), in order, with its SQL */
	readonly executed: readonly ExecutedMigration[]
	/** an empty database built from migrations/snapshot.json in one step: the migrations recorded that way */
	readonly snapshot?: { readonly version: string; readonly recorded: readonly string[] }
	readonly lockRetries: readonly LockRetry[]
	/** the run stopped before this pending contract-phase migration (no `contract`, and `until` did not name it) */
	readonly stoppedAtContract?: StoppedAtContract
}

/** where a run stopped at the contract gate, and why */
export interface StoppedAtContract {
	/** the contract migration's name */
	readonly migration: string
	/** the pair label both halves share */
	readonly pair: string
	/** the expand migration of the pair, when its file is there */
	readonly expand?: string
	/** when the expand ran on this database (absent when it ran in this run, or not at all) */
	readonly expandExecutedAt?: Date
	/** the pending migrations after the contract, which wait with it */
	readonly waiting: readonly string[]
}

/** `Stopped before …: it is the contract phase of …; deploy the new application, then run migrations:execute --contract` */
export const contractGateMessage = (stopped: StoppedAtContract): string =>
	`Stopped before ${stopped.migration}: it is the contract phase of ${stopped.pair}${stopped.expand ? ` (expand: ${stopped.expand})` : ''}; `
	+ 'deploy the new application, then run migrations:execute --contract'
	+ (stopped.waiting.length > 0 ? ` (${stopped.waiting.length} later migration${stopped.waiting.length === 1 ? '' : 's'} wait${stopped.waiting.length === 1 ? 's' : ''} with it: ${stopped.waiting.join(', ')}).` : '.')

/** CI=true, CI=1, CI=anything but empty, 0 or false */
export const runsInCi = (env: NodeJS.ProcessEnv = process.env): boolean => {
	const value = env.CI?.trim().toLowerCase()
	return value !== undefined && value !== '' && value !== '0' && value !== 'false'
}

/** the destructive steps of the pending migrations (offline descriptions), for `destructive: false` */
export const destructiveSteps = (schema: Schema, pending: readonly ExecutableMigration[]): string[] => {
	const found: string[] = []
	let current = schema
	for (const migration of pending) {
		const { steps, schema: next } = foldModifications(current, migration.modifications, { formatVersion: migration.formatVersion })
		for (const step of steps) {
			if (step.description.destructive) found.push(`${migration.name} #${step.index} ${step.modification.modification}: ${step.description.message}${step.description.destructiveReason ? ` (${step.description.destructiveReason})` : ''}`)
		}
		current = next
	}
	return found
}

/**
 * Applies the pending migrations of the project (up to `until`).
 *
 * @throws BrokenMigrationsError (`MIGRATIONS_BROKEN`) when an executed file changed, is missing, or a pending one is out of order
 * @throws MigrationExecutionError (`MIGRATION_FAILED`, exit code 2) when PostgreSQL rejects a statement; the transaction is rolled back
 * @throws StrataError for refusals (`DESTRUCTIVE_REFUSED`, `REMOTE_REFUSED`, `LOCK_TIMEOUT`, `JOURNAL_IN_CI`, …)
 */
export const executeProject = async (options: ExecuteProjectOptions): Promise<ExecuteProjectResult> => {
	const { project } = options
	const emit = options.onEvent ?? (() => undefined)
	const notice = (level: 'note' | 'warning', message: string) => emit({ type: 'notice', level, message })
	const ledgerSchema = ledgerSchemaFor(options, project.config)
	const schemaName = options.schemaName ?? 'public'
	const lockWaitMs = options.lockWaitMs ?? 60_000
	if (runsInCi() && await journalExists(project.root)) {
		// a journal belongs to the developer machine where a rebase/amend was interrupted; in CI it was committed by mistake (or crafted)
		throw new StrataError('JOURNAL_IN_CI', `${journalPath(project.root)} exists, but migrations:execute never applies a development journal in CI (CI is set).\n`
			+ 'It records an interrupted migrations:rebase or migrations:amend on a developer\'s machine and belongs there only. Remove it from the repository '
			+ '(git rm --cached .strata/dev-journal.json; keep .strata/ in .gitignore). Nothing was executed.')
	}
	let files = options.files ?? await readMigrations(project.migrationsDir)
	return withConnection(options.database, 'strata migrations:execute', async ({ client, description, isLocal }) => {
		const result = (rest: Partial<ExecuteProjectResult>): ExecuteProjectResult =>
			({ database: description, dryRun: options.dryRun === true, aborted: false, durationMs: 0, executed: [], lockRetries: [], ...rest })
		if (options.force && !options.allowRemote && !isLocal) {
			throw new StrataError('REMOTE_REFUSED', `force is for development databases; ${description} is not local (unix socket, localhost). Pass allowRemote if you really mean it.`)
		}
		if (schemaName !== 'public' && (await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schemaName])).rowCount === 0) {
			throw new StrataError('DB_SCHEMA_MISSING', `The schema ${schemaName} (--db-schema, schemaName in the API) does not exist in this database. Nothing was executed.`)
		}
		// an interrupted rebase/amend is finished first (files and ledger move together); a journal of another project or database is refused
		const journal = options.dryRun ? undefined : await finishInterruptedDevCommand(client, project, ledgerSchema, lockWaitMs, (holders, waitedMs) => emit({ type: 'lockWait', holders, waitedMs }))
		if (journal?.message) notice('warning', journal.message)
		if (journal) files = await readMigrations(project.migrationsDir)
		const ledger = await readLedger(client, ledgerSchema)
		const status = computeStatus(files, ledger, { force: options.force, steps: await readStepProgress(client, ledgerSchema) })
		const problems = blockingProblems(status, options.force ?? false)
		if (problems.length > 0) throw new BrokenMigrationsError(problems)
		if (options.force) {
			for (const entry of status.errors) notice('warning', `force: running ${entry.name} out of order (${entry.message}).`)
		}
		const selected = selectUntil(status.toExecute, options.until, files)
		// the contract gate: a pending contract-phase migration runs only with `contract` or when `until` names it
		const named = options.until === undefined ? undefined : files.find(file => file.name === resolveUntil(files, options.until!))
		const gate = contractGate(selected, { contract: options.contract, ...(named ? { named } : {}) })
		const pending = gate.run
		let stoppedAtContract: StoppedAtContract | undefined
		if (gate.stoppedAt) {
			const expand = expandOf(gate.stoppedAt, files)
			const expandRow = expand && ledger.find(row => row.version === expand.version)
			const waiting = selected.slice(selected.indexOf(gate.stoppedAt) + 1).map(file => file.name)
			stoppedAtContract = {
				migration: gate.stoppedAt.name, pair: gate.stoppedAt.strata!.expandContract!.pair, ...(expand ? { expand: expand.name } : {}),
				...(expandRow ? { expandExecutedAt: expandRow.executedAt } : {}), waiting,
			}
		}
		// the executor and the bootstrap re-select under the lock: they stop at the last migration before the gate
		const until = gate.stoppedAt ? pending[pending.length - 1]?.name : options.until
		const stopNotice = () => {
			if (stoppedAtContract) notice('note', contractGateMessage(stoppedAtContract))
		}
		if (pending.length === 0) {
			stopNotice()
			return result(stoppedAtContract ? { stoppedAtContract } : {})
		}
		// names the file and modification that breaks the schema rules (executeMigrations validates what it runs itself)
		// one memo for this run's checks and the executor's, unless the caller shares one
		const memo = options.memo ?? createHistoryMemo()
		if (options.destructive === false || options.confirm) validatePending(status, pending, memo)
		if (options.destructive === false) {
			const destructive = destructiveSteps(executedSchema(status, memo), pending)
			if (destructive.length > 0) {
				throw new StrataError('DESTRUCTIVE_REFUSED', `--no-destructive: ${destructive.length} destructive step${destructive.length === 1 ? '' : 's'} pending; nothing was executed.\n${destructive.map(line => `  - ${line}`).join('\n')}`)
			}
		}
		options.onPlan?.(pending, executedSchema(status, memo))
		if (options.confirm && !options.dryRun && !(await options.confirm(pending, executedSchema(status, memo)))) return result({ aborted: true })

		let snapshot: ExecuteProjectResult['snapshot']
		if (!options.dryRun) {
			// an empty database is built from a fresh migrations/snapshot.json in one step; a stale one is reported, never used
			const boot = await bootstrapIfEmpty(client, project.migrationsDir, files, { ledgerSchema, schemaName, lockWaitMs, ...(until ? { until: resolveUntil(files, until) } : {}) })
			if (boot.kind === 'stale') notice('warning', `migrations/snapshot.json is stale and was not used:\n${boot.reasons.map(reason => `  - ${reason}`).join('\n')}`)
			if (boot.kind === 'sqlSteps') notice('note', `migrations/snapshot.json was not used: ${boot.migrations.join(', ')} hold SQL steps, whose data changes a snapshot does not carry; the migrations run one by one.`)
			if (boot.kind === 'bootstrapped') {
				notice('note', `Bootstrapped from migrations/snapshot.json: ${boot.recorded.length} migrations up to ${boot.snapshot.version} recorded in one step.`)
				snapshot = { version: boot.snapshot.version, recorded: boot.recorded }
				if (pending.every(migration => boot.recorded.includes(migration.name))) {
					stopNotice()
					return result({ snapshot, ...(stoppedAtContract ? { stoppedAtContract } : {}) })
				}
			}
		}
		options.beforeExecute?.()
		const executed = await executeMigrations(client, files, {
			ledgerSchema, schemaName, transaction: options.transaction, lockWaitMs,
			lockTimeoutMs: options.lockTimeoutMs ?? 10_000, lockRetries: options.lockRetries ?? 3, lockRetryDelayMs: options.lockRetryDelayMs ?? 1000,
			statementTimeoutMs: options.statementTimeoutMs ?? 0, force: options.force, until, dryRun: options.dryRun, memo,
			...(options.onProgress ? { onProgress: options.onProgress } : {}),
		}, emit)
		stopNotice()
		return result({ dryRun: executed.dryRun, durationMs: executed.durationMs, executed: executed.executed, lockRetries: executed.lockRetries, ...(snapshot ? { snapshot } : {}), ...(stoppedAtContract ? { stoppedAtContract } : {}) })
	})
}
