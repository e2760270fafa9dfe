/**
 * Fleets (docs/fleet.md): one migration history applied to, checked on or compared with many
 * targets — databases, or schemas of one database — at a bounded concurrency. Each target runs
 * exactly as a single executeProject / migrationStatus / detectProjectDrift does, under its own
 * lock and in its own transaction(s); one failing target stops no other unless `failFast`.
 */
import type pg from 'pg'
import type { ProjectContext } from '../cli/context.js'
import { connectUrl, endSession } from '../db/connection.js'
import { createHistoryMemo, resolveUntil } from '../db/executor.js'
import { readStatusFiles } from '../cli/statusInputs.js'
import { readLedger } from '../db/ledger.js'
import { contractGate } from '../db/status.js'
import { DEFAULT_LEDGER_SCHEMA } from '../db/ledgerDefaults.js'
import { redact } from '../db/redact.js'
import { ExitCode, StrataError } from '../errors.js'
import { loadProjectTargets } from '../fleet/source.js'
import { runFleet, type FleetRun, type FleetRunOptions, type TargetWork } from '../fleet/runFleet.js'
import type { TargetSelection } from '../fleet/targets.js'
import { quoteIdentifier } from '../sql/quote.js'
import { readMigrations } from '../migrations/files.js'
import { detectProjectDrift, type DriftOptions, type ProjectDrift } from './drift.js'
import { executeProject, type ExecuteProjectOptions } from './execute.js'
import type { StrataProject } from './project.js'
import { migrationStatus, type ProjectStatus } from './status.js'

export { DEFAULT_CONCURRENCY, isFailure, worstExitCode, type FleetError, type FleetOutcome, type FleetRun, type FleetTargetResult } from '../fleet/runFleet.js'
export type { TargetSelection } from '../fleet/targets.js'

/** one target of a fleet */
export interface FleetTarget {
	readonly name: string
	/** a connection string (never printed: it may hold a password) */
	readonly database: string
	/** the PostgreSQL schema of the tables (default `public`) */
	readonly schemaName?: string
	/** the target's own ledger schema (default: the project's) */
	readonly ledgerSchema?: string
	/** executeFleet creates `schemaName` when it is missing (a target that declares its schema: a new tenant) */
	readonly createSchema?: boolean
}

export interface FleetOptions {
	readonly project: StrataProject
	readonly targets: readonly FleetTarget[]
	/** at most this many targets at once (default 4) */
	readonly concurrency?: number
	/** after the first failure, start no more targets; those running finish */
	readonly failFast?: boolean
	/** run on the first N targets first, and stop when any of them failed */
	readonly canary?: number
	readonly onTargetStart?: (name: string) => void
	readonly onTargetDone?: FleetRunOptions<unknown>['onDone']
	/**
	 * Aborting it (Ctrl-C) starts no more targets and ends the sessions of those running: each
	 * one's open transaction is rolled back and its migration lock freed, as when a single run is
	 * interrupted; the targets not started are reported `skipped`, and `stopped` is `interrupted`.
	 */
	readonly signal?: AbortSignal
}

/**
 * The project's targets named by `selection` (`target` names, `targets: 'all'` or a glob), from
 * its config's `targets` and `targetsFrom`, with connections read from `env`. Every connection
 * string is registered with the redaction before anything can print it.
 *
 * @throws StrataError `TARGET_NOT_FOUND`, `TARGETS_INVALID`, `TARGET_ENV_MISSING`, `TARGETS_FROM_FAILED`
 */
export const loadFleetTargets = async (project: StrataProject, selection: TargetSelection, env: NodeJS.ProcessEnv = process.env): Promise<FleetTarget[]> =>
	(await loadProjectTargets(project as ProjectContext, selection, env)).map(target => ({
		name: target.name, database: target.url, schemaName: target.schemaName, ledgerSchema: target.ledgerSchema, createSchema: target.declaresSchema,
	}))

/** SQLSTATE insufficient_privilege */
const INSUFFICIENT_PRIVILEGE = '42501'

/** a target's error as a code, a message without secrets and the exit code it ends with (as a single run reports it) */
export const describeFleetError = (error: unknown): { code: string; message: string; exitCode: number } => {
	if (error instanceof StrataError) return { code: error.code, message: redact(error.message), exitCode: error.exitCode }
	const e = error as { code?: unknown; severity?: unknown; message?: unknown }
	const message = redact(typeof e?.message === 'string' ? e.message : String(error))
	if (typeof e?.code === 'string' && (e.severity !== undefined || /^E[A-Z]+$/.test(e.code))) {
		return { code: 'DATABASE_ERROR', message: `PostgreSQL: ${message} [${e.code}]${e.code === INSUFFICIENT_PRIVILEGE ? ' (the connection\'s role lacks a privilege)' : ''}`, exitCode: ExitCode.userError }
	}
	if (/Connection terminated|connection.*(closed|ended)/i.test(message)) return { code: 'CONNECTION_LOST', message: `The connection to PostgreSQL was lost: ${message}`, exitCode: ExitCode.userError }
	return { code: 'INTERNAL', message, exitCode: ExitCode.internal }
}

