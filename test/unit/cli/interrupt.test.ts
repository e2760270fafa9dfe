/**
 * The interrupt mechanism in-process: a command's result passes through untouched without an
 * interrupt; Ctrl-C at a prompt (ExitPromptError) and SIGINT/SIGTERM become one InterruptedError
 * (exit 130) after the registered resources were released; a second signal exits at once.
 * Each test loads a fresh copy of the module (its state is per process, as in the CLI).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

type InterruptModule = typeof import('../../../src/cli/interrupt.js')
const fresh = async (): Promise<InterruptModule> => {
	vi.resetModules()
	return import('../../../src/cli/interrupt.js')
}

const signals = ['SIGINT', 'SIGTERM'] as const
let before: Map<string, Set<(...args: unknown[]) => void>>
beforeEach(() => {
	before = new Map(signals.map(signal => [signal, new Set(process.listeners(signal) as (() => void)[])]))
})
afterEach(() => {
	for (const signal of signals) {
		for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener as () => void)) process.off(signal, listener)
	}
})

const promptCancel = () => Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' })
const never = () => new Promise<never>(() => undefined)
const noExit = (error: Error) => { throw new Error(`unexpected exit: ${error.message}`) }

describe('runInterruptible', () => {
	it('without an interrupt the code and the error pass through', async () => {
		const { runInterruptible } = await fresh()
		expect(await runInterruptible(async () => 3, noExit)).toBe(3)
		const failure = new Error('boom')
		await expect(runInterruptible(async () => { throw failure }, noExit)).rejects.toBe(failure)
	})

	it('Ctrl-C at a prompt: released resources, InterruptedError with the command\'s outcome, exit code 130', async () => {
		const interrupt = await fresh()
		const released: string[] = []
		interrupt.onInterrupt(async () => { released.push('session') })
		interrupt.describeInterruptOutcome(() => 'nothing was written.')
		const error = await interrupt.runInterruptible(async () => { throw promptCancel() }, noExit).catch((e: unknown) => e)
		expect(error).toBeInstanceOf(interrupt.InterruptedError)
		expect((error as InstanceType<InterruptModule['InterruptedError']>).exitCode).toBe(130)
		expect((error as Error).message).toBe('Interrupted (Ctrl-C): nothing was written.')
		expect(released).toEqual(['session'])
	})

	it('SIGTERM while running: the session is ended first, the command unwinds, and its failure becomes the interrupt', async () => {
		const interrupt = await fresh()
		let endSession: () => void = () => undefined
		const sessionEnded = new Promise<void>(resolve => { endSession = resolve })
		interrupt.onInterrupt(async () => endSession())
		interrupt.describeInterruptOutcome(() => 'applied: a. Rolled back: b.')
		// the running statement fails once its session is ended, as a pg query does
		const running = interrupt.runInterruptible(async () => {
			await sessionEnded
			expect(interrupt.interruptRequested()).toBe(true)
			expect(() => interrupt.throwIfInterrupted()).toThrow(interrupt.InterruptedError)
			throw new Error('Connection terminated')
		}, noExit)
		process.emit('SIGTERM', 'SIGTERM')
		await expect(running).rejects.toThrow('Interrupted (SIGTERM): applied: a. Rolled back: b.')
	})

	it('a second signal while cleaning up exits at once with 130', async () => {
		const interrupt = await fresh()
		interrupt.onInterrupt(never)
		const exits: number[] = []
		void interrupt.runInterruptible(never, error => { exits.push(error.exitCode) })
		process.emit('SIGINT', 'SIGINT')
		expect(exits).toEqual([])
		process.emit('SIGINT', 'SIGINT')
		expect(exits).toEqual([130])
	})

	it('a resource released normally is not released again on an interrupt', async () => {
		const interrupt = await fresh()
		const released: string[] = []
		const unregister = interrupt.onInterrupt(async () => { released.push('cluster') })
		unregister()
		await interrupt.runInterruptible(async () => { throw promptCancel() }, noExit).catch(() => undefined)
		expect(released).toEqual([])
	})
})
