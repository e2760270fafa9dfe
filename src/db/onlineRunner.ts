/**
 * Runs one online migration (docs/online.md, "The online strategy"): its plan (src/online/)
 * step by step, each transactional step in a transaction of its own with the ledger's record of
 * it, each CONCURRENTLY statement alone, outside any transaction, recorded right after it.
 *
 * The plan is stored in the ledger before the first step runs, and a run that finds a stored
 * plan continues it instead of planning again: the SQL of a step may depend on the catalog,
 * which the steps already run have changed. Before a concurrent build, an index of its
 * (deterministic) name is looked up: INVALID means an earlier build was interrupted, and it is
 * dropped (DROP INDEX CONCURRENTLY IF EXISTS); valid means the build finished but the run died
 * before recording it, and the step is only recorded.
 */
import type pg from 'pg'
import { StrataError } from '../errors.js'
import { applyModifications, ModificationFailedError, stepModification } from '../modifications/fold.js'
import { planOnlineSteps, type GeneratedModification, type OnlineStep } from '../online/onlinePlan.js'
import type { Schema } from '../schema/model.js'
import type { DatabaseMetadata } from '../sql/metadata.js'
import { describeStaleLookup, LookupTracker } from '../online/staleLookups.js'
import { isOnlineMigration } from '../lint/extension.js'
import { quoteIdentifier } from '../sql/quote.js'
import { describeDatabaseError, MigrationExecutionError } from './failure.js'
import { recordMigrations } from './ledger.js'
import { isRetriedLockConflict } from './lockRetry.js'
import { markStepDone, readStoredPlan, storePlan, type StoredStep } from './ledgerSteps.js'
import { LiveCatalog } from './liveCatalog.js'
import type { StatementOrigin } from './progressWatch.js'
import type { RunningStatement } from './statementBatch.js'
import { migrationContent, type ExecutableMigration } from './status.js'

export interface OnlineRunOptions {
	readonly ledgerSchema: string
	readonly schemaName: string
	readonly lockTimeoutMs: number
	readonly statementTimeoutMs: number
}

export type OnlineStepState = 'start' | 'done' | 'built' | 'cleaned'

export interface OnlineRunEvents {
	/**
	 * a step starts; is done (committed and recorded); found its index built by an earlier run
	 * that died before recording it (`built`); or dropped the INVALID index an interrupted build left (`cleaned`)
	 */
	readonly onStep?: (step: StoredStep, total: number, state: OnlineStepState) => void
	/** the migration statement PostgreSQL is running now (undefined between statements), for progress reports */
	readonly onRunning?: (running: RunningStatement<StatementOrigin> | undefined) => void
	/**
	 * A step lost a lock conflict (lock_timeout, deadlock) on its `attempt`-th run, and PostgreSQL
	 * rolled it back (a transactional step) or left its index INVALID (a concurrent build). Resolves
	 * true to run the step again (after the caller's pause), false to give up: the failure is thrown.
	 * Without it, the first conflict fails the run.
	 */
	readonly retryAfterLockConflict?: (failure: MigrationExecutionError, attempt: number) => Promise<boolean>
	/** a step (re)starts: whoever watches for blockers forgets the previous attempt's */
	readonly onAttempt?: () => void
}

