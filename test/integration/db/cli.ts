/**
 * Spawning the built CLI for the database suites. Every run is checked for the known test
 * secrets (test/cli/outputLog.ts) — they must never appear in anything the CLI prints, whatever
 * happens — and its output goes to the whole-suite leak log.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { findLeaks, recordCliOutput, TEST_SECRETS } from '../../cli/outputLog.js'

export const ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..')
export const CLI = path.join(ROOT, 'dist/cli/main.js')

/** contains URL-special characters on purpose: redaction must cover both encoded and decoded forms */
export const TEST_PASSWORD: string = TEST_SECRETS[0]
export const TEST_ROLE = 'strata_pw_test'

const newest = (dir: string): number =>
	readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
		const full = path.join(dir, entry.name)
		return Math.max(max, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs)
	}, 0)

/** builds dist/ when it is missing or older than src/ (one builder at a time across workers) */
export const ensureBuilt = (): void => {
	const fresh = () => existsSync(CLI) && statSync(CLI).mtimeMs >= newest(path.join(ROOT, 'src'))
	if (fresh()) return
	const lock = path.join(ROOT, 'dist', '.db-build-lock')
	mkdirSync(path.dirname(lock), { recursive: true })
	for (let i = 0; i < 600; i++) {
		try {
			mkdirSync(lock)
			break
		} catch {
			if (fresh()) return
			spawnSync('sleep', ['0.5'])
		}
	}
	try {
		if (!fresh()) spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' })
	} finally {
		rmSync(lock, { recursive: true, force: true })
	}
	if (!existsSync(CLI)) throw new Error('npm run build did not produce dist/cli/main.js')
}

export interface CliResult {
	readonly code: number | null
	readonly signal: NodeJS.Signals | null
	readonly stdout: string
	readonly stderr: string
}

export const assertNoSecret = (text: string): void => {
	const leaks = findLeaks(text)
	if (leaks.length > 0) throw new Error(`the password appeared in CLI output (${leaks.join(', ')}):\n${text}`)
}

const baseEnv = (env: NodeJS.ProcessEnv = {}) => {
	const merged: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env }
	// the suites choose their database explicitly; the machine's CI flag must not change behaviour
	for (const key of ['CI', 'NODE_ENV', 'DATABASE_URL']) if (!(key in env)) delete merged[key]
	return merged
}

export const startCli = (args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): { child: ChildProcess; done: Promise<CliResult> } => {
	const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: baseEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] })
	let stdout = ''
	let stderr = ''
	child.stdout!.on('data', chunk => (stdout += chunk))
	child.stderr!.on('data', chunk => (stderr += chunk))
	const done = new Promise<CliResult>(resolve => {
		child.on('close', (code, signal) => {
			recordCliOutput(args, stdout, stderr)
			assertNoSecret(stdout + stderr)
			resolve({ code, signal, stdout, stderr })
		})
	})
	return { child, done }
}

export const runCli = (args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliResult> => {
	const { child, done } = startCli(args, options)
	const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
	return done.finally(() => clearTimeout(timer))
}

/** no stack trace lines, no internal-error banner */
export const looksClean = (output: string): boolean => !/^\s+at .+\(.*:\d+:\d+\)$/m.test(output) && !/internal error/i.test(output)

/**
 * The test database URL rewritten to log in as a role with a password, so that every CLI run
 * has a password to leak (trust authentication accepts it too; scram checks it).
 */
export const passwordUrl = async (url: string): Promise<string> => {
	const admin = new pg.Client({ connectionString: url })
	await admin.connect()
	try {
		await admin.query(`DO $$ BEGIN
			CREATE ROLE ${TEST_ROLE} LOGIN SUPERUSER PASSWORD '${TEST_PASSWORD.replace(/'/g, "''")}';
		EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`)
	} finally {
		await admin.end()
	}
	const parsed = new URL(url)
	parsed.username = TEST_ROLE
	parsed.password = encodeURIComponent(TEST_PASSWORD)
	return parsed.toString()
}