/** opens the target's database, runs `work`, always closes it */
const onTarget = async <R>(
	target: FleetTarget, applicationName: string, work: (client: pg.Client, description: string) => Promise<R>, signal?: AbortSignal,
): Promise<R> => {
	const { client, description } = await connectUrl(target.database, applicationName, `the connection of target ${target.name}`)
	// an abort ends the session at once: a statement still running is cut off and its transaction rolled back
	let ended: Promise<void> | undefined
	const end = () => { ended ??= endSession(client) }
	signal?.addEventListener('abort', end, { once: true })
	try {
		if (signal?.aborted) end()
		return await work(client, description)
	} finally {
		signal?.removeEventListener('abort', end)
		await (ended ?? client.end().catch(() => undefined))
	}
}

const runOptions = <D>(options: FleetOptions): FleetRunOptions<D> => ({
	...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
	...(options.failFast ? { failFast: true } : {}),
	...(options.canary !== undefined ? { canary: options.canary } : {}),
	...(options.onTargetStart ? { onStart: options.onTargetStart } : {}),
	...(options.onTargetDone ? { onDone: options.onTargetDone as FleetRunOptions<D>['onDone'] } : {}),
	describeError: describeFleetError,
	...(options.signal ? { signal: options.signal } : {}),
})

/** what executeFleet reports for a target */
export interface ExecuteTargetDetail {
	/** host, port, database and user; never the password */
	readonly database?: string
	readonly schemaName: string
	readonly ledgerSchema: string
	/** migrations the ledger recorded before the run (undefined when it could not be read) */
	readonly before?: number
	/** the migrations this run applied (or in a dry run would apply), in order */
	readonly applied: readonly string[]
	/** migrations the ledger records after the run */
	readonly after?: number
	/** the schema was created by this run */
	readonly createdSchema?: boolean
	/** a dry run found the target's schema missing: a real run creates it and applies `applied` there */
	readonly schemaMissing?: boolean
	readonly snapshot?: string
	/** the run stopped before this pending contract-phase migration (no `contract`; docs/execute.md, "Expand/contract: the contract gate") */
	readonly stoppedAtContract?: string
}

/** executeProject's settings that apply to every target alike */
export type FleetExecuteSettings = Pick<ExecuteProjectOptions,
	'until' | 'contract' | 'dryRun' | 'transaction' | 'lockWaitMs' | 'lockTimeoutMs' | 'lockRetries' | 'lockRetryDelayMs' | 'statementTimeoutMs' | 'destructive'>

const ledgerCount = async (client: pg.Client, ledgerSchema: string): Promise<number | undefined> =>
	(await readLedger(client, ledgerSchema).catch(() => undefined))?.length

