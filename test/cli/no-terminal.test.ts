/**
 * Every command without a terminal: stdin is not a TTY (an empty, closed pipe — runCli — or
 * /dev/null), and each spawn has a hard timeout. Each must end on its own with 0, 1 or 3; when it
 * needed an answer (a confirmation, a rename, a fill value) it must say which flag gives it.
 * A command that waited for an answer nobody can give would be killed by the timeout and fail here.
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { recordAdversarial } from '../helpers/adversarial.js'
import { useTestDatabase } from '../helpers/database.js'
import { DevProject, entity, schemaOf } from '../integration/dev/project.js'
import { recordCliOutput } from './outputLog.js'
import { cliPath, hasStackTrace, runCli, type CliResult } from './run.js'

const db = useTestDatabase('no_terminal')

/** generous for a loaded machine; a hung prompt never ends, so any bound catches it */
const HARD_TIMEOUT_MS = 60_000

type Stdin = 'closed pipe' | '/dev/null'

/** runCli (stdin: an empty pipe, closed at once), or the same with stdin on /dev/null */
const spawnCli = (args: readonly string[], cwd: string, stdin: Stdin): CliResult & { signal: NodeJS.Signals | null } => {
	if (stdin === 'closed pipe') return { ...runCli(args, { cwd }), signal: null }
	const env = { ...process.env }
	for (const key of ['NO_COLOR', 'FORCE_COLOR', 'STRATA_DEBUG', 'CI']) delete env[key]
	const result = spawnSync(process.execPath, [cliPath, ...args], { cwd, env, encoding: 'utf8', timeout: HARD_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] })
	recordCliOutput(args, result.stdout, result.stderr)
	return { code: result.status, stdout: result.stdout, stderr: result.stderr, signal: result.signal }
}

interface Case {
	readonly args: readonly string[]
	readonly code: 0 | 1 | 3
	/** text the output must hold: the flag that gives the missing answer, or proof the command did its work */
	readonly says?: RegExp
	readonly offline?: boolean
	/** it changes the project or the database: run once (stdin on /dev/null), a second run would see the changed state */
	readonly once?: boolean
}

const tried = new Set<string>()
let spawns = 0
let project: DevProject
/** the figures are recorded only when every stage passed */
const STAGES = 4
let stagesPassed = 0

/** runs each case with both kinds of stdin; a database command gets --database-url */
const check = (cases: readonly Case[]) => {
	for (const stdin of ['closed pipe', '/dev/null'] as const) {
		for (const { args, code, says, offline, once } of cases) {
			if (once && stdin !== '/dev/null') continue
			const full = offline ? [...args] : [...args, '--database-url', project.databaseUrl]
			const result = spawnCli(full, project.root, stdin)
			spawns++
			tried.add(args.join(' '))
			const context = `${args.join(' ')} (stdin: ${stdin}): exit ${result.code}${result.signal ? `, killed by ${result.signal}` : ''}\n${result.stderr}`
			expect(result.signal, context).toBeNull()
			expect(result.code, context).toBe(code)
			expect(hasStackTrace(result.stdout + result.stderr), context).toBe(false)
			if (says) expect(result.stdout + result.stderr, context).toMatch(says)
		}
	}
}

const post = (columns: Parameters<typeof entity>[1]) => schemaOf(entity('Post', columns))

