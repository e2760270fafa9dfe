#!/usr/bin/env node
// `npm run bench`: times strata on a workload made by bench/make-workload.mjs (generated once per
// size and seed into node_modules/.cache/strata-bench), each operation in a fresh node process,
// median of several runs. Imports the built dist/ (`npm ci` builds it; else `npm run build`).
//
//   node bench/run.mjs [--runs 5] [--seed 1]          the targets table (targets.mjs), bench/results.json
//   node bench/run.mjs [--size small|medium|large|e100|e1000] [--seed 1] [--runs 5] --ops floor,parse,replay,...
//
// Ops (see bench/README.md):
//   floor     list migrations/, read every file (readFileSync), JSON.parse it (no replay can beat this)
//   parse     strata's readMigrations: read + JSON.parse + ajv validation of every modification + checksums
//   replay    (a) parse + replay every file; also reports the replay alone and whether it equals the
//             generator's own model (expected/replayed-schema.json)
//   diff      (b) diffSchemas(replayed, schema/schema.json), timed apart from the replay it needs
//   sql       (c) SQL of every modification of every migration from the empty schema (includes reading)
//   sqlDiff   (d) SQL of the pending diff against the replayed schema
//   validate  (e') replay, validate the final schema, attribute problems (what project:validate does)
//   validateEach (e) replay and validate the schema after every migration (project:validate --each-migration;
//             slow, so not in the default list)
//   execute   (f) migrations:execute of the whole history on a fresh PostgreSQL database; only when
//             STRATA_BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a server that answers, else the
//             row is left out
//   fleet     migrations:execute of the first 10 migrations into 50 schemas of one new database: one fleet
//             run (--targets all, concurrency 4) against 50 sequential single runs (--db-schema); not in
//             the default list: `--ops fleet --size small`; needs a server like execute
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dist = file => pathToFileURL(join(root, 'dist', file)).href
const ALL_OPS = ['floor', 'parse', 'replay', 'diff', 'sql', 'sqlDiff', 'validate', 'execute']
const databaseUrl = () => process.env.STRATA_BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL

const arg = (name, fallback) => {
	const index = process.argv.indexOf(`--${name}`)
	return index === -1 ? fallback : process.argv[index + 1]
}

// ---------------------------------------------------------------------------------------------
// child: one operation, prints { ms, extra } as JSON on the last line

