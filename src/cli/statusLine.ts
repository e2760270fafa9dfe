/**
 * One line at the bottom of a terminal's stderr that is redrawn in place (`\r`, erase line): a
 * progress bar, a slow statement's status. Whoever prints anything else clears it first, so the
 * output never lands after it on the same line. Only for a terminal: in a pipe, a file or a CI
 * log the redraws would pile up as garbage.
 */
import { redact } from '../db/redact.js'

interface Stream {
	readonly isTTY?: boolean
	readonly columns?: number
	write(text: string): unknown
}

/** stderr is a terminal and the output is for people (not --json) */
export const canShowStatusLine = (output: { readonly jsonMode: boolean }, stderr: Stream = process.stderr): boolean =>
	!output.jsonMode && Boolean(stderr.isTTY)

export class StatusLine {
	#shown = false

	constructor(private readonly stream: Stream = process.stderr) {}

	/** the width a line may take without wrapping (a wrapped line cannot be redrawn in place) */
	get width(): number {
		return Math.max(20, (this.stream.columns || 80) - 1)
	}

	/** `text` must fit `width` already; it passes through the same redaction as everything printed */
	draw(text: string): void {
		this.stream.write(`\r\x1b[K${redact(text)}`)
		this.#shown = true
	}

	clear(): void {
		if (this.#shown) this.stream.write('\r\x1b[K')
		this.#shown = false
	}
}
