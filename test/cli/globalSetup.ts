/**
 * Generates the build-time validators when missing (a clone that was never built) and builds
 * dist/ once before the CLI tests spawn `node dist/cli/main.js`. Skips the build when
 * dist/cli/main.js is newer than every source file. Type errors do not block the tests (tsc still emits);
 * a missing dist/cli/main.js does.
 *
 * Also the whole-suite leak check (outputLog.ts): a log of everything the spawned CLI printed,
 * checked for the known test secrets when the run ends — a leak fails the run.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { leaksInLog, OUTPUT_LOG_ENV } from './outputLog.js'

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..')
const entry = join(root, 'dist/cli/main.js')

const newestSource = (dir: string): number =>
	readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
		const path = join(dir, entry.name)
		return Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs)
	}, 0)

/** vitest runs this for every run; a run filtered to other folders does not need dist/ */
const runIncludesCliTests = (): boolean => {
	const args = process.argv.slice(2).filter(it => !it.startsWith('-') && !['run', 'watch', 'related', 'bench'].includes(it))
	const filters = args.filter(it => !/^\d+$/.test(it))
	return filters.length === 0 || filters.some(it => 'test/cli/'.includes(it.replace(/^\.\//, '')) || it.includes('cli'))
}

/** sets the log up for the workers (they inherit the environment) and checks it at teardown */
const startLeakCheck = (): (() => void) => {
	const dir = mkdtempSync(join(tmpdir(), 'strata-cli-output-'))
	const log = join(dir, 'output.jsonl')
	process.env[OUTPUT_LOG_ENV] = log
	return () => {
		const leaks = leaksInLog(log)
		rmSync(dir, { recursive: true, force: true })
		if (leaks.length === 0) return
		// vitest reports a teardown error but still exits 0: set the exit code ourselves
		process.exitCode = 1
		throw new Error(`A test secret appeared in CLI output (${leaks.length}):\n${leaks.slice(0, 20).join('\n')}`)
	}
}

const buildIfStale = (): void => {
	if (!runIncludesCliTests()) return
	// `npm test` has just built; tsc rewrites every output file, so the entry's mtime is the build's
	const built = existsSync(entry) ? statSync(entry).mtimeMs : 0
	if (built > newestSource(join(root, 'src')) && built > statSync(join(root, 'package.json')).mtimeMs) return
	const run = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8' })
	if (!existsSync(entry)) {
		throw new Error(`npm run build did not produce dist/cli/main.js:\n${run.stdout}\n${run.stderr}`)
	}
	if (run.status !== 0) process.stderr.write(`test/cli: npm run build reported errors (dist/ was still emitted):\n${run.stdout.slice(0, 4000)}\n`)
}

/** the unit tests import src/, which needs the build-time validators even when dist/ is not built */
const generateValidatorsIfMissing = (): void => {
	if (existsSync(join(root, 'src/validators/generated.cjs'))) return
	const run = spawnSync('npx', ['tsx', 'scripts/generate-validators.ts'], { cwd: root, encoding: 'utf8' })
	if (run.status !== 0) throw new Error(`scripts/generate-validators.ts failed:\n${run.stdout}\n${run.stderr}`)
}

export default function setup(): () => void {
	const teardown = startLeakCheck()
	generateValidatorsIfMissing()
	buildIfStale()
	return teardown
}