const worker = async (op, dir) => {
	const migrationsDir = join(dir, 'migrations')
	const now = () => performance.now()
	const { readMigrations } = await import(dist('migrations/files.js'))
	const { replay, validateHistory } = await import(dist('migrations/replay.js'))
	const { foldModifications } = await import(dist('modifications/fold.js'))
	const { schemaDifferences } = await import(dist('schema/compare.js'))
	const loadDiff = async () => (existsSync(join(root, 'dist/diff/diffSchemas.js')) ? (await import(dist('diff/diffSchemas.js'))).diffSchemas : undefined)
	// CPU time next to wall time: the numbers stay comparable on a busy machine
	const cpu = () => { const usage = process.cpuUsage(); return (usage.user + usage.system) / 1000 }
	const cpuStart = cpu()
	const result = extra => process.stdout.write(`\n${JSON.stringify({ ...extra, cpuMs: cpu() - cpuStart })}\n`)

	if (op === 'floor') {
		const start = now()
		const names = (await readdir(migrationsDir)).filter(it => it.endsWith('.json')).sort()
		// one file after another: for thousands of small files the fastest way Node has (see src/migrations/store.ts)
		const parsed = names.map(name => JSON.parse(readFileSync(join(migrationsDir, name), 'utf8')))
		return result({ ms: now() - start, files: parsed.length })
	}
	if (op === 'parse') {
		const start = now()
		const files = await readMigrations(migrationsDir)
		return result({ ms: now() - start, files: files.length, modifications: files.reduce((n, f) => n + f.modifications.length, 0) })
	}
	if (op === 'replay') {
		const start = now()
		const files = await readMigrations(migrationsDir)
		const replayStart = now()
		const replayCpu = cpu()
		const schema = replay(files)
		const end = now()
		const replayOnlyCpuMs = cpu() - replayCpu
		const expected = JSON.parse(readFileSync(join(dir, 'expected/replayed-schema.json'), 'utf8'))
		const differences = schemaDifferences(expected, schema)
		return result({ ms: end - start, replayOnlyMs: end - replayStart, replayOnlyCpuMs, entities: Object.keys(schema.model.entities).length, matchesExpected: differences.length === 0, differences: differences.slice(0, 5) })
	}
	if (op === 'diff' || op === 'sqlDiff') {
		const diffSchemas = await loadDiff()
		if (!diffSchemas) return result({ skipped: 'src/diff is not built' })
		const schema = replay(await readMigrations(migrationsDir))
		const start = now()
		const diffCpu = cpu()
		const declared = JSON.parse(await readFile(join(dir, 'schema/schema.json'), 'utf8'))
		const { modifications } = diffSchemas(schema, declared)
		const diffMs = now() - start
		if (op === 'diff') return result({ ms: diffMs, opCpuMs: cpu() - diffCpu, modifications: modifications.length })
		const sqlStart = now()
		const sqlCpu = cpu()
		const { steps } = foldModifications(schema, modifications, { formatVersion: 6 })
		const sql = steps.map(step => step.sql.toString()).join('\n')
		return result({ ms: now() - sqlStart, opCpuMs: cpu() - sqlCpu, modifications: modifications.length, sqlBytes: sql.length })
	}
	if (op === 'sql') {
		const start = now()
		const files = await readMigrations(migrationsDir)
		let schema = undefined
		let bytes = 0
		const { emptySchema } = await import(dist('schema/model.js'))
		schema = emptySchema
		for (const file of files) {
			const folded = foldModifications(schema, file.modifications, { formatVersion: file.formatVersion })
			for (const step of folded.steps) bytes += step.sql.toString().length
			schema = folded.schema
		}
		return result({ ms: now() - start, sqlBytes: bytes })
	}
	if (op === 'validate' || op === 'validateEach') {
		const start = now()
		const files = await readMigrations(migrationsDir)
		const { problems } = validateHistory(files, { each: op === 'validateEach' })
		return result({ ms: now() - start, problems: problems.length })
	}
	if (op === 'execute') {
		const { default: pg } = await import('pg')
		const { executeMigrations } = await import(dist('db/executor.js'))
		const files = await readMigrations(migrationsDir)
		const admin = new pg.Client({ connectionString: databaseUrl(), connectionTimeoutMillis: 5_000 })
		await admin.connect()
		const database = `strata_bench_${process.pid}_${Date.now()}`
		await admin.query(`CREATE DATABASE "${database}"`)
		const url = new URL(databaseUrl())
		url.pathname = `/${database}`
		const client = new pg.Client({ connectionString: url.toString() })
		try {
			await client.connect()
			client.on('notice', () => undefined)
			const start = now()
			const { executed } = await executeMigrations(client, files, { ledgerSchema: 'strata' })
			return result({ ms: now() - start, executed: executed.length, statements: executed.reduce((n, it) => n + it.statements, 0) })
		} finally {
			await client.end().catch(() => undefined)
			await admin.query(`DROP DATABASE IF EXISTS "${database}"`)
			await admin.end()
		}
	}
	if (op === 'fleet') return result(await fleetCase(dir, now))
	throw new Error(`unknown op ${op}`)
}

/**
 * The fleet case: the first FLEET_MIGRATIONS migrations of the workload into FLEET_TARGETS schemas
 * of one new database, once as one fleet run of the CLI, once as that many single runs one after
 * another (what a shell loop does); each in a database of its own.
 */