const schemaExists = async (client: pg.Client, schema: string): Promise<boolean> =>
	((await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount ?? 0) > 0

/**
 * Applies the project's pending migrations on every target. The files are read and checked
 * once; each target then runs as executeProject does (its lock, its transaction, its ledger), so
 * re-running after a partial failure applies only what is missing. A target that declares its
 * schema gets it created when it is missing (not in a dry run).
 */
export const executeFleet = async (options: FleetOptions & FleetExecuteSettings): Promise<FleetRun<ExecuteTargetDetail>> => {
	const files = await readMigrations(options.project.migrationsDir)
	// every target replays the same files: targets at the same migration share one replay and validation
	const memo = createHistoryMemo()
	const settings: FleetExecuteSettings = {
		until: options.until, contract: options.contract, dryRun: options.dryRun, transaction: options.transaction, lockWaitMs: options.lockWaitMs, lockTimeoutMs: options.lockTimeoutMs,
		lockRetries: options.lockRetries, lockRetryDelayMs: options.lockRetryDelayMs, statementTimeoutMs: options.statementTimeoutMs, destructive: options.destructive,
	}
	const defined = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as FleetExecuteSettings
	return runFleet(options.targets, target => onTarget(target, 'strata migrations:execute (fleet)', async (client, description): Promise<TargetWork<ExecuteTargetDetail>> => {
		const schemaName = target.schemaName ?? 'public'
		const ledgerSchema = target.ledgerSchema ?? options.project.config.ledgerSchema ?? DEFAULT_LEDGER_SCHEMA
		const base = { database: description, schemaName, ledgerSchema }
		let createdSchema = false
		if (schemaName !== 'public' && target.createSchema && !options.dryRun && !(await schemaExists(client, schemaName))) {
			// two fleet runs may both find it missing: IF NOT EXISTS can still race, and the loser's error is no error
			await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schemaName)}`).catch((error: { code?: string }) => {
				if (error?.code !== '23505' && error?.code !== '42P06') throw error
			})
			createdSchema = true
		}
		const before = await ledgerCount(client, ledgerSchema)
		if (schemaName !== 'public' && target.createSchema && options.dryRun && !(await schemaExists(client, schemaName))) {
			// a new tenant: a dry run creates nothing, so there is no catalog to generate SQL against; the whole history (up to `until`) would run
			const last = options.until === undefined ? undefined : resolveUntil(files, options.until)
			const upTo = last === undefined ? files : files.slice(0, files.findIndex(file => file.name === last) + 1)
			// the contract gate holds on a new tenant too
			const gate = contractGate(upTo, { contract: options.contract, ...(last !== undefined ? { named: files.find(file => file.name === last)! } : {}) })
			return { outcome: 'ok', exitCode: ExitCode.ok, detail: { ...base, before: 0, applied: gate.run.map(file => file.name), after: 0, schemaMissing: true, ...(gate.stoppedAt ? { stoppedAtContract: gate.stoppedAt.name } : {}) } }
		}
		try {
			const result = await executeProject({ ...defined, project: options.project, database: client, ledgerSchema, schemaName, files, memo, allowRemote: true })
			const applied = result.executed.length > 0 ? result.executed.map(migration => migration.name) : result.snapshot?.recorded ?? []
			const after = options.dryRun ? before : await ledgerCount(client, ledgerSchema)
			return {
				outcome: 'ok', exitCode: ExitCode.ok,
				detail: { ...base, ...(before !== undefined ? { before } : {}), applied, ...(after !== undefined ? { after } : {}), ...(createdSchema ? { createdSchema } : {}), ...(result.snapshot ? { snapshot: result.snapshot.version } : {}), ...(result.stoppedAtContract ? { stoppedAtContract: result.stoppedAtContract.migration } : {}) },
			}
		} catch (error) {
			const { exitCode, ...described } = describeFleetError(error)
			// what stayed committed (one transaction per migration commits each); the connection may be gone
			const after = await ledgerCount(client, ledgerSchema)
			return {
				outcome: 'failed', exitCode, error: described,
				detail: { ...base, ...(before !== undefined ? { before } : {}), applied: [], ...(after !== undefined ? { after } : {}), ...(createdSchema ? { createdSchema } : {}) },
			}
		}
	}, options.signal), runOptions(options))
}

/** what fleetStatus reports for a target */
export interface StatusTargetDetail extends ProjectStatus {
	readonly schemaName: string
}

/**
 * migrationStatus on every target: `pending` when migrations are pending, `broken` when execute
 * would refuse (exit 1). With `check`, pending ends with exit 3, as `migrations:status --check`.
 */
export const fleetStatus = async (options: FleetOptions & { readonly check?: boolean }): Promise<FleetRun<StatusTargetDetail>> => {
	// the files are read once; each target compares them with its own ledger
	const files = await readStatusFiles(options.project.migrationsDir)
	return runFleet(options.targets, target => onTarget(target, 'strata migrations:status (fleet)', async (client): Promise<TargetWork<StatusTargetDetail>> => {
		const status = await migrationStatus({ project: options.project, database: client, files, ...(target.ledgerSchema ? { ledgerSchema: target.ledgerSchema } : {}) })
		const detail = { ...status, schemaName: target.schemaName ?? 'public' }
		if (status.blocked) return { outcome: 'broken', exitCode: options.check ? ExitCode.checkFailed : ExitCode.userError, detail }
		if (status.summary.pending > 0 || status.journal?.state === 'pending') return { outcome: 'pending', exitCode: options.check ? ExitCode.checkFailed : ExitCode.ok, detail }
		return { outcome: 'ok', exitCode: ExitCode.ok, detail }
	}, options.signal), runOptions(options))
}

/** what fleetDrift reports for a target */
export interface DriftTargetDetail extends ProjectDrift {
	readonly schemaName: string
	readonly ledgerSchema: string
}

/** detectProjectDrift on every target; with `check`, drift ends with exit 3, as `db:drift --check` */
export const fleetDrift = async (options: FleetOptions & Pick<DriftOptions, 'source' | 'ignore'> & { readonly check?: boolean }): Promise<FleetRun<DriftTargetDetail>> =>
	runFleet(options.targets, target => onTarget(target, 'strata db:drift (fleet)', async (client): Promise<TargetWork<DriftTargetDetail>> => {
		const schemaName = target.schemaName ?? 'public'
		const ledgerSchema = target.ledgerSchema ?? options.project.config.ledgerSchema ?? DEFAULT_LEDGER_SCHEMA
		const drift = await detectProjectDrift({
			project: options.project, database: client, ledgerSchema, schemaName,
			...(options.source ? { source: options.source } : {}), ...(options.ignore ? { ignore: options.ignore } : {}),
		})
		const detail = { ...drift, schemaName, ledgerSchema }
		return drift.inSync ? { outcome: 'ok', exitCode: ExitCode.ok, detail } : { outcome: 'drift', exitCode: options.check ? ExitCode.checkFailed : ExitCode.ok, detail }
	}, options.signal), runOptions(options))