describe('commands without a terminal', () => {
	it('before any migration: help, validation, diff asking for confirmation', () => {
		project = new DevProject(db.url)
		project.declare(post({ title: {} }))
		check([
			{ args: ['--help'], code: 0, says: /migrations:execute/, offline: true },
			{ args: ['migrations:diff', 'init'], code: 1, says: /Pass --yes/, offline: true },
			{ args: ['migrations:diff', 'init', '--dry-run', '--json'], code: 0, says: /"createEntity"/, offline: true },
		])
		expect(project.migrationNames()).toEqual([])
		check([{ args: ['migrations:diff', 'init', '--yes'], code: 0, says: /created/, offline: true, once: true }])
		stagesPassed++
	}, 600_000)

	it('status, execute with and without --yes, drift, describe, validate, snapshot', () => {
		check([
			{ args: ['migrations:status'], code: 0, says: /pending/ },
			{ args: ['migrations:status', '--check'], code: 3, says: /pending/ },
			{ args: ['migrations:execute'], code: 1, says: /Pass --yes/ },
		])
		check([{ args: ['migrations:execute', '--yes'], code: 0, says: /Executed 1 migration/, once: true }])
		check([
			{ args: ['migrations:status', '--json'], code: 0, says: /"executed": 1/ },
			{ args: ['migrations:status', '--check'], code: 0 },
			{ args: ['db:drift'], code: 0, says: /No drift/ },
			{ args: ['db:drift', '--check', '--json'], code: 0, says: /"inSync": true/ },
			{ args: ['migrations:describe'], code: 0, says: /Post/, offline: true },
			{ args: ['migrations:describe', '--json'], code: 0, says: /createEntity/, offline: true },
			{ args: ['project:validate'], code: 0, offline: true },
			{ args: ['project:validate', '--json'], code: 0, offline: true },
			{ args: ['migrations:snapshot'], code: 0, offline: true },
			{ args: ['migrations:verify-snapshot'], code: 0, offline: true },
		])
		stagesPassed++
	}, 600_000)

	it('diff with a rename candidate and with a missing fill value: refused without --yes, naming the flags', () => {
		project.declare(post({ headline: {} }))
		check([
			{ args: ['migrations:diff', 'rename-title'], code: 1, says: /--rename Post\.title:headline[\s\S]*Pass --yes|Pass --yes[\s\S]*--rename Post\.title:headline/, offline: true },
			{ args: ['migrations:diff', 'rename-title', '--yes', '--dry-run'], code: 0, says: /--rename Post\.title:headline/, offline: true },
			{ args: ['migrations:diff', 'rename-title', '--dry-run', '--json'], code: 0, says: /rename-candidate/, offline: true },
		])
		project.declare(post({ title: {}, rating: { type: 'Integer', nullable: false } }))
		check([
			{ args: ['migrations:diff', 'add-rating'], code: 1, says: /--fill Post\.rating=<value>/, offline: true },
			{ args: ['migrations:diff', 'add-rating', '--yes'], code: 1, says: /--fill Post\.rating=<value>/, offline: true },
		])
		expect(project.migrationNames()).toHaveLength(1)
		stagesPassed++
	}, 600_000)

	it('amend without --yes is refused naming --yes; with --yes it folds the edit; rebase needs a name, given one it moves it without asking', () => {
		project.declare(post({ title: {}, body: {} }))
		check([{ args: ['migrations:amend'], code: 1, says: /Pass --yes/ }])
		check([{ args: ['migrations:amend', '--yes'], code: 0, says: /Amended/, once: true }])
		check([
			{ args: ['migrations:rebase'], code: 1, says: /migrations:rebase <migration\.\.\.>/ },
			// rebase asks nothing: it moves the named migration after the newest one
			{ args: ['migrations:rebase', project.migrationNames()[0]!], code: 0, once: true },
			{ args: ['migrations:blank', 'by-hand'], code: 0, says: /by-hand/, offline: true, once: true },
		])
		stagesPassed++
	}, 600_000)

	it('covers at least 20 distinct invocations, every stage passed', () => {
		expect(tried.size).toBeGreaterThanOrEqual(20)
		expect(stagesPassed).toBe(STAGES)
		recordAdversarial({
			attack: 'no terminal',
			tried: `${tried.size} distinct invocations, ${spawns} spawns (stdin a closed pipe and /dev/null; state-changing ones once), each with a ${HARD_TIMEOUT_MS / 1000} s hard timeout`,
			held: 'none hung: each ended with 0, 1 or 3; each that needed an answer named the flag (--yes, --rename, --fill)',
		})
	})
})
