/**
 * migrations:execute, migrations:status and db:drift on several targets (`--target`,
 * `--targets`; docs/fleet.md): presentation over executeFleet, fleetStatus and fleetDrift
 * (src/api/fleet.ts). A live line per target on stderr as it finishes, then a summary table on
 * stdout, or with --json one document with one object per target. The exit code is the worst
 * of the targets' (0 < 3 < 1 < 2 < 70).
 */
import { executeFleet, fleetDrift, fleetStatus, loadFleetTargets, type DriftTargetDetail, type ExecuteTargetDetail, type FleetRun, type FleetTargetResult, type StatusTargetDetail } from '../../api/fleet.js'
import { ExitCode, StrataError } from '../../errors.js'
import { DEFAULT_CONCURRENCY } from '../../fleet/runFleet.js'
import { configLabel } from '../../fleet/source.js'
import type { FleetArgs } from '../commands/fleetOptions.js'
import { resolveProject } from '../context.js'
import { describeInterruptOutcome, interruptRequested, onInterrupt } from '../interrupt.js'
import { createOutput, UsageError, type Output } from '../output.js'
import type { DriftArgs } from './drift.js'
import { parseCount, parseDuration, type ExecuteArgs } from './execute.js'
import type { StatusArgs } from './status.js'
import { driftJson, ignorePatterns } from './drift.js'

export type FleetCommand = 'execute' | 'status' | 'drift'
type AnyArgs = FleetArgs & Partial<ExecuteArgs & StatusArgs & DriftArgs>

const COMMAND_NAMES: Record<FleetCommand, string> = { execute: 'migrations:execute', status: 'migrations:status', drift: 'db:drift' }