const FLEET_TARGETS = 50
const FLEET_MIGRATIONS = 10
const fleetCase = async (dir, now) => {
	const { default: pg } = await import('pg')
	const { mkdtempSync, rmSync } = await import('node:fs')
	const { tmpdir } = await import('node:os')
	const migrationsDir = join(dir, 'migrations')
	const until = readdirSync(migrationsDir).filter(name => name.endsWith('.json')).sort()[FLEET_MIGRATIONS - 1].replace(/\.json$/, '')
	const cli = join(root, 'dist/cli/main.js')
	const admin = new pg.Client({ connectionString: databaseUrl(), connectionTimeoutMillis: 5_000 })
	await admin.connect()
	const scratch = mkdtempSync(join(tmpdir(), 'strata-bench-fleet-'))
	const made = []
	const fresh = async label => {
		const name = `strata_bench_${label}_${process.pid}_${Date.now()}`
		await admin.query(`CREATE DATABASE "${name}"`)
		made.push(name)
		const url = new URL(databaseUrl())
		url.pathname = `/${name}`
		return url.toString()
	}
	const cliRun = (args, env = {}) => {
		const child = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 })
		if (child.status !== 0) throw new Error(`strata ${args.join(' ')} exited ${child.status}:\n${child.stderr.slice(0, 2000)}`)
	}
	try {
		const schemas = Array.from({ length: FLEET_TARGETS }, (_, index) => `tenant_${index}`)
		const fleetUrl = await fresh('fleet')
		writeFileSync(join(scratch, 'targets.txt'), schemas.map(schema => `${schema} env:BENCH_FLEET_URL ${schema}`).join('\n'))
		writeFileSync(join(scratch, 'strata.config.json'), JSON.stringify({ migrationsDir, targetsFrom: { file: 'targets.txt' } }))
		const fleetStart = now()
		cliRun(['migrations:execute', '--cwd', scratch, '--targets', 'all', '--yes', '--until', until, '--concurrency', '4'], { BENCH_FLEET_URL: fleetUrl })
		const fleetMs = now() - fleetStart

		const singleUrl = await fresh('single')
		const single = new pg.Client({ connectionString: singleUrl })
		await single.connect()
		for (const schema of schemas) await single.query(`CREATE SCHEMA "${schema}"`)
		await single.end()
		const singleConfig = join(scratch, 'single.json')
		writeFileSync(singleConfig, JSON.stringify({ migrationsDir }))
		const sequentialStart = now()
		for (const schema of schemas) {
			cliRun(['migrations:execute', '--config', singleConfig, '--database-url', singleUrl, '--db-schema', schema, '--ledger-schema', `${schema}_strata`, '--yes', '--until', until])
		}
		const sequentialMs = now() - sequentialStart
		return { ms: fleetMs, targets: FLEET_TARGETS, migrations: FLEET_MIGRATIONS, sequentialMs: Math.round(sequentialMs), speedup: Number((sequentialMs / fleetMs).toFixed(1)) }
	} finally {
		for (const name of made) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
		await admin.end()
		rmSync(scratch, { recursive: true, force: true })
	}
}

// ---------------------------------------------------------------------------------------------
// parent: workload, runs, report

/** the generator's own source: a cached workload is regenerated when the generator changes */
const generatorHash = () => {
	const hash = createHash('sha256')
	const sources = [join(root, 'bench/make-workload.mjs'), ...readdirSync(join(root, 'bench/workload')).sort().map(name => join(root, 'bench/workload', name))]
	for (const file of sources) hash.update(readFileSync(file))
	return hash.digest('hex').slice(0, 12)
}

/** the growth series next to the presets: 20 migrations per 3 entities, as medium and large have */
const SERIES = {
	e100: { entities: 100, migrations: 667, pending: 50 },
	e1000: { entities: 1000, migrations: 6667, pending: 50 },
}

const ensureWorkload = async (size, seed) => {
	const { SIZES, writeWorkload } = await import(pathToFileURL(join(root, 'bench/make-workload.mjs')).href)
	const parameters = SIZES[size] ?? SERIES[size]
	if (!parameters) throw new Error(`--size must be one of ${[...Object.keys(SIZES), ...Object.keys(SERIES)].join(', ')}`)
	const dir = join(root, 'node_modules/.cache/strata-bench', `${size}-seed${seed}-${generatorHash()}`)
	if (existsSync(join(dir, 'workload.json'))) return dir
	process.stderr.write(`generating the ${size} workload (seed ${seed}) into ${dir}\n`)
	writeWorkload({ ...parameters, seed }, dir, { force: true })
	return dir
}

/** new empty databases on the server the execute rows use, each dropped after its run */
const databases = async () => {
	const { default: pg } = await import('pg')
	return {
		fresh: async () => {
			const admin = new pg.Client({ connectionString: databaseUrl(), connectionTimeoutMillis: 5_000 })
			await admin.connect()
			const name = `strata_bench_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`
			await admin.query(`CREATE DATABASE "${name}"`)
			const url = new URL(databaseUrl())
			url.pathname = `/${name}`
			return {
				url: url.toString(),
				drop: async () => {
					await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
					await admin.end()
				},
			}
		},
	}
}

/** the SQL of every migration of a workload, one script (what psql -1 -f runs as the execute floor) */
const sqlScript = async dir => {
	const { readMigrations } = await import(dist('migrations/files.js'))
	const { describeMigration, migrationSqlScript } = await import(dist('migrations/describe.js'))
	const { applyModifications } = await import(dist('modifications/fold.js'))
	const { emptySchema } = await import(dist('schema/model.js'))
	let schema = emptySchema
	const parts = []
	for (const file of await readMigrations(join(dir, 'migrations'))) {
		parts.push(migrationSqlScript(describeMigration(schema, file, { locks: false })))
		schema = applyModifications(schema, file.modifications, file.formatVersion)
	}
	return parts.join('')
}

