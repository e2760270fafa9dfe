// The performance targets table (`npm run bench` without --ops): every operation a user waits for,
// timed in fresh processes next to its floor or reference, median of several runs with the spread,
// printed as a table and written to bench/results.json. docs/performance.md explains each row.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/**
 * Contember's whole-process replay of the same workloads, measured on this machine kind with
 * Contember's own implementation (which this repository does not contain, so it cannot be re-run
 * here): the reference of the project:validate rows, in milliseconds.
 */
const CONTEMBER_REPLAY_MS = { medium: 2100, e1000: 25000, large: 55000 }

const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const spread = values => ({ min: Math.min(...values), max: Math.max(...values) })

/** runs `command args` `runs` times (after one warm-up unless `warmUp: false`) and returns the wall times in ms */
const timeProcess = (command, args, options = {}, runs = 5) => {
	const times = []
	for (let i = options.warmUp === false ? 0 : -1; i < runs; i++) {
		options.before?.()
		const start = performance.now()
		const child = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options })
		const wall = performance.now() - start
		if (child.error) throw child.error
		if (options.expectStatus !== undefined && child.status !== options.expectStatus) {
			throw new Error(`${command} ${args.join(' ')} exited ${child.status}, expected ${options.expectStatus}:\n${child.stderr.slice(0, 2000)}`)
		}
		if (i >= 0) times.push(wall)
	}
	return times
}

