/**
 * Interrupts behave one way everywhere: Ctrl-C at a prompt (inquirer rejects with ExitPromptError,
 * the terminal being in raw mode), SIGINT or SIGTERM at any other moment. Commands register what
 * they hold (the database session, the embedded cluster) and what an interrupt would leave
 * behind; on an interrupt the held resources are released, the command is given a moment to
 * unwind (its finally blocks, the dev journal), and main.ts reports one InterruptedError
 * (exit 130). A second signal while that happens exits at once.
 */
import { ExitCode, StrataError } from '../errors.js'

export class InterruptedError extends StrataError {
	constructor(readonly signal: string, outcome: string) {
		super('INTERRUPTED', `Interrupted (${signal}): ${outcome}`, ExitCode.interrupted)
	}
}

type Cleanup = () => Promise<void>

/** how long the command may take to unwind once its resources are released */
const UNWIND_MS = 10_000

const state: {
	signal?: string
	cleaned?: Promise<void>
	cleanups: Set<Cleanup>
	outcome: () => string
} = { cleanups: new Set(), outcome: () => 'nothing was changed.' }

/** releases a held resource on an interrupt; returns the unregistration (call it once released normally) */
export const onInterrupt = (cleanup: Cleanup): (() => void) => {
	state.cleanups.add(cleanup)
	return () => { state.cleanups.delete(cleanup) }
}

/** what an interrupt right now leaves behind, e.g. "nothing was written." — the latest call wins */
export const describeInterruptOutcome = (outcome: () => string): void => {
	state.outcome = outcome
}

export const interruptRequested = (): boolean => state.signal !== undefined

/** stops a command before a step that must not start after an interrupt (writing a file, executing) */
export const throwIfInterrupted = (): void => {
	if (state.signal !== undefined) throw new InterruptedError(state.signal, state.outcome())
}

/** Ctrl-C at an @inquirer prompt: the terminal is in raw mode, so no SIGINT — the prompt rejects with this */
export const isPromptCancel = (error: unknown): boolean => error instanceof Error && error.name === 'ExitPromptError'

const release = (): Promise<void> => {
	state.cleaned ??= Promise.allSettled([...state.cleanups].map(cleanup => cleanup())).then(() => undefined)
	return state.cleaned
}

/** the command's own failure that says more than the generic outcome (a COMMIT whose outcome had to be checked) */
const detail = (error: unknown): string =>
	error instanceof StrataError && error.code.startsWith('COMMIT_') ? `\n${error.message}` : ''

type Settled = { readonly code: number } | { readonly error: unknown }

/**
 * Runs the command. Without an interrupt its result (or error) passes through unchanged;
 * after one it becomes an InterruptedError once the resources are released. `exitNow` is
 * main's immediate exit (it prints the error it is given), for a second signal only.
 */
export const runInterruptible = async (command: () => Promise<number>, exitNow: (error: InterruptedError) => void): Promise<number> => {
	let signalled: () => void = () => undefined
	const signal = new Promise<undefined>(resolve => { signalled = () => resolve(undefined) })
	const onSignal = (name: NodeJS.Signals) => {
		if (state.signal !== undefined) {
			exitNow(new InterruptedError(name, 'interrupted again while cleaning up; exiting at once.'))
			return
		}
		state.signal = name === 'SIGINT' ? 'Ctrl-C / SIGINT' : name
		void release()
		signalled()
	}
	process.on('SIGINT', onSignal)
	process.on('SIGTERM', onSignal)
	const run: Promise<Settled> = command().then(code => ({ code }), (error: unknown) => ({ error }))
	let settled = await Promise.race([run, signal])
	if (settled === undefined) {
		await release()
		let timer: NodeJS.Timeout | undefined
		settled = await Promise.race([run, new Promise<undefined>(resolve => { timer = setTimeout(resolve, UNWIND_MS, undefined) })])
		clearTimeout(timer)
	} else if (state.signal === undefined && 'error' in settled && isPromptCancel(settled.error)) {
		state.signal = 'Ctrl-C'
		await release()
	}
	if (state.signal !== undefined) {
		await release()
		throw new InterruptedError(state.signal, `${state.outcome()}${settled && 'error' in settled ? detail(settled.error) : ''}`)
	}
	if (settled && 'error' in settled) throw settled.error
	return settled?.code ?? ExitCode.ok
}