/** why the execute row is left out, or undefined when a server answers */
const executeUnavailable = async () => {
	if (!databaseUrl()) return 'no PostgreSQL: set STRATA_BENCH_DATABASE_URL to an admin URL to time migrations:execute'
	const { default: pg } = await import('pg')
	const client = new pg.Client({ connectionString: databaseUrl(), connectionTimeoutMillis: 5_000 })
	try {
		await client.connect()
		return undefined
	} catch (error) {
		return `PostgreSQL at STRATA_BENCH_DATABASE_URL / TEST_DATABASE_URL does not answer (${error.message})`
	} finally {
		await client.end().catch(() => undefined)
	}
}

const median = values => {
	const sorted = [...values].sort((a, b) => a - b)
	return sorted[Math.floor(sorted.length / 2)]
}

const runOp = (op, dir) => {
	const start = performance.now()
	const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--worker', op, '--dir', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
	const wall = performance.now() - start
	if (child.status !== 0) throw new Error(`${op} failed:\n${child.stderr}`)
	const lines = child.stdout.trim().split('\n')
	return { ...JSON.parse(lines[lines.length - 1]), wall }
}

const main = async () => {
	if (!existsSync(join(root, 'dist/migrations/files.js'))) throw new Error('dist/ is missing: run `npm run build` first')
	const seed = arg('seed', '1')
	const runs = Number(arg('runs', '5'))
	if (arg('ops') === undefined && arg('size') === undefined) {
		const { printTargets, runTargets } = await import(pathToFileURL(join(root, 'bench/targets.mjs')).href)
		const results = await runTargets({ root, runs, workload: size => ensureWorkload(size, seed), runOp, executeUnavailable, databases, sqlScript })
		printTargets(results)
		writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify({ measuredAt: new Date().toISOString(), seed, ...results }, null, '\t')}\n`)
		console.log('\nwritten to bench/results.json')
		return
	}
	const size = arg('size', 'medium')
	const ops = arg('ops', ALL_OPS.join(',')).split(',')
	const dir = await ensureWorkload(size, seed)
	const workload = JSON.parse(readFileSync(join(dir, 'workload.json'), 'utf8'))
	const fileCount = readdirSync(join(dir, 'migrations')).length
	console.log(`strata bench: ${size} workload, seed ${seed}: ${fileCount} files, ${workload.counts?.modifications ?? workload.modifications ?? '?'} modifications; median of ${runs} fresh processes`)
	console.log(`${'op'.padEnd(10)} ${'in-process'.padStart(12)} ${'cpu'.padStart(10)} ${'wall'.padStart(10)}  notes`)
	for (const op of ops) {
		if (op === 'execute' || op === 'fleet') {
			const unavailable = await executeUnavailable()
			if (unavailable) {
				console.log(`(${op} left out: ${unavailable})`)
				continue
			}
		}
		const results = []
		for (let i = 0; i < runs; i++) {
			const result = runOp(op, dir)
			results.push(result)
			if (result.skipped || (i === 2 && result.wall > 20_000) || ((op === 'execute' || op === 'fleet') && result.wall > 60_000)) break
		}
		const first = results[0]
		if (first.skipped) {
			console.log(`${op.padEnd(10)} ${'skipped'.padStart(12)} ${''.padStart(10)}  ${first.skipped}`)
			continue
		}
		const notes = Object.entries(first)
			.filter(([key]) => !['ms', 'wall', 'replayOnlyMs', 'replayOnlyCpuMs', 'cpuMs', 'opCpuMs'].includes(key))
			.map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : value}`)
		if (first.replayOnlyMs !== undefined) notes.unshift(`replay alone ${median(results.map(it => it.replayOnlyMs)).toFixed(0)} ms (cpu ${median(results.map(it => it.replayOnlyCpuMs)).toFixed(0)} ms)`)
		// diff and sqlDiff time only their own step; the replay they need is not counted
		const cpuMs = first.opCpuMs !== undefined ? median(results.map(it => it.opCpuMs)) : median(results.map(it => it.cpuMs))
		console.log(`${op.padEnd(10)} ${`${median(results.map(it => it.ms)).toFixed(0)} ms`.padStart(12)} ${`${cpuMs.toFixed(0)} ms`.padStart(10)} ${`${median(results.map(it => it.wall)).toFixed(0)} ms`.padStart(10)}  ${notes.join(', ')}`)
	}
}

if (process.argv.includes('--worker')) await worker(arg('worker'), arg('dir'))
else await main()