const ms = (value: number) => (value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`)

/** options that name one database or one ledger make no sense for a fleet: each target has its own */
const refuseSingleDatabaseOptions = (argv: AnyArgs, command: FleetCommand): void => {
	const given = (argv.target?.length ?? 0) > 0 || (argv.targets !== undefined && argv.targets !== '')
	if (!given) throw new UsageError(`--concurrency, --fail-fast and --canary apply to a fleet: name the targets with --target NAME or --targets all|GLOB (docs/fleet.md).`)
	const conflicts: string[] = []
	if (argv.databaseUrl !== undefined) conflicts.push('--database-url')
	if (argv.embedded) conflicts.push('--embedded')
	if (argv.ledgerSchema !== undefined) conflicts.push('--ledger-schema')
	if (argv.dbSchema !== undefined && argv.dbSchema !== 'public') conflicts.push('--db-schema')
	if (argv.force) conflicts.push('--force')
	if (conflicts.length > 0) {
		throw new UsageError(`${conflicts.join(', ')} cannot be combined with --target/--targets: each target names its own database, schema and ledger in the config (docs/fleet.md).`)
	}
	if (command === 'execute' && !argv.yes && !argv.dryRun) {
		throw new StrataError('CONFIRMATION_REQUIRED', 'migrations:execute on targets asks no question per target: pass --yes to execute (or --dry-run to see the SQL).')
	}
}

const positiveCount = (value: string | undefined, fallback: number, option: string): number => {
	const count = parseCount(value, fallback, option)
	if (count < 1) throw new StrataError('INVALID_OPTION', `--${option} ${value}: expected a whole number, at least 1.`)
	return count
}

const firstLine = (text: string) => text.split('\n')[0]!

/** the cells of a target's row in the summary table, after its name */
const cells = (command: FleetCommand, result: FleetTargetResult<unknown>): string[] => {
	const dash = (value: number | undefined) => (value === undefined ? '-' : String(value))
	if (command === 'execute') {
		const detail = result.detail as ExecuteTargetDetail | undefined
		return [dash(detail?.before), result.outcome === 'skipped' ? '-' : String(detail?.applied.length ?? 0), dash(detail?.after)]
	}
	if (command === 'status') {
		const detail = result.detail as StatusTargetDetail | undefined
		return [dash(detail?.summary.executed), dash(detail?.summary.pending), dash(detail?.summary.broken)]
	}
	const detail = result.detail as DriftTargetDetail | undefined
	return [dash(detail?.items.length)]
}

const HEADERS: Record<FleetCommand, string[]> = {
	execute: ['before', 'applied', 'after'],
	status: ['executed', 'pending', 'broken'],
	drift: ['differences'],
}

const paint = (output: Output, outcome: string) =>
	outcome === 'ok' ? output.color.green(outcome) : outcome === 'skipped' ? output.color.dim(outcome) : outcome === 'pending' || outcome === 'drift' ? output.color.yellow(outcome) : output.color.red(outcome)

/** `✓ eu  0 → 3 (3 applied)  120 ms` — one line on stderr as a target finishes */
const liveLine = (command: FleetCommand, result: FleetTargetResult<unknown>, done: number, total: number, width: number, dryRun: boolean): string => {
	const mark = result.outcome === 'ok' ? '✓' : result.outcome === 'pending' || result.outcome === 'drift' ? '!' : '✗'
	let what: string
	if (result.error) what = `${result.outcome} ${result.error.code}: ${firstLine(result.error.message)}`
	else if (command === 'execute') {
		const detail = result.detail as ExecuteTargetDetail
		what = (dryRun ? `${detail.applied.length} would run${detail.schemaMissing ? ` (schema ${detail.schemaName} does not exist yet: it would be created)` : ''}` : `${detail.before ?? '?'} → ${detail.after ?? '?'} (${detail.applied.length} applied${detail.createdSchema ? `, schema ${detail.schemaName} created` : ''})`)
			+ (detail.stoppedAtContract ? `; stopped before the contract ${detail.stoppedAtContract} (--contract runs it)` : '')
	} else if (command === 'status') {
		const { summary } = result.detail as StatusTargetDetail
		what = `${result.outcome}: ${summary.executed} executed, ${summary.pending} pending, ${summary.broken} broken`
	} else {
		const detail = result.detail as DriftTargetDetail
		what = detail.inSync ? 'in sync' : `drift: ${detail.items.length} difference${detail.items.length === 1 ? '' : 's'}`
	}
	return `[${String(done).padStart(String(total).length)}/${total}] ${mark} ${result.name.padEnd(width)}  ${what}  ${ms(result.durationMs)}`
}

const printTable = (command: FleetCommand, run: FleetRun<unknown>, output: Output): void => {
	const header = ['target', ...HEADERS[command], 'duration', 'outcome']
	const rows = run.results.map(result => [result.name, ...cells(command, result), result.outcome === 'skipped' ? '-' : ms(result.durationMs), result.outcome])
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)))
	const right = (column: number) => column > 0 && column < header.length - 1
	const format = (row: readonly string[]) => row.map((cell, column) => (right(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd()
	output.info(output.color.bold(format(header)))
	for (const row of rows) output.info(format(row).replace(/\S+$/, outcome => paint(output, outcome)))
	const failed = run.results.filter(result => result.error)
	for (const result of failed) output.info(`\n${output.color.red(`${result.name}: ${result.error!.code}`)}\n${result.error!.message}`)
	const counts = new Map<string, number>()
	for (const result of run.results) counts.set(result.outcome, (counts.get(result.outcome) ?? 0) + 1)
	const why = run.stopped === 'canary' ? ' (a canary target failed: the others were not started)' : run.stopped === 'failFast' ? ' (--fail-fast: no target was started after the first failure)' : ''
	output.info(`\n${run.results.length} target${run.results.length === 1 ? '' : 's'}: ${[...counts].map(([outcome, count]) => `${count} ${outcome}`).join(', ')}${why}; ${ms(run.durationMs)}.`)
}

/** one object per target in the --json document */
const targetJson = (command: FleetCommand, result: FleetTargetResult<unknown>): Record<string, unknown> => {
	const base = { name: result.name, outcome: result.outcome, exitCode: result.exitCode, durationMs: Math.round(result.durationMs), ...(result.error ? { error: result.error } : {}) }
	if (result.detail === undefined) return base
	if (command === 'execute') {
		const { database, schemaName, ledgerSchema, before, applied, after, createdSchema, snapshot } = result.detail as ExecuteTargetDetail
		const { schemaMissing, stoppedAtContract } = result.detail as ExecuteTargetDetail
		return { ...base, database, schema: schemaName, ledgerSchema, before: before ?? null, applied, after: after ?? null, ...(createdSchema ? { createdSchema } : {}), ...(schemaMissing ? { schemaMissing } : {}), ...(snapshot ? { snapshot } : {}), ...(stoppedAtContract ? { stoppedAtContract } : {}) }
	}
	if (command === 'status') {
		const detail = result.detail as StatusTargetDetail
		return {
			...base, database: detail.database, schema: detail.schemaName, ledgerSchema: detail.ledgerSchema, summary: detail.summary,
			pending: detail.migrations.filter(entry => entry.state === 'pending' || entry.state === 'partial').map(entry => entry.name),
			broken: detail.migrations.filter(entry => entry.broken).map(entry => ({ name: entry.name, state: entry.state, message: entry.message })),
			...(detail.journal ? { journal: detail.journal } : {}),
		}
	}
	const detail = result.detail as DriftTargetDetail
	return { ...base, database: detail.database, schema: detail.schemaName, ledgerSchema: detail.ledgerSchema, ...driftJson(detail.items, detail.ignoredItems) }
}

export const run = async (command: FleetCommand, argv: AnyArgs): Promise<number> => {
	const output = createOutput(argv)
	refuseSingleDatabaseOptions(argv, command)
	const concurrency = positiveCount(argv.concurrency, DEFAULT_CONCURRENCY, 'concurrency')
	const canary = argv.canary === undefined ? undefined : positiveCount(argv.canary, 1, 'canary')
	const project = await resolveProject(argv)
	const targets = await loadFleetTargets(project, { ...(argv.target ? { target: argv.target.map(String) } : {}), ...(argv.targets !== undefined ? { targets: String(argv.targets) } : {}) })
	const width = Math.max(...targets.map(target => target.name.length))
	const finished: string[] = []
	describeInterruptOutcome(() => `finished targets: ${finished.length === 0 ? 'none' : finished.join(', ')}; a target that was running had its open transaction rolled back by PostgreSQL when the session ended. Run the command again to finish the rest.`)
	output.note(`${COMMAND_NAMES[command]} on ${targets.length} target${targets.length === 1 ? '' : 's'} of ${configLabel(project)}, ${Math.min(concurrency, targets.length)} at a time${canary ? `, the first ${canary} as a canary` : ''}${argv.failFast ? ', --fail-fast' : ''}.`)
	// Ctrl-C: no more targets start, and the sessions of those running end (their transactions roll back)
	const interrupt = new AbortController()
	const unregister = onInterrupt(async () => interrupt.abort())
	const common = {
		project, targets, concurrency, ...(canary !== undefined ? { canary } : {}), failFast: argv.failFast === true, signal: interrupt.signal,
		onTargetDone: (result: FleetTargetResult<unknown>) => {
			// a target cut off by the interrupt did not finish; the interrupt message says what was
			if (interruptRequested() && result.outcome === 'failed') return
			finished.push(result.name)
			output.note(liveLine(command, result, finished.length, targets.length, width, argv.dryRun === true))
		},
	}
	try {
		return await runCommand(command, argv, common, output)
	} finally {
		unregister()
	}
}

const runCommand = async (command: FleetCommand, argv: AnyArgs, common: Parameters<typeof fleetStatus>[0], output: Output): Promise<number> => {
	let fleet: FleetRun<unknown>
	if (command === 'execute') {
		fleet = await executeFleet({
			...common,
			lockWaitMs: parseDuration(argv.lockWait, 60_000, 'lock-wait'),
			lockTimeoutMs: parseDuration(argv.lockTimeout, 10_000, 'lock-timeout'),
			statementTimeoutMs: parseDuration(argv.statementTimeout, 0, 'statement-timeout'),
			lockRetries: parseCount(argv.lockRetries, 3, 'lock-retries'),
			lockRetryDelayMs: parseDuration(argv.lockRetryDelay, 1000, 'lock-retry-delay'),
			...(argv.until !== undefined ? { until: argv.until } : {}),
			...(argv.contract ? { contract: true } : {}),
			...(argv.transaction ? { transaction: argv.transaction } : {}),
			dryRun: argv.dryRun === true,
			destructive: argv.destructive !== false,
		})
	} else if (command === 'status') {
		fleet = await fleetStatus({ ...common, check: argv.check === true })
	} else {
		fleet = await fleetDrift({ ...common, check: argv.check === true, source: argv.from ?? 'ledger', ignore: ignorePatterns(argv) })
	}
	if (output.jsonMode) {
		output.json({
			ok: fleet.exitCode === ExitCode.ok, command: COMMAND_NAMES[command], exitCode: fleet.exitCode, durationMs: Math.round(fleet.durationMs),
			...(fleet.stopped ? { stopped: fleet.stopped } : {}), ...(command === 'execute' ? { dryRun: argv.dryRun === true } : {}),
			targets: fleet.results.map(result => targetJson(command, result)),
		})
	} else {
		printTable(command, fleet, output)
	}
	return fleet.exitCode
}
