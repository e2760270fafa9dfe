/**
 * `migrations:execute [project]`: apply pending migrations exactly once, in order, under the
 * ledger lock, in one transaction (or one per migration), recording each in the ledger.
 */
import { fleetRequested, type FleetArgs } from '../commands/fleetOptions.js'
import { executeProject, type ExecuteProjectEvent, type ExecuteProjectResult, type StoppedAtContract } from '../../api/execute.js'
import type pg from 'pg'
import { ExitCode, StrataError } from '../../errors.js'
import { foldModifications } from '../../modifications/fold.js'
import { targetIsLocal } from '../../db/connection.js'
import { lockWaitMessage } from '../../db/lock.js'
import { MigrationExecutionError } from '../../db/failure.js'
import { describeBlocker } from '../../db/blockers.js'
import { DEADLOCK } from '../../db/lockRetry.js'
import { BrokenMigrationsError, type ExecuteEvent, type ExecuteResult, type LockRetry } from '../../db/executor.js'
import type { ExecutableMigration } from '../../db/status.js'
import type { Schema } from '../../schema/model.js'
import { findingJson as lintFindingJson } from '../../lint/report.js'
import { resolveProject } from '../context.js'
import { largeTableThreshold } from '../largeTable.js'
import { printLintFindings } from '../lintOutput.js'
import { createOutput, withJsonDetails, type Output } from '../output.js'
import { canPrompt } from '../terminal.js'
import { describeInterruptOutcome, interruptRequested, isPromptCancel, onInterrupt, throwIfInterrupted } from '../interrupt.js'
import { progressLine } from '../progressLine.js'
import { canShowStatusLine, StatusLine } from '../statusLine.js'
import type { StatementProgress } from '../../db/progressWatch.js'
import { entryJson, ledgerSchemaOf, withDatabase, type DatabaseCommandArgs } from './status.js'

export interface ExecuteArgs extends DatabaseCommandArgs {
	readonly until?: string
	/** run contract-phase migrations too (the contract gate, docs/execute.md) */
	readonly contract?: boolean
	readonly force?: boolean
	readonly allowRemote?: boolean
	readonly yes?: boolean
	readonly dryRun?: boolean
	readonly transaction?: 'all' | 'each'
	readonly lockWait?: string
	readonly lockTimeout?: string
	readonly lockRetries?: string
	readonly lockRetryDelay?: string
	readonly dbSchema?: string
	readonly statementTimeout?: string
	readonly destructive?: boolean
}

/** `60`, `60s`, `500ms`, `2m` → milliseconds; a bare number is seconds */
export const parseDuration = (value: string | number | undefined, fallbackMs: number, option: string): number => {
	if (value === undefined || value === '') return fallbackMs
	const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min)?\s*$/.exec(String(value))
	if (!match) throw new StrataError('INVALID_OPTION', `--${option} ${value}: expected a duration such as 30s, 500ms or 2m (a bare number is seconds).`)
	const amount = Number(match[1])
	const unit = match[2] ?? 's'
	return Math.round(amount * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000))
}

/** a whole number of times, at least 0 */
export const parseCount = (value: string | number | undefined, fallback: number, option: string): number => {
	if (value === undefined || value === '') return fallback
	if (!/^\s*\d+\s*$/.test(String(value))) throw new StrataError('INVALID_OPTION', `--${option} ${value}: expected a whole number (0 or more).`)
	return Number(value)
}

const ms = (value: number) => (value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`)

/** a one-line progress bar over the migrations on the status line; only on a terminal */
const progressBar = (line: StatusLine) => {
	let drawn: { done: number; total: number; current: string } | undefined
	const draw = (done: number, total: number, current: string) => {
		const width = 24
		const filled = Math.round((done / total) * width)
		line.draw(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${current}`.slice(0, line.width))
		drawn = { done, total, current }
	}
	return {
		draw,
		/** after the line showed something else (a slow statement), the bar as it was */
		redraw() {
			if (drawn) draw(drawn.done, drawn.total, drawn.current)
		},
		clear() {
			line.clear()
			drawn = undefined
		},
	}
}