/** peak resident memory (MB) of one CLI run, reported by the process itself at exit */
const peakMemory = (root, args, cwd, expectStatus) => {
	const dir = mkdtempSync(join(tmpdir(), 'strata-bench-rss-'))
	const report = join(dir, 'rss')
	try {
		const hook = join(dir, 'rss.mjs')
		writeFileSync(hook, `import { writeFileSync } from 'node:fs'\nprocess.on('exit', () => writeFileSync(${JSON.stringify(report)}, String(process.resourceUsage().maxRSS)))\n`)
		const child = spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, join(root, 'dist/cli/main.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, STRATA_CACHE: 'off' } })
		if (child.status !== expectStatus) throw new Error(`${args.join(' ')} exited ${child.status}, expected ${expectStatus}:\n${child.stderr.slice(0, 2000)}`)
		return Number(readFileSync(report, 'utf8')) / 1024
	} finally {
		rmSync(dir, { recursive: true, force: true })
	}
}

const row = (operation, size, strataTimes, floorLabel, floorTimes, target, unit = 'ms') => {
	const strata = median(strataTimes)
	const floor = floorTimes === undefined ? undefined : typeof floorTimes === 'number' ? floorTimes : median(floorTimes)
	const ratio = floor === undefined ? undefined : strata / floor
	return { operation, size, unit, strata, spread: spread(strataTimes), floorLabel, floor, ratio, target: target.text, met: target.met(strata, ratio) }
}

const atMost = limit => ({ text: `≤ ${limit}×`, met: (_, ratio) => ratio <= limit })
const atMostAbsolute = (limit, unit) => ({ text: `≤ ${limit} ${unit}`, met: strata => strata <= limit })
const timesFaster = factor => ({ text: `≥ ${factor}× faster`, met: (_, ratio) => ratio <= 1 / factor })

const format = value => (value === undefined ? '—' : value >= 100 ? value.toFixed(0) : value.toFixed(1))

const printTable = rows => {
	const header = ['operation', 'size', 'strata', 'spread', 'floor / reference', 'floor', 'ratio', 'target', 'met']
	const lines = rows.map(it => it.skipped
		? [it.operation, it.size, 'skipped', '', it.skipped, '', '', it.target, '']
		: [
			it.operation, it.size, `${format(it.strata)} ${it.unit}`, `${format(it.spread.min)}–${format(it.spread.max)}`, it.floorLabel ?? '',
			it.floor === undefined ? '' : `${format(it.floor)} ${it.unit}`, it.ratio === undefined ? '' : `${it.ratio.toFixed(it.ratio < 0.1 ? 3 : 2)}×`, it.target, it.met ? 'yes' : 'NO',
		])
	const widths = header.map((title, i) => Math.max(title.length, ...lines.map(line => String(line[i]).length)))
	const print = cells => console.log(cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ').trimEnd())
	print(header)
	print(widths.map(width => '-'.repeat(width)))
	for (const line of lines) print(line)
}

/**
 * @param {object} context
 * @param {string} context.root the repository
 * @param {(size: string) => Promise<string>} context.workload directory of a generated workload
 * @param {(op: string, dir: string) => object} context.runOp one in-process operation in a fresh process (run.mjs)
 * @param {() => Promise<string | undefined>} context.executeUnavailable why the execute row cannot run
 * @param {() => Promise<{ fresh: () => Promise<{ url: string, drop: () => Promise<void> }> }>} context.databases
 * @param {number} context.runs repetitions per row
 * @param {(dir: string) => Promise<string>} context.sqlScript the SQL of a workload's whole history, one script
 */
export const runTargets = async ({ root, workload, runs, runOp, executeUnavailable, databases, sqlScript }) => {
	const cli = join(root, 'dist/cli/main.js')
	const rows = []
	const inProcess = (op, dir, key = 'ms', count = runs) => Array.from({ length: count }, () => runOp(op, dir)[key])
	const step = text => process.stderr.write(`bench: ${text}\n`)

	step('start-up')
	const small = await workload('small')
	const bare = timeProcess(process.execPath, ['-e', '0'], {}, runs * 2)
	const help = timeProcess(process.execPath, [cli, '--help'], { expectStatus: 0 }, runs * 2)
	rows.push(row('--help', '', help, 'node -e 0', bare, atMost(1.5)))
	const commandNames = ['migrations:blank', 'migrations:describe', 'migrations:lint', 'migrations:diff', 'migrations:execute', 'migrations:status', 'project:validate', 'migrations:snapshot', 'migrations:verify-snapshot', 'migrations:amend', 'migrations:rebase', 'db:drift', 'schema:export', 'migrations:baseline', 'db:introspect', 'migrations:adopt-contember']
	const perCommand = commandNames.map(name => ({ name, times: timeProcess(process.execPath, [cli, name, '--help'], { expectStatus: 0 }, runs) }))
	const slowest = perCommand.reduce((a, b) => (median(a.times) >= median(b.times) ? a : b))
	rows.push(row(`<command> --help (slowest: ${slowest.name})`, '', slowest.times, 'node -e 0', bare, atMost(1.5)))
	const status = timeProcess(process.execPath, [cli, 'migrations:status', '--database-url', 'postgresql://nobody@127.0.0.1:1/none'], { cwd: small, expectStatus: 1 }, runs)
	rows.push(row('migrations:status, no database reachable', 'small', status, 'strata --help', help, atMost(2)))

	for (const size of ['medium', 'large']) {
		step(`project:validate ${size}`)
		const dir = await workload(size)
		const count = size === 'large' ? Math.min(runs, 3) : runs
		const reference = ["Contember's replay process (reference)", CONTEMBER_REPLAY_MS[size], timesFaster(size === 'large' ? 50 : 10)]
		const validate = timeProcess(process.execPath, [cli, 'project:validate'], { cwd: dir, expectStatus: 1, env: { ...process.env, STRATA_CACHE: 'off' } }, count)
		rows.push(row('project:validate (whole process, no cache)', size, validate, ...reference))
		// the replay cache (.strata/replay-cache.json in the workload): a miss replays and writes it, a hit reads it
		const cacheFile = join(dir, '.strata', 'replay-cache.json')
		const miss = timeProcess(process.execPath, [cli, 'project:validate'], { cwd: dir, expectStatus: 1, before: () => rmSync(cacheFile, { force: true }) }, count)
		rows.push(row('project:validate, replay cache miss (writes it)', size, miss, ...reference))
		const hit = timeProcess(process.execPath, [cli, 'project:validate'], { cwd: dir, expectStatus: 1 }, count)
		rows.push(row('project:validate, replay cache hit', size, hit, ...reference))
		rmSync(join(dir, '.strata'), { recursive: true, force: true })
	}

	const replayBySize = {}
	for (const size of ['small', 'e100', 'medium', 'e1000', 'large']) {
		step(`replay ${size}`)
		const dir = await workload(size)
		const count = size === 'large' || size === 'e1000' ? Math.min(runs, 3) : runs
		const floor = inProcess('floor', dir, 'ms', count)
		const replay = inProcess('replay', dir, 'ms', count)
		const files = runOp('floor', dir).files
		replayBySize[size] = { files, replayMs: median(replay), floorMs: median(floor) }
		rows.push(row('replay in-process (read, parse, validate, replay)', size, replay, 'read + JSON.parse', floor, atMost(3)))
	}

	step('diff and SQL (medium)')
	const medium = await workload('medium')
	rows.push(row('diff in-process (round trip included)', 'medium', inProcess('diff', medium), undefined, undefined, atMostAbsolute(30, 'ms')))
	rows.push(row('SQL of the whole history in-process', 'medium', inProcess('sql', medium), 'replay in-process', replayBySize.medium.replayMs, atMost(2)))

	const unavailable = await executeUnavailable()
	if (unavailable) {
		rows.push({ operation: 'migrations:execute on an empty database', size: 'medium', skipped: unavailable, target: '≤ 1.3×' })
	} else {
		step('execute (medium)')
		const { fresh } = await databases()
		const script = join(mkdtempSync(join(tmpdir(), 'strata-bench-sql-')), 'history.sql')
		writeFileSync(script, await sqlScript(medium))
		const executeRuns = Math.min(runs, 3)
		const strataTimes = []
		const psqlTimes = []
		for (let i = 0; i < executeRuns; i++) {
			for (const [times, command] of [[strataTimes, url => [process.execPath, [cli, 'migrations:execute', '--yes', '--database-url', url]]], [psqlTimes, url => ['psql', ['-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-f', script, url]]]]) {
				const database = await fresh()
				try {
					const [program, args] = command(database.url)
					times.push(...timeProcess(program, args, { cwd: medium, expectStatus: 0, warmUp: false, env: { ...process.env, CI: 'true', PGOPTIONS: '-c client_min_messages=warning' } }, 1))
				} finally {
					await database.drop()
				}
			}
		}
		rmSync(join(script, '..'), { recursive: true, force: true })
		rows.push(row('migrations:execute on an empty database', 'medium', strataTimes, 'psql -1 -f (same SQL)', psqlTimes, atMost(1.3)))
	}

	step('peak memory (large)')
	const large = await workload('large')
	// exit 1: the declared schema holds the workload's pending changes
	const memory = peakMemory(root, ['project:validate'], large, 1)
	rows.push(row('project:validate peak memory', 'large', [memory], undefined, undefined, atMostAbsolute(250, 'MB'), 'MB'))

	const linear = Object.entries(replayBySize).map(([size, it]) => ({ size, files: it.files, replayMs: it.replayMs, perFileMs: it.replayMs / it.files }))
	return {
		machine: { nproc: cpus().length, cpu: cpus()[0]?.model, loadAverage: loadavg(), node: process.version },
		runs,
		rows,
		linear,
	}
}

export const printTargets = results => {
	const { machine } = results
	console.log(`strata bench — ${machine.nproc} CPUs (${machine.cpu}), load average ${machine.loadAverage.map(it => it.toFixed(2)).join(' ')}, Node ${machine.node}; median of ${results.runs} fresh processes (at most 3 for large, e1000 and execute)`)
	printTable(results.rows)
	console.log('\nreplay cost per migration file (linear growth keeps this flat):')
	for (const it of results.linear) console.log(`  ${it.size.padEnd(7)} ${String(it.files).padStart(6)} files  ${it.replayMs.toFixed(0).padStart(6)} ms  ${(it.perFileMs * 1000).toFixed(0).padStart(5)} µs/file`)
}
