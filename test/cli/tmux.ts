/**
 * The spawned CLI in a real pseudo-terminal, driven as a person would: tmux on its own socket
 * (one per test file), one 200×50 session per run. The shell prints `STRATA_EXIT=<code>` when
 * the CLI ends and keeps the pane open, so the screen can still be read.
 */
import { execFileSync } from 'node:child_process'
import { cliPath } from './run.js'

export interface Terminal {
	screen(): string
	/** waits (polling the screen) until `text` shows up; fails with the screen when it never does */
	waitFor(text: string | RegExp, limitMs?: number): Promise<string>
	keys(...keys: string[]): void
	close(): void
}

export const tmuxTerminals = (label: string) => {
	const socket = `strata-${label}-${process.pid}`
	const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' })
	let sessions = 0
	/** runs `strata <args>` (plus `shellTail`, e.g. a redirection) in `cwd` */
	const open = (cwd: string, args: readonly string[], shellTail = ''): Terminal => {
		const name = `${label}${++sessions}`
		const command = `cd '${cwd}' && NO_COLOR=1 '${process.execPath}' '${cliPath}' ${args.map(it => `'${it}'`).join(' ')} ${shellTail}; echo "STRATA_EXIT=$?"; sleep 600`
		tmux('new-session', '-d', '-s', name, '-x', '200', '-y', '50', command)
		const screen = () => tmux('capture-pane', '-p', '-t', name)
		return {
			screen,
			waitFor: async (text, limitMs = 60_000) => {
				const deadline = Date.now() + limitMs
				for (;;) {
					const current = screen()
					if (typeof text === 'string' ? current.includes(text) : text.test(current)) return current
					if (Date.now() > deadline) throw new Error(`"${text}" never appeared; the screen shows:\n${current}`)
					await new Promise(done => setTimeout(done, 200))
				}
			},
			keys: (...keys) => { tmux('send-keys', '-t', name, ...keys) },
			close: () => { tmux('kill-session', '-t', name) },
		}
	}
	/** for afterAll: ends this file's tmux server */
	const shutdown = () => {
		try {
			tmux('kill-server')
		} catch {
			// no session left: the server is already gone
		}
	}
	return { open, shutdown }
}