/** the migration's SQL, generated against the catalog as it is before the migration, without running any of it */
const generate = async (client: pg.Client, schemaName: string, schema: Schema, migration: ExecutableMigration): Promise<GeneratedModification[]> => {
	const catalog = new LiveCatalog(client, schemaName)
	const createdEntities = new Set<string>()
	const generated: GeneratedModification[] = []
	const lookups = new LookupTracker()
	let current = schema
	for (const [index, modification] of migration.modifications.entries()) {
		// each round reads the tables the modification asked about; a handful at most
		for (let round = 0; ; round++) {
			const { metadata, stale } = catalog.attempt()
			const lookedUp = new Set<string>()
			const recording: DatabaseMetadata = {
				live: metadata.live,
				foreignKeysOf: table => (lookedUp.add(table), metadata.foreignKeysOf(table)),
				indexesOf: table => (lookedUp.add(table), metadata.indexesOf(table)),
				uniqueConstraintsOf: table => (lookedUp.add(table), metadata.uniqueConstraintsOf(table)),
			}
			const attempt = new Set(createdEntities)
			let step
			try {
				step = stepModification(current, modification, index, { formatVersion: migration.formatVersion, databaseMetadata: recording, createdEntities: attempt })
			} catch (error) {
				if (error instanceof ModificationFailedError) throw new StrataError('MODIFICATION_FAILED', `Migration ${migration.name}: ${error.message}`)
				throw error
			}
			if (stale.size > 0 && round < 100) {
				await catalog.refresh(stale)
				continue
			}
			const origin = { index, id: modification.modification }
			const staleLookup = lookups.check(origin, lookedUp)
			if (staleLookup) throw new StrataError('ONLINE_PLAN_STALE_CATALOG', describeStaleLookup(migration.name, staleLookup))
			lookups.record(origin, step.sql.statements)
			attempt.forEach(name => createdEntities.add(name))
			const alone = modification.modification === 'executeSql' && modification['transactional'] === false
			generated.push({ index, id: modification.modification, statements: step.sql.statements, ...(alone ? { alone } : {}) })
			current = step.schema
			break
		}
	}
	return generated
}

/**
 * Whether a migration runs step by step (this module) rather than in one transaction: it is
 * marked online, or it holds a SQL step that runs outside the transaction.
 */
export const runsInSteps = (migration: Pick<ExecutableMigration, 'modifications' | 'strata'>): boolean =>
	isOnlineMigration(migration) || migration.modifications.some(it => it.modification === 'executeSql' && it['transactional'] === false)

/** a partly applied online migration whose file changed since its plan was stored: the rest of the plan no longer matches it */
export class OnlinePlanChangedError extends StrataError {
	constructor(name: string, stored: string, file: string) {
		super('ONLINE_PLAN_CHANGED', `Migration ${name} is partly applied (online) from a file with checksum ${stored}, but the file now has ${file}.\n`
			+ `  Its remaining steps were planned from the old content. Revert ${name}.json to what was executed and run migrations:execute again to finish it; put the change in a new migration.`)
	}
}

/** the steps `migration` would run from the catalog as it is now (a dry run); nothing is stored or run */
export const planLiveOnlineMigration = async (client: pg.Client, schemaName: string, schema: Schema, migration: ExecutableMigration): Promise<OnlineStep[]> =>
	planOnlineSteps(migration.version, await generate(client, schemaName, schema, migration), { online: isOnlineMigration(migration) })

/** whether an index of `name` exists in `schemaName`, and if so whether it is valid */
const indexState = async (client: pg.Client, schemaName: string, name: string): Promise<'absent' | 'valid' | 'invalid'> => {
	const result = await client.query<{ valid: boolean }>(
		`SELECT i.indisvalid AS "valid" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid
		JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`, [schemaName, name])
	const row = result.rows[0]
	return row === undefined ? 'absent' : row.valid ? 'valid' : 'invalid'
}

/** `work` in a transaction, committed when it resolves, rolled back when it throws */
const inTransaction = async (client: pg.Client, work: () => Promise<void>): Promise<void> => {
	await client.query('BEGIN')
	try {
		await work()
		await client.query('COMMIT')
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined)
		throw error
	}
}

const failure = (migration: ExecutableMigration, step: StoredStep, total: number, statement: OnlineStep['statements'][number], cause: unknown) =>
	new MigrationExecutionError({
		migration: migration.name, modificationIndex: statement.modificationIndex, modificationId: statement.modificationId, statement: statement.sql,
		database: describeDatabaseError(cause), onlineStep: { step: step.step, total, transactional: step.transactional, ...(step.builds ? { buildsIndex: true } : {}), ...(isOnlineMigration(migration) ? {} : { online: false }) },
	}, cause)

/**
 * Runs (or continues) `migration` online; resolves with the schema after it and how long its
 * steps took in this run. Throws MigrationExecutionError naming the failing step: the steps
 * before it stay committed and recorded.
 */
