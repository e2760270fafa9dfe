/**
 * Whether a command may ask a question. A prompt reads stdin and draws on stdout: both must be
 * a terminal, or the question lands in a redirected file (`> out`) while the command waits for
 * an answer nobody sees. `--json` output is for programs, so it never prompts either.
 */

interface Streams {
	readonly stdin: { readonly isTTY?: boolean }
	readonly stdout: { readonly isTTY?: boolean }
}

export const canPrompt = (output: { readonly jsonMode: boolean }, streams: Streams = process): boolean =>
	!output.jsonMode && Boolean(streams.stdin.isTTY) && Boolean(streams.stdout.isTTY)
