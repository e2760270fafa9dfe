/**
 * Running one piece of work on many targets (docs/fleet.md): at most `concurrency` at a time, in
 * the targets' order; a failure stops nothing unless `failFast`; `canary` runs the first N
 * targets before the rest and stops when any of them failed. The work itself (a migration run, a
 * status, a drift check) is a function of one target, so this module knows no database.
 */
import { ExitCode, StrataError } from '../errors.js'

/** what happened on one target */
export type FleetOutcome =
	/** done, nothing wrong */
	| 'ok'
	/** status: migrations are pending (an exit 3 with --check) */
	| 'pending'
	/** drift: the database differs from its migrations (an exit 3 with --check) */
	| 'drift'
	/** status: a broken history or ledger; execute would refuse */
	| 'broken'
	/** an error: the target's run stopped (its transaction rolled back) */
	| 'failed'
	/** not run: --fail-fast or --canary stopped the fleet first */
	| 'skipped'

export interface FleetError {
	readonly code: string
	readonly message: string
}

/** what the work function returns for a target it finished */
export interface TargetWork<D> {
	readonly outcome: Exclude<FleetOutcome, 'skipped'>
	readonly exitCode: number
	readonly detail: D
	readonly error?: FleetError
}

export interface FleetTargetResult<D> {
	readonly name: string
	readonly outcome: FleetOutcome
	readonly exitCode: number
	readonly durationMs: number
	readonly detail?: D
	readonly error?: FleetError
}

export interface FleetRunOptions<D> {
	/** once aborted (Ctrl-C), start no more targets; the work of those running is ended by its owner */
	readonly signal?: AbortSignal
	/** at most this many targets at once (default 4) */
	readonly concurrency?: number
	/** after the first failure, start no more targets (those running finish) */
	readonly failFast?: boolean
	/** run the first N targets first; when any of them failed, run no more */
	readonly canary?: number
	readonly onStart?: (name: string, index: number) => void
	readonly onDone?: (result: FleetTargetResult<D>, index: number) => void
	/** the error a work function threw, as a code, a message and an exit code (default: a StrataError's own, else INTERNAL, 70) */
	readonly describeError?: (error: unknown) => FleetError & { readonly exitCode: number }
}

export interface FleetRun<D> {
	/** one per target, in the targets' order */
	readonly results: readonly FleetTargetResult<D>[]
	/** the worst of the targets' exit codes (see worstExitCode) */
	readonly exitCode: number
	/** why targets were skipped, if any were */
	readonly stopped?: 'failFast' | 'canary' | 'interrupted'
	readonly durationMs: number
}

export const DEFAULT_CONCURRENCY = 4

/** worst last: a finding of --check, a user error, a failed migration, a strata bug, an interrupt */
const SEVERITY: readonly number[] = [ExitCode.ok, ExitCode.checkFailed, ExitCode.userError, ExitCode.migrationFailed, ExitCode.internal, ExitCode.interrupted]

/** the worst of some exit codes: 0 < 3 (check) < 1 (user error) < 2 (migration failed) < 70 (internal) < 130 (interrupted) */
export const worstExitCode = (codes: Iterable<number>): number => {
	let worst: number = ExitCode.ok
	for (const code of codes) {
		const rank = (value: number) => (SEVERITY.includes(value) ? SEVERITY.indexOf(value) : SEVERITY.length)
		if (rank(code) > rank(worst)) worst = code
	}
	return worst
}

/** a failure stops --fail-fast and --canary; a finding of --check (pending, drift) does not */
export const isFailure = (result: { readonly outcome: FleetOutcome }): boolean => result.outcome === 'failed' || result.outcome === 'broken'

const defaultDescribeError = (error: unknown): FleetError & { exitCode: number } =>
	error instanceof StrataError
		? { code: error.code, message: error.message, exitCode: error.exitCode }
		: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), exitCode: ExitCode.internal }

/**
 * Runs `work` on every target, at most `concurrency` at once. A work function that throws makes
 * its target `failed` with the error's code and message; it never stops the others (unless
 * `failFast`). The results come in the targets' order, whatever order they finished in.
 */
export const runFleet = async <T extends { readonly name: string }, D>(
	targets: readonly T[], work: (target: T, index: number) => Promise<TargetWork<D>>, options: FleetRunOptions<D> = {},
): Promise<FleetRun<D>> => {
	const started = performance.now()
	const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY))
	const describeError = options.describeError ?? defaultDescribeError
	const results: (FleetTargetResult<D> | undefined)[] = targets.map(() => undefined)
	let stopped: FleetRun<D>['stopped']

	const runOne = async (index: number) => {
		const target = targets[index]!
		options.onStart?.(target.name, index)
		const begin = performance.now()
		let result: FleetTargetResult<D>
		try {
			const done = await work(target, index)
			result = { name: target.name, outcome: done.outcome, exitCode: done.exitCode, durationMs: performance.now() - begin, detail: done.detail, ...(done.error ? { error: done.error } : {}) }
		} catch (error) {
			const { exitCode, ...described } = describeError(error)
			result = { name: target.name, outcome: 'failed', exitCode, durationMs: performance.now() - begin, error: described }
		}
		results[index] = result
		if (options.failFast && isFailure(result)) stopped ??= 'failFast'
		options.onDone?.(result, index)
	}

	/** runs the targets from..to with `concurrency` workers pulling the next index */
	const runRange = async (from: number, to: number) => {
		let next = from
		const worker = async () => {
			while (next < to && stopped === undefined && !options.signal?.aborted) await runOne(next++)
		}
		await Promise.all(Array.from({ length: Math.min(concurrency, to - from) }, worker))
	}

	const canary = Math.min(targets.length, Math.max(0, Math.floor(options.canary ?? 0)))
	if (canary > 0) {
		await runRange(0, canary)
		if (stopped === undefined && results.slice(0, canary).some(result => result && isFailure(result))) stopped = 'canary'
	}
	if (stopped === undefined) await runRange(canary, targets.length)
	if (options.signal?.aborted) stopped = 'interrupted'

	const final = results.map((result, index): FleetTargetResult<D> => result ?? { name: targets[index]!.name, outcome: 'skipped', exitCode: ExitCode.ok, durationMs: 0 })
	return { results: final, exitCode: worstExitCode(final.map(result => result.exitCode)), ...(stopped ? { stopped } : {}), durationMs: performance.now() - started }
}