const describePending = (schema: Schema, pending: readonly ExecutableMigration[], output: Output) => {
	const { color } = output
	let current = schema
	for (const migration of pending) {
		output.info(color.bold(migration.name))
		const { steps, schema: next } = foldModifications(current, migration.modifications, { formatVersion: migration.formatVersion })
		if (steps.length === 0) output.info('  (no modifications)')
		for (const step of steps) {
			const text = `  ${step.description.message} [${step.modification.modification}]`
			output.info(step.description.destructive ? color.red(`${text} — destructive${step.description.destructiveReason ? `: ${step.description.destructiveReason}` : ''}`) : text)
			for (const warning of step.description.warnings) output.info(color.yellow(`    ! ${warning.message} [${warning.code}]`))
		}
		current = next
	}
}

/** the question before a run in a terminal: execute, describe them first, or abort */
const confirmExecution = async (pending: readonly ExecutableMigration[], schemaBefore: Schema, output: Output): Promise<boolean> => {
	output.info(`Will execute ${pending.length} migration${pending.length === 1 ? '' : 's'}:`)
	for (const migration of pending) output.info(`  ${migration.name}`)
	// loaded only when asking: deploys (--yes) do not pay for it
	const { select } = await import('@inquirer/prompts')
	for (;;) {
		const answer = await select({
			message: 'Execute them?',
			choices: [
				{ name: 'Execute migrations', value: 'execute' },
				{ name: 'Describe migrations', value: 'describe' },
				{ name: 'Abort', value: 'abort' },
			],
		}).catch((error: unknown) => {
			// Ctrl-C at the question is an interrupt like any other (exit 130), not an answer
			if (isPromptCancel(error)) throw error
			return 'abort' as const
		})
		if (answer !== 'describe') return answer === 'execute'
		describePending(schemaBefore, pending, output)
	}
}

/**
 * `Waiting for a lock on "post" timed out (attempt 1 of 4, 2024-…-b #0 createColumn), retrying in 1.7 s: blocked by pid 4242 (psql, …): UPDATE post SET …`
 * and what the rollback undid, which the next attempt runs again
 */
const lockRetryMessage = (retry: LockRetry): string => {
	const on = retry.relation ? ` on "${retry.relation}"` : ''
	const what = retry.code === DEADLOCK ? `A deadlock${on} aborted the transaction` : `Waiting for a lock${on} timed out`
	const blockers = retry.blockers.length > 0 ? retry.blockers.map(describeBlocker).join('; ') : 'a session that was gone when strata looked'
	const undone = retry.onlineStep
		? `  Rolled back, to run again: step ${retry.onlineStep.step + 1} of ${retry.onlineStep.total} of ${retry.migration} (online; the steps before it stay committed).`
		: `  Rolled back, to run again: ${retry.rolledBack.join(', ')}.`
	return `${what} (attempt ${retry.attempt} of ${retry.attempts}, ${retry.migration} #${retry.modificationIndex} ${retry.modificationId}), retrying in ${ms(retry.delayMs)}: blocked by ${blockers}\n${undone}`
}

/**
 * What an interrupt leaves behind, kept current from the executor's events: the migrations
 * committed so far stay applied; the open transaction is aborted when the session ends, and
 * PostgreSQL rolls it back.
 */
