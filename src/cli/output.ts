/**
 * The CLI's only way to the terminal: results go to stdout, announcements, warnings and errors
 * to stderr. Colour is off with --no-color, NO_COLOR (any non-empty value) or a non-TTY stdout.
 */
import { Chalk, type ChalkInstance } from 'chalk'

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

export const colorEnabled = (argv: OutputArgs, env: NodeJS.ProcessEnv = process.env): boolean =>
	argv.color !== false && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '')

export const createOutput = (argv: OutputArgs = {}, streams: Streams = process): Output => {
	const isTTY = Boolean(streams.stdout.isTTY)
	// chalk's own detection honours FORCE_COLOR and TTY-ness; we only ever turn it off
	const color = colorEnabled(argv) ? new Chalk() : new Chalk({ level: 0 })
	const line = (stream: NodeJS.WritableStream, text: string) => stream.write(text.endsWith('\n') ? text : `${text}\n`)
	return {
		info: text => line(streams.stdout, text),
		note: text => line(streams.stderr, text),
		warn: text => line(streams.stderr, color.yellow(`warning: ${text}`)),
		error: text => line(streams.stderr, color.red(`error: ${text}`)),
		json: value => line(streams.stdout, JSON.stringify(value, null, 2)),
		color,
		isTTY,
		jsonMode: argv.json === true,
	}
}