export const runOnlineMigration = async (
	client: pg.Client, migration: ExecutableMigration, schema: Schema, options: OnlineRunOptions, events: OnlineRunEvents = {},
): Promise<{ schema: Schema; durationMs: number; statements: { modificationIndex: number; modificationId: string; sql: string }[] }> => {
	const started = performance.now()
	const after = applyModifications(schema, migration.modifications, migration.formatVersion)
	const stored = await readStoredPlan(client, options.ledgerSchema, migration.version)
	if (stored.checksum !== undefined && stored.checksum !== migration.checksum) throw new OnlinePlanChangedError(migration.name, stored.checksum, migration.checksum)
	let plan = stored.steps
	if (plan.length === 0) {
		const steps = await planLiveOnlineMigration(client, options.schemaName, schema, migration)
		await storePlan(client, options.ledgerSchema, migration, steps)
		plan = steps.map((step, index) => ({ ...step, step: index, done: false }))
	}
	const total = plan.length
	const run = async (step: StoredStep, statement: StoredStep['statements'][number]) => {
		events.onRunning?.({ tag: { migration: migration.name, ...statement }, since: performance.now() })
		try {
			await client.query(statement.sql)
		} catch (error) {
			throw failure(migration, step, total, statement, error)
		} finally {
			events.onRunning?.(undefined)
		}
	}
	const ran: { modificationIndex: number; modificationId: string; sql: string }[] = []
	const record = () => recordMigrations(client, options.ledgerSchema, [{
		version: migration.version, name: migration.name, checksum: migration.checksum, formatVersion: migration.formatVersion,
		migration: JSON.stringify(migrationContent(migration)), durationMs: performance.now() - started,
	}])
	/**
	 * One step, committed and recorded. A concurrent build looks up its index first: INVALID (an
	 * interrupted build, or this run's previous attempt losing a lock conflict) is dropped; valid
	 * means it was built by a run that died before recording it.
	 */
	const runStep = async (step: StoredStep) => {
		const last = step.step === total - 1
		const stepStarted = performance.now()
		if (!step.transactional) {
			const statement = step.statements[0]!
			const state = step.builds ? await indexState(client, options.schemaName, step.builds) : 'absent'
			if (state === 'invalid') {
				// an interrupted CREATE INDEX CONCURRENTLY left it: it is neither used nor complete
				events.onStep?.(step, total, 'cleaned')
				// it waits for every session using the table, under the same lock_timeout: a conflict here is retried like the build's
				await run(step, { ...statement, sql: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdentifier(options.schemaName)}.${quoteIdentifier(step.builds!)}` })
			}
			events.onStep?.(step, total, 'start')
			if (state === 'valid') events.onStep?.(step, total, 'built')
			else {
				await run(step, statement)
				ran.push(statement)
			}
			// recorded at once: with nothing left but the record, a kill here is found by the index lookup above
			await inTransaction(client, async () => {
				await markStepDone(client, options.ledgerSchema, migration.version, step.step, performance.now() - stepStarted)
				if (last) await record()
			})
			events.onStep?.(step, total, 'done')
			return
		}
		events.onStep?.(step, total, 'start')
		await inTransaction(client, async () => {
			for (const statement of step.statements) {
				await run(step, statement)
			}
			await markStepDone(client, options.ledgerSchema, migration.version, step.step, performance.now() - stepStarted)
			if (last) await record()
		})
		ran.push(...step.statements)
		events.onStep?.(step, total, 'done')
	}
	// the settings of the migration's own statements, for the whole session: a CONCURRENTLY statement has no transaction to SET LOCAL in
	await client.query(`SET search_path TO ${quoteIdentifier(options.schemaName)}; SET lock_timeout = ${options.lockTimeoutMs}; SET statement_timeout = ${options.statementTimeoutMs}`)
	try {
		// every step ran, but the run died before the migration was recorded (or it has no step)
		if (plan.every(step => step.done)) await inTransaction(client, record)
		for (const step of plan) {
			if (step.done) continue
			for (let attempt = 1; ; attempt++) {
				events.onAttempt?.()
				try {
					await runStep(step)
					break
				} catch (error) {
					const conflict = error instanceof MigrationExecutionError && isRetriedLockConflict(error.details.database.code)
					if (!conflict || !events.retryAfterLockConflict || !(await events.retryAfterLockConflict(error, attempt))) throw error
				}
			}
		}
	} finally {
		await client.query('RESET search_path; RESET lock_timeout; RESET statement_timeout').catch(() => undefined)
	}
	return { schema: after, durationMs: performance.now() - started, statements: ran }
}
