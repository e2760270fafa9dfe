/** Spawns the built CLI (dist/cli/main.js, built by globalSetup) in a project directory; its output goes to the leak log (outputLog.ts). */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { recordCliOutput } from './outputLog.js'

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..')
export const cliPath = join(repoRoot, 'dist/cli/main.js')

export interface CliResult {
	readonly code: number | null
	readonly stdout: string
	readonly stderr: string
}

export const runCli = (args: readonly string[], options: { cwd: string; env?: Record<string, string | undefined> }): CliResult => {
	const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, STRATA_DEBUG: undefined, CI: undefined, ...options.env }
	for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key]
	const result = spawnSync(process.execPath, [cliPath, ...args], { cwd: options.cwd, env: env as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 60_000 })
	recordCliOutput(args, result.stdout, result.stderr)
	return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** a temporary project directory with the given files (paths relative to it) */
export const tempProject = (files: Record<string, string | object> = {}): string => {
	const dir = mkdtempSync(join(tmpdir(), 'strata-cli-'))
	for (const [path, content] of Object.entries(files)) {
		mkdirSync(dirname(join(dir, path)), { recursive: true })
		writeFileSync(join(dir, path), typeof content === 'string' ? content : `${JSON.stringify(content, null, '\t')}\n`)
	}
	return dir
}

export const hasAnsi = (text: string): boolean => /\u001b\[/.test(text)
export const hasStackTrace = (text: string): boolean => /\n\s+at .+:\d+:\d+/.test(text)