const interruptOutcome = (pending: readonly ExecutableMigration[], transaction: 'all' | 'each') => {
	const committed: string[] = []
	let open: string[] = []
	/** online migrations: the steps committed in this run so far (docs/online.md) */
	const partial = new Map<string, { done: number; total: number; online: boolean }>()
	const names = (list: readonly string[]) => list.join(', ')
	describeInterruptOutcome(() => {
		const rest = pending.map(migration => migration.name).filter(name => !committed.includes(name) && !open.includes(name))
		const stepped = open.filter(name => partial.has(name))
		const lines = [committed.length > 0
			? `applied (committed${transaction === 'each' ? ' one by one, --transaction each' : ''}): ${names(committed)}.`
			: stepped.length > 0 ? 'no migration was applied completely.' : 'nothing was applied.']
		for (const name of stepped) {
			const { done, total, online } = partial.get(name)!
			lines.push(online
				? `Partly applied (online): ${name}, ${done} of ${total} steps committed; the step that was running was rolled back (an index it was building is left INVALID and dropped by the next run).`
				: `Partly applied (in steps): ${name}, ${done} of ${total} steps committed; the step that was running did not finish (a statement run outside a transaction may have done part of its work; the next run runs it again).`)
		}
		const rolledBack = open.filter(name => !stepped.includes(name))
		if (rolledBack.length > 0) {
			lines.push(`Rolled back: ${names(rolledBack)} (${transaction === 'all' ? 'the run\'s single transaction' : 'its transaction'} was aborted when the session ended; PostgreSQL rolled it back).`)
		}
		if (rest.length > 0) lines.push(`Not started: ${names(rest)}.`)
		if (committed.length + open.length > 0) lines.push('The migration lock was released. Run migrations:execute again to apply the rest.')
		return lines.join('\n')
	})
	return (event: ExecuteEvent) => {
		if (event.type === 'onlineStep') {
			// a step that starts counts the ones before it; one that is done counts itself
			const done = event.state === 'done' ? event.step + 1 : event.step
			partial.set(event.migration.name, { done: Math.max(done, partial.get(event.migration.name)?.done ?? 0), total: event.total, online: event.migration.strata?.online === true })
		}
		if (event.type === 'migrationStart') open.push(event.migration.name)
		// rolled back already; the next attempt starts them again
		if (event.type === 'lockRetry') open = open.filter(name => !event.rolledBack.includes(name))
		if (event.type === 'committed') {
			committed.push(...event.migrations.filter(name => !committed.includes(name)))
			open = open.filter(name => !committed.includes(name))
		}
	}
}

/** one line per online step: what runs, and what a re-run found left by an earlier one */
const onlineStepMessage = (event: Extract<ExecuteEvent, { type: 'onlineStep' }>): string => {
	const where = `${event.migration.name} step ${event.step + 1}/${event.total}`
	const first = event.sql.split('\n')[0]!
	const statement = first.length > 100 ? `${first.slice(0, 99)}…` : first
	switch (event.state) {
		case 'start': return `${where}${event.transactional ? '' : ' (outside a transaction)'}: ${statement}`
		case 'built': return `${where}: the index was built by an earlier run that stopped before recording it; recorded now`
		case 'cleaned': return `${where}: dropped the INVALID index an interrupted build left, building it again`
		case 'done': return `${where} done`
	}
}

/** loaded only for a dry run: a deploy does not pay for the lint rules */
const lintPending = async (client: pg.Client, pending: readonly ExecutableMigration[], schemaBefore: Schema, schemaName: string, largeTableRows: number) => {
	const [{ prepareLint, lintPrepared, lockedTables }, { readDatabaseMetadata }, { readTableSizes }] = await Promise.all([
		import('../../lint/lintMigrations.js'), import('../../db/introspect.js'), import('../../db/tableStats.js'),
	])
	const prepared = prepareLint(pending, schemaBefore, { databaseMetadata: await readDatabaseMetadata(client, schemaName) })
	return lintPrepared(prepared, { sizes: await readTableSizes(client, lockedTables(prepared), schemaName), largeTableRows })
}

/** the --json form of a stop at the contract gate */
export const stoppedAtContractJson = (stopped: StoppedAtContract | undefined) => (stopped ? {
	stoppedAtContract: {
		migration: stopped.migration, pair: stopped.pair, ...(stopped.expand ? { expand: stopped.expand } : {}),
		...(stopped.expandExecutedAt ? { expandExecutedAt: stopped.expandExecutedAt.toISOString() } : {}), waiting: stopped.waiting,
	},
} : {})

const resultJson = (result: ExecuteResult, database: string) => ({
	ok: true,
	dryRun: result.dryRun,
	database,
	durationMs: Math.round(result.durationMs),
	lockRetries: result.lockRetries,
	migrations: result.executed.map(migration => ({
		version: migration.version,
		name: migration.name,
		durationMs: Math.round(migration.durationMs),
		statements: migration.statements,
		...(result.dryRun ? { sql: migration.sql } : {}),
	})),
})

