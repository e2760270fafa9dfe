/**
 * The CLI's only way to the terminal: results go to stdout, announcements, warnings and errors
 * to stderr. Colour is off with --no-color, NO_COLOR (any non-empty value) or a non-TTY stdout.
 * Every line — messages, JSON, stack traces — passes through `redact` on its way out, so no
 * password reaches the terminal whichever code path produced the text.
 */
import { Chalk, type ChalkInstance } from 'chalk'
import { redact } from '../db/redact.js'
import { environmentFileSystemError, ExitCode, StrataError, ValidationError, formatProblem } from '../errors.js'

export interface Output {
	/** a result line (stdout) */
	info(text: string): void
	/** progress and announcements (stderr), so that stdout stays parseable */
	note(text: string): void
	warn(text: string): void
	error(text: string): void
	/** a machine-readable result (stdout, pretty JSON) */
	json(value: unknown): void
	readonly color: ChalkInstance
	/** stdout is a terminal (progress bars, prompts) */
	readonly isTTY: boolean
	/** --json was given */
	readonly jsonMode: boolean
}

export interface OutputArgs {
	readonly color?: boolean
	readonly json?: boolean
}

interface Streams {
	readonly stdout: NodeJS.WritableStream & { isTTY?: boolean }
	readonly stderr: NodeJS.WritableStream & { isTTY?: boolean }
}

/**
 * Whether this process already printed its JSON document: with --json, stdout holds exactly one
 * document for every outcome, so reportError prints the error document only when no command did.
 */
let jsonDocumentWritten = false

export const jsonDocumentPrinted = (): boolean => jsonDocumentWritten

/** fields a command adds to the `error` object of the --json error document (database, failure, lockRetries, …) */
const jsonDetails = new WeakMap<object, Readonly<Record<string, unknown>>>()

/** Attaches fields to the --json error document of `error` (printed by reportError); returns the error. */
export const withJsonDetails = <E>(error: E, details: Readonly<Record<string, unknown>>): E => {
	if (typeof error === 'object' && error !== null) jsonDetails.set(error, { ...jsonDetails.get(error), ...details })
	return error
}

/**
 * The one --json error document: `{ ok: false, error: { code, message, exitCode, problems?, …details } }`.
 * Human text still goes to stderr; stdout gets this document, so a pipeline never reads nothing.
 */
export const errorDocument = (error: unknown, exitCode: number): { ok: false; error: Record<string, unknown> } => {
	const code = error instanceof StrataError ? error.code : 'INTERNAL'
	const message = error instanceof Error ? error.message : String(error)
	return {
		ok: false,
		error: {
			code,
			message: error instanceof ValidationError ? error.summary : message,
			exitCode,
			...(error instanceof ValidationError ? { problems: error.problems } : {}),
			...(typeof error === 'object' && error !== null ? jsonDetails.get(error) : {}),
		},
	}
}

export const colorEnabled = (argv: OutputArgs, env: NodeJS.ProcessEnv = process.env): boolean =>
	argv.color !== false && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '')

export const createOutput = (argv: OutputArgs = {}, streams: Streams = process): Output => {
	const isTTY = Boolean(streams.stdout.isTTY)
	// chalk's own detection honours FORCE_COLOR and TTY-ness; we only ever turn it off
	const color = colorEnabled(argv) ? new Chalk() : new Chalk({ level: 0 })
	const line = (stream: NodeJS.WritableStream, text: string) => {
		const safe = redact(text)
		stream.write(safe.endsWith('\n') ? safe : `${safe}\n`)
	}
	return {
		info: text => line(streams.stdout, text),
		note: text => line(streams.stderr, text),
		warn: text => line(streams.stderr, color.yellow(`warning: ${text}`)),
		error: text => line(streams.stderr, color.red(`error: ${text}`)),
		json: value => {
			jsonDocumentWritten = true
			line(streams.stdout, JSON.stringify(value, null, 2))
		},
		color,
		isTTY,
		jsonMode: argv.json === true,
	}
}

/** yargs rejected the command line (unknown option, missing argument, unknown command) */
export class UsageError extends StrataError {
	constructor(message: string) {
		super('USAGE', message, ExitCode.userError)
	}
}

const causeChain = (error: unknown, debug: boolean): string[] => {
	const lines: string[] = []
	for (let cause = (error as { cause?: unknown })?.cause; cause; cause = (cause as { cause?: unknown }).cause) {
		lines.push(`caused by: ${cause instanceof Error ? (debug ? cause.stack : cause.message) : String(cause)}`)
	}
	return lines
}

/**
 * The one mapping from errors to messages and exit codes: a StrataError uses its exitCode, a
 * ValidationError lists every problem, anything else is a strata bug (exit 70, asks for a
 * report). Stack traces only with STRATA_DEBUG=1. With --json, stdout also gets the error
 * document (errorDocument), unless the command already printed its one document.
 */
export const reportError = (error: unknown, output: Output, env: NodeJS.ProcessEnv = process.env): number => {
	const exitCode = reportErrorText(error, output, env)
	if (output.jsonMode && !jsonDocumentWritten) output.json(errorDocument(environmentFileSystemError(error) ?? error, exitCode))
	return exitCode
}

const reportErrorText = (error: unknown, output: Output, env: NodeJS.ProcessEnv): number => {
	const debug = env.STRATA_DEBUG === '1'
	// a read-only folder or a full disk is the user's to fix, whichever code path hit it
	error = environmentFileSystemError(error) ?? error
	const { color } = output
	if (error instanceof UsageError) {
		output.error(error.message)
		output.note('Run "strata --help" (or "strata <command> --help") for usage.')
		return error.exitCode
	}
	if (error instanceof ValidationError) {
		output.error(color.bold(error.summary))
		for (const problem of error.problems) output.note(`  ${color.red('✗')} ${formatProblem(problem)}`)
	} else if (error instanceof StrataError) {
		output.error(error.message)
	} else {
		const message = error instanceof Error ? error.message : String(error)
		output.error(`internal error: ${message}`)
		output.note('This is a bug in strata; please report it with the command you ran and the output of the same run with STRATA_DEBUG=1.')
		output.note(debug ? String((error as Error)?.stack ?? '') : 'Set STRATA_DEBUG=1 to see the stack trace.')
		return ExitCode.internal
	}
	if (debug) {
		output.note(String(error.stack ?? ''))
		for (const line of causeChain(error, debug)) output.note(line)
	}
	return error.exitCode
}
