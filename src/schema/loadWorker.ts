/**
 * Runs inside a worker thread started by loader.ts: imports the declared schema module (with
 * tsx, so TypeScript needs no build step), resolves its default export and posts back exactly
 * one WorkerReport. The module is user code: it may throw, reject a promise nobody awaits,
 * call process.exit or never finish. Whatever it does, the parent gets a report (or notices
 * the silence and enforces its time limit); nothing of the module is printed from here.
 */
import { parentPort, workerData } from 'node:worker_threads'

export interface WorkerInput {
	/** file URL of the schema module */
	readonly moduleUrl: string
	/** file URL of tsx's ESM API, resolved by the parent (the project may not have tsx) */
	readonly tsxApiUrl: string
}

/** Sent once tsx is ready and the module's own import starts: the parent's time limit starts here. */
export interface WorkerStarted {
	readonly kind: 'importing'
}

/** What happened while loading; `stack` is for STRATA_DEBUG and for locating the culprit, never printed as is. */
export type WorkerReport =
	| { readonly kind: 'loaded'; readonly json: string }
	| { readonly kind: 'no-default-export' }
	| { readonly kind: 'not-serialisable'; readonly message: string }
	| { readonly kind: 'threw'; readonly phase: 'import' | 'call'; readonly message: string; readonly stack?: string }
	| { readonly kind: 'uncaught'; readonly message: string; readonly stack?: string }
	| { readonly kind: 'unhandled-rejection'; readonly message: string; readonly stack?: string }
	| { readonly kind: 'exit-called'; readonly code: number | string | undefined; readonly stack?: string }

const port = parentPort!
const input = workerData as WorkerInput
let reported = false

/** Posts the one report, then blocks this thread so the module cannot do anything else; the parent terminates it. */
const report = (value: WorkerReport): never => {
	if (!reported) {
		reported = true
		port.postMessage(value)
	}
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
	throw new Error('unreachable: the parent terminates the worker')
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))
const stackOf = (error: unknown): string | undefined => (error instanceof Error ? error.stack : undefined)

process.on('unhandledRejection', reason => report({ kind: 'unhandled-rejection', message: messageOf(reason), stack: stackOf(reason) }))
process.on('uncaughtException', error => report({ kind: 'uncaught', message: messageOf(error), stack: stackOf(error) }))
// in a worker process.exit would only end this thread, silently; say who called it instead
process.exit = ((code?: number | string) => report({ kind: 'exit-called', code, stack: new Error('process.exit').stack })) as typeof process.exit

const hasModel = (value: unknown): boolean => typeof value === 'object' && value !== null && 'model' in value

const load = async (): Promise<WorkerReport> => {
	let module: Record<string, unknown>
	try {
		const { tsImport } = (await import(input.tsxApiUrl)) as typeof import('tsx/esm/api')
		port.postMessage({ kind: 'importing' } satisfies WorkerStarted)
		module = (await tsImport(input.moduleUrl, import.meta.url)) as Record<string, unknown>
	} catch (error) {
		return { kind: 'threw', phase: 'import', message: messageOf(error), stack: stackOf(error) }
	}
	let exported = module.default
	// a CommonJS-compiled module exposes its exports object as the default
	if (!hasModel(exported) && typeof exported === 'object' && exported !== null && 'default' in exported) {
		exported = (exported as { default: unknown }).default
	}
	try {
		if (typeof exported === 'function') exported = await (exported as () => unknown)()
		else exported = await exported
	} catch (error) {
		return { kind: 'threw', phase: 'call', message: messageOf(error), stack: stackOf(error) }
	}
	if (exported === undefined) return { kind: 'no-default-export' }
	// a promise the module dropped may reject in the next turn: let it, before answering
	await new Promise(resolve => setImmediate(resolve))
	try {
		return { kind: 'loaded', json: JSON.stringify(exported) }
	} catch (error) {
		return { kind: 'not-serialisable', message: messageOf(error) }
	}
}

report(await load())
