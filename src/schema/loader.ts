/**
 * Loads the project's declared schema: an explicit path (from `--schema` or the
 * config), else `schema/index.ts` (default export, loaded with tsx: no build step), else
 * `schema/schema.json`. The result is normalised and validated; every problem is reported
 * with the file it came from.
 *
 * A TypeScript/JavaScript schema is user code, so it runs in a worker thread (loadWorker.ts)
 * under a time limit: a busy loop, a promise that never settles, an unhandled rejection or a
 * call to process.exit ends as one error naming the file, never as a hang, a silent exit or a
 * stack trace with the transpiled module in it.
 */
import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { extname, isAbsolute, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { FileSystemError, StrataError } from '../errors.js'
import { locateJsonSyntaxError } from '../migrations/parse.js'
import type { WorkerInput, WorkerReport, WorkerStarted } from './loadWorker.js'
import type { Schema } from './model.js'
import { assertValidSchema } from './validate.js'

export interface LoadSchemaOptions {
	/** project root; relative paths are resolved against it */
	readonly root: string
	/** explicit schema file (or a folder holding index.ts / schema.json) */
	readonly schemaPath?: string
	/** the configured time limit for loading a schema module, in seconds; STRATA_SCHEMA_TIMEOUT overrides it, default 30 */
	readonly timeoutSeconds?: number
}

export interface LoadedSchema {
	readonly schema: Schema
	/** the file it came from, relative to the root when inside it */
	readonly source: string
}

const DEFAULT_CANDIDATES = ['schema/index.ts', 'schema/schema.json']
const CODE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'])

const isFile = (path: string) => existsSync(path) && statSync(path).isFile()

const findSchemaFile = (root: string, schemaPath: string | undefined): string => {
	if (schemaPath === undefined) {
		const candidates = DEFAULT_CANDIDATES.map(candidate => join(root, candidate))
		const found = candidates.find(isFile)
		if (found) return found
		throw new StrataError('SCHEMA_NOT_FOUND',
			`No declared schema found. Looked for:\n${candidates.map(it => `  - ${it}`).join('\n')}\nCreate schema/index.ts (default export: the schema), pass --schema <path>, or set "schema" in strata.config.json.`)
	}
	const explicit = resolve(root, schemaPath)
	if (existsSync(explicit) && statSync(explicit).isDirectory()) {
		const candidates = ['index.ts', 'schema.json'].map(name => join(explicit, name))
		const found = candidates.find(isFile)
		if (found) return found
		throw new StrataError('SCHEMA_NOT_FOUND', `No schema in folder ${explicit}. Looked for:\n${candidates.map(it => `  - ${it}`).join('\n')}`)
	}
	if (!isFile(explicit)) throw new StrataError('SCHEMA_NOT_FOUND', `Schema file ${explicit} does not exist.`)
	return explicit
}

const firstLines = (text: string, count = 6) => text.split('\n').filter(line => line.trim() !== '').slice(0, count).join('\n  ')

/** `insideProject`: a file elsewhere (a --schema or config path) never has its content quoted */
const loadJson = async (file: string, source: string, insideProject: boolean): Promise<unknown> => {
	let text: string
	try {
		text = await readFile(file, 'utf8')
	} catch (error) {
		throw new FileSystemError(error, 'read', file)
	}
	try {
		return JSON.parse(text)
	} catch {
		// JSON.parse's own message quotes the text around the error
		const at = locateJsonSyntaxError(text)
		const where = at ? ` (line ${at.line}, column ${at.column}${insideProject ? `: ${at.message}` : ''})` : ''
		throw new StrataError('SCHEMA_LOAD_FAILED', `${source} is not valid JSON${where}.`)
	}
}

export const DEFAULT_SCHEMA_TIMEOUT_SECONDS = 30

/** The time limit in seconds: STRATA_SCHEMA_TIMEOUT, else the configured one, else 30. */
export const schemaTimeoutSeconds = (configured: number | undefined, env: NodeJS.ProcessEnv = process.env): number => {
	const fromEnv = env.STRATA_SCHEMA_TIMEOUT
	if (fromEnv !== undefined && fromEnv.trim() !== '') {
		const seconds = Number(fromEnv)
		if (!Number.isFinite(seconds) || seconds <= 0) throw new StrataError('SCHEMA_TIMEOUT_INVALID', `STRATA_SCHEMA_TIMEOUT must be a positive number of seconds, not "${fromEnv}".`)
		return seconds
	}
	return configured ?? DEFAULT_SCHEMA_TIMEOUT_SECONDS
}

const frameLocation = /(?:\(|\bat )((?:file:\/\/)?\/[^()\s]*?):(\d+):(\d+)\)?\s*$/
/** strata's own frames in the worker (its process.exit stand-in, its import call) */
const workerFrame = /[\\/]schema[\\/]loadWorker\.[jt]s$/

/**
 * `schema/entities.ts:3:9`: the first frame of a stack that lies in the user's code (not in
 * Node, node_modules or strata's worker), relative to the root when inside it.
 */
export const culpritLocation = (stack: string | undefined, root: string): string | undefined => {
	for (const line of (stack ?? '').split('\n').slice(1)) {
		const match = frameLocation.exec(line)
		if (!match) continue
		let path = match[1]!.replace(/\?.*$/, '')
		if (path.startsWith('file://')) path = fileURLToPath(path)
		if (/[\\/]node_modules[\\/]/.test(path) || workerFrame.test(path)) continue
		const inside = relative(root, path)
		return `${inside.startsWith('..') || isAbsolute(inside) ? path : inside}:${match[2]}:${match[3]}`
	}
	return undefined
}

/** a stack for STRATA_DEBUG: frames only (a data: URL frame would carry the module's source) */
const debugCause = (message: string, stack: string | undefined): Error => {
	const cause = new Error(message)
	cause.stack = (stack ?? message).split('\n').filter(line => !line.includes('data:')).join('\n')
	return cause
}

const describeReport = (report: WorkerReport, source: string, root: string): StrataError => {
	const at = (stack: string | undefined) => {
		const where = culpritLocation(stack, root)
		return where ? ` (at ${where})` : ''
	}
	switch (report.kind) {
		case 'loaded':
			throw new Error('not a failure')
		case 'no-default-export':
			return new StrataError('SCHEMA_LOAD_FAILED', `${source} has no default export. Export the schema: \`export default defineSchema({ … })\`.`)
		case 'not-serialisable':
			return new StrataError('SCHEMA_NOT_SERIALISABLE', `The default export of ${source} is not a schema: it cannot be represented as JSON (${report.message}).`)
		case 'threw':
			return new StrataError('SCHEMA_LOAD_FAILED',
				report.phase === 'import'
					? `Cannot load the declared schema from ${source}${at(report.stack)}:\n  ${firstLines(report.message)}`
					: `The default export of ${source} threw${at(report.stack)}:\n  ${firstLines(report.message)}`,
				undefined, { cause: debugCause(report.message, report.stack) })
		case 'uncaught':
			return new StrataError('SCHEMA_LOAD_FAILED', `An error was thrown and not caught while loading ${source}${at(report.stack)}:\n  ${firstLines(report.message)}`,
				undefined, { cause: debugCause(report.message, report.stack) })
		case 'unhandled-rejection':
			return new StrataError('SCHEMA_LOAD_FAILED', `A promise rejected and nothing handled it while loading ${source}${at(report.stack)}:\n  ${firstLines(report.message)}`,
				undefined, { cause: debugCause(report.message, report.stack) })
		case 'exit-called':
			return new StrataError('SCHEMA_PROCESS_EXIT',
				`${source} called process.exit(${report.code ?? ''})${at(report.stack)} while strata was loading it. A schema module must not end the process; remove the call.`)
	}
}

/** how long the worker itself may take to start, on top of the module's time limit */
const WORKER_START_ALLOWANCE_SECONDS = 60

/** Runs loadWorker.ts: compiled next to this file, or from source through tsx (tests run the sources). */
const startWorker = (input: WorkerInput): Worker => {
	const options = { workerData: input, stdout: true, stderr: true }
	if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./loadWorker.js', import.meta.url), options)
	const bootstrap = `import(${JSON.stringify(input.tsxApiUrl)}).then(({ tsImport }) => tsImport(${JSON.stringify(new URL('./loadWorker.ts', import.meta.url).href)}, ${JSON.stringify(import.meta.url)}))`
	return new Worker(bootstrap, { ...options, eval: true })
}

/**
 * Imports a schema module in a worker thread and returns its default export (as JSON data).
 * The worker is terminated as soon as it reports, so timers the module left behind do not
 * keep strata waiting; without a report within the time limit it is terminated too.
 */
const loadModule = async (file: string, source: string, root: string, timeoutSeconds: number): Promise<unknown> => {
	const worker = startWorker({ moduleUrl: pathToFileURL(file).href, tsxApiUrl: import.meta.resolve('tsx/esm/api') })
	// the module's console output goes to stderr: stdout stays parseable (--json)
	worker.stdout.pipe(process.stderr, { end: false })
	worker.stderr.pipe(process.stderr, { end: false })
	const outcome = await new Promise<{ report: WorkerReport } | { timedOut: true } | { exitCode: number } | { error: Error }>(done => {
		// the limit is for the module: it starts when the worker has tsx ready (a busy machine may take a while to get there)
		let timer = setTimeout(() => done({ timedOut: true }), (timeoutSeconds + WORKER_START_ALLOWANCE_SECONDS) * 1000)
		const finish = (value: Parameters<typeof done>[0]) => {
			clearTimeout(timer)
			done(value)
		}
		worker.on('message', (message: WorkerReport | WorkerStarted) => {
			if (message.kind !== 'importing') return finish({ report: message })
			clearTimeout(timer)
			timer = setTimeout(() => done({ timedOut: true }), timeoutSeconds * 1000)
		})
		worker.once('error', error => finish({ error }))
		worker.once('exit', exitCode => finish({ exitCode }))
	})
	worker.removeAllListeners()
	await worker.terminate()
	if ('report' in outcome) {
		if (outcome.report.kind === 'loaded') return JSON.parse(outcome.report.json) as unknown
		throw describeReport(outcome.report, source, root)
	}
	if ('timedOut' in outcome) {
		throw new StrataError('SCHEMA_LOAD_TIMEOUT',
			`Loading the declared schema from ${source} did not finish within ${timeoutSeconds} s: it runs a loop that never ends, or its default export `
			+ `(or a top-level await) waits for something that never happens. If it is only slow, raise the limit with STRATA_SCHEMA_TIMEOUT=<seconds> or "schemaTimeout" in strata.config.json.`)
	}
	if ('exitCode' in outcome) {
		throw new StrataError('SCHEMA_NEVER_SETTLED',
			`${source} never produced its schema: its default export (or a top-level await) waits for a promise that never settles, and nothing is left that could settle it.`)
	}
	throw new StrataError('SCHEMA_LOAD_FAILED', `Cannot load the declared schema from ${source}: ${firstLines(outcome.error.message)}`, undefined, { cause: debugCause(outcome.error.message, outcome.error.stack) })
}

/** Finds, loads, normalises and validates the declared schema. */
export const loadDeclaredSchema = async (options: LoadSchemaOptions): Promise<LoadedSchema> => {
	const root = resolve(options.root)
	const file = findSchemaFile(root, options.schemaPath)
	const inside = relative(root, file)
	const source = inside.startsWith('..') || isAbsolute(inside) ? file : inside
	const raw = CODE_EXTENSIONS.has(extname(file))
		? await loadModule(file, source, root, schemaTimeoutSeconds(options.timeoutSeconds))
		: await loadJson(file, source, source !== file)
	return { schema: assertValidSchema(raw, source), source }
}

/** The loader options of a resolved project (root, configured schema path and time limit). */
export const projectSchemaOptions = (project: { readonly root: string; readonly schemaPath?: string; readonly config: { readonly schemaTimeout?: number } }): LoadSchemaOptions => ({
	root: project.root,
	...(project.schemaPath === undefined ? {} : { schemaPath: project.schemaPath }),
	...(project.config.schemaTimeout === undefined ? {} : { timeoutSeconds: project.config.schemaTimeout }),
})