export const run = async (argv: ExecuteArgs): Promise<number | void> => {
	// --target/--targets: the same command on several databases of the config (docs/fleet.md)
	if (fleetRequested(argv as ExecuteArgs & FleetArgs)) return (await import('./fleet.js')).run('execute', argv as ExecuteArgs & FleetArgs)
	const output = createOutput(argv)
	const { color } = output
	describeInterruptOutcome(() => 'nothing was applied.')
	const lockWaitMs = parseDuration(argv.lockWait, 60_000, 'lock-wait')
	const lockTimeoutMs = parseDuration(argv.lockTimeout, 10_000, 'lock-timeout')
	const statementTimeoutMs = parseDuration(argv.statementTimeout, 0, 'statement-timeout')
	const lockRetries = parseCount(argv.lockRetries, 3, 'lock-retries')
	const lockRetryDelayMs = parseDuration(argv.lockRetryDelay, 1000, 'lock-retry-delay')
	const context = await resolveProject(argv)
	const ledgerSchema = ledgerSchemaOf(argv, context)
	const interactive = canPrompt(output)
	if (!argv.yes && !argv.dryRun && !interactive) {
		// checked before connecting, so a deploy script learns it at once
		throw new StrataError('CONFIRMATION_REQUIRED', 'migrations:execute asks for confirmation, but there is no terminal to ask on. Pass --yes to execute without asking.')
	}

	if (argv.force && !argv.allowRemote) {
		// refused before connecting: a development-only flag must not reach a production server
		const target = targetIsLocal(context, argv)
		if (!target.isLocal) {
			throw new StrataError('REMOTE_REFUSED', `--force is for development databases; ${target.description} is not local (embedded, unix socket, localhost). Pass --allow-remote if you really mean it.`)
		}
	}

	return withDatabase(argv, context, output, 'strata migrations:execute', async database => {
		const schemaName = argv.dbSchema ?? 'public'
		if (!output.jsonMode) output.note(`Database: ${database.description}, ${schemaName === 'public' ? '' : `tables in ${schemaName}, `}ledger ${ledgerSchema}.migrations`)
		let pending: readonly ExecutableMigration[] = []
		let schemaBefore: Schema | undefined
		let track: (event: ExecuteEvent) => void = () => undefined
		const line = new StatusLine()
		const bar = progressBar(line)
		let showBar = false
		// a statement that runs long (a fill, an index build) says so; the interrupt message must not land after it
		const showProgress = canShowStatusLine(output) && !argv.dryRun
		const unregisterClear = onInterrupt(async () => line.clear())
		const onProgress = (progress: StatementProgress | null) => {
			if (interruptRequested()) return line.clear()
			if (progress) return line.draw(color.dim(progressLine(progress, line.width)))
			line.clear()
			if (showBar) bar.redraw()
		}
		/** for a --json failure document; a success has them in its result */
		const retries: LockRetry[] = []
		const onEvent = (event: ExecuteProjectEvent) => {
			if (event.type === 'notice') {
				line.clear()
				if (event.level === 'warning') output.warn(event.message)
				else output.note(event.message)
				return
			}
			track(event)
			if (event.type === 'lockRetry') {
				const { type: _type, ...retry } = event
				retries.push(retry)
			}
			if (output.jsonMode || interruptRequested()) return
			// whatever this event prints must not land after the status line
			line.clear()
			switch (event.type) {
				case 'lockWait':
					output.note(lockWaitMessage(event.holders, event.waitedMs))
					break
				case 'migrationStart':
					if (argv.dryRun) output.info(color.bold(`-- ${event.migration.name}`))
					else if (showBar) bar.draw(event.index, event.total, event.migration.name)
					break
				case 'statement':
					output.info(`-- #${event.modificationIndex} ${event.modificationId}\n${event.sql};`)
					break
				case 'migrationDone':
					bar.clear()
					output.info(`${color.green('✓')} ${event.migration.name} ${color.dim(`(${ms(event.durationMs)}, ${event.statements} statement${event.statements === 1 ? '' : 's'})`)}`)
					break
				case 'committed':
					if (argv.transaction !== 'each') output.note(`Committed ${event.migrations.length} migration${event.migrations.length === 1 ? '' : 's'}.`)
					break
				case 'lockRetry':
					bar.clear()
					output.note(color.yellow(lockRetryMessage(event)))
					break
				case 'onlineStep':
					// a step's end is the next one's start, or the migration's ✓
					if (event.state !== 'done') output.note(color.dim(onlineStepMessage(event)))
					break
			}
		}
		let result: ExecuteProjectResult
		try {
			result = await executeProject({
				project: context, database: database.client, ledgerSchema, schemaName, transaction: argv.transaction, lockWaitMs, lockTimeoutMs, lockRetries, lockRetryDelayMs, statementTimeoutMs,
				force: argv.force, allowRemote: true, until: argv.until, contract: argv.contract === true, dryRun: argv.dryRun, destructive: argv.destructive !== false,
				...(showProgress ? { onProgress } : {}),
				onPlan: (planned, before) => {
					pending = planned
					schemaBefore = before
					showBar = output.isTTY && !output.jsonMode && planned.length >= 5
					if (!argv.dryRun) track = interruptOutcome(planned, argv.transaction ?? 'all')
				},
				...(argv.yes ? {} : { confirm: (planned, before) => confirmExecution(planned, before, output) }),
				beforeExecute: throwIfInterrupted,
				onEvent,
			})
		} catch (error) {
			if (error instanceof BrokenMigrationsError) {
				// --json: the error document (main.ts) carries them as error.problems
				throw withJsonDetails(error, { database: database.description, problems: error.problems.map(entryJson) })
			}
			// the --json error document (main.ts) carries the failure and the retries; after an interrupt it is the INTERRUPTED one
			if (error instanceof StrataError && !interruptRequested()) {
				withJsonDetails(error, { database: database.description, ...(error instanceof MigrationExecutionError ? { failure: error.details } : {}), lockRetries: retries })
			}
			throw error
		} finally {
			bar.clear()
			unregisterClear()
		}
		if (result.aborted) {
			output.info('Aborted; nothing was executed.')
			return ExitCode.ok
		}
		if (pending.length === 0) {
			if (output.jsonMode) output.json({ ok: true, dryRun: Boolean(argv.dryRun), database: database.description, durationMs: 0, migrations: [], ...stoppedAtContractJson(result.stoppedAtContract) })
			else output.info(result.stoppedAtContract ? 'No migrations to execute before the contract gate.' : 'No migrations to execute.')
			return ExitCode.ok
		}
		if (result.snapshot && result.executed.length === 0) {
			if (output.jsonMode) output.json({ ok: true, dryRun: false, database: database.description, snapshot: result.snapshot.version, migrations: result.snapshot.recorded.map(name => ({ name, snapshot: true })), ...stoppedAtContractJson(result.stoppedAtContract) })
			return ExitCode.ok
		}
		// a dry run is a review: the pending migrations' risky steps, with this database's table sizes
		const lint = result.dryRun ? await lintPending(database.client, pending, schemaBefore!, schemaName, largeTableThreshold({}, context)) : undefined
		if (output.jsonMode) {
			output.json({ ...resultJson(result, database.description), ...(lint ? { lint: lint.findings.map(lintFindingJson) } : {}), ...stoppedAtContractJson(result.stoppedAtContract) })
		} else if (result.dryRun) {
			output.note(`Dry run: ${result.executed.length} migration${result.executed.length === 1 ? '' : 's'} would run; nothing was changed.`)
			printLintFindings(output, lint!)
		} else if (result.executed.length === 0) {
			output.info('No migrations to execute (another run applied them meanwhile).')
		} else {
			output.info(`Executed ${result.executed.length} migration${result.executed.length === 1 ? '' : 's'} in ${ms(result.durationMs)}.`)
		}
		return ExitCode.ok
	})
}
