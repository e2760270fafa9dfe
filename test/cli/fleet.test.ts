/**
 * Fleets through the spawned CLI: targets inline, through an environment variable and from a
 * targetsFrom command; the table and the --json document; a broken target's exit code; usage
 * errors; kill -9 in the middle of a fleet (every target at a migration boundary) and two runs
 * at once afterwards. Every run is checked for the password (runCli of test/integration/db/cli.ts).
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { Modification } from '../../src/modifications/types.js'
import { useTestDatabase } from '../helpers/database.js'
import { ensureBuilt, looksClean, passwordUrl, runCli, startCli } from '../integration/db/cli.js'
import { blogHistory, createEntity, projectWith } from '../integration/db/fixtures.js'

const db = useTestDatabase('cli_fleet')
vi.setConfig({ testTimeout: 120_000 })
beforeAll(() => ensureBuilt(), 300_000)

let url: string
let admin: pg.Client
beforeAll(async () => {
	url = await passwordUrl(db.url)
	admin = await db.client()
}, 60_000)

const tablesIn = async (schema: string) =>
	(await admin.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [schema])).rows.map(row => row.table_name)
const ledger = async (schema: string) =>
	(await admin.query<{ name: string }>(`SELECT name FROM "${schema}".migrations ORDER BY version`).catch(() => ({ rows: [] as { name: string }[] }))).rows.map(row => row.name)

/** three stage targets: through an env variable, inline, and a tenant from a targetsFrom command */
const stageProject = async (prefix: string) => projectWith(blogHistory(), {
	targets: {
		[`${prefix}_dev`]: { databaseUrlEnv: 'FLEET_URL', schema: `${prefix}_dev` },
		[`${prefix}_staging`]: { databaseUrl: url, schema: `${prefix}_staging` },
	},
	targetsFrom: { command: `printf '# tenants\\n${prefix}_tenant env:FLEET_URL ${prefix}_tenant\\n'` },
})

/** three migrations that each sleep 0.3 s, on `count` tenant schemas from a targetsFrom file */
const slowFleet = async (prefix: string, count: number) => {
	const slow = (name: string, table: string): { name: string; modifications: Modification[] } =>
		({ name, modifications: [{ modification: 'executeSql', sql: 'SELECT pg_sleep(0.3)' } as Modification, createEntity(name.slice(-1).toUpperCase(), table)] })
	const history = [slow('2024-01-01-100000-a', 'a'), slow('2024-01-02-100000-b', 'b'), slow('2024-01-03-100000-c', 'c')]
	const names = Array.from({ length: count }, (_, index) => `${prefix}_${index}`)
	const root = await projectWith(history, { targetsFrom: { file: 'targets.txt' } })
	await writeFile(path.join(root, 'targets.txt'), names.map(name => `${name} $FLEET_URL ${name}`).join('\n'))
	return { history, names, root, env: { FLEET_URL: url } }
}

/** waits until the targets' ledgers record at least `count` migrations in all */
const recordedAtLeast = async (names: readonly string[], count: number) => {
	for (let waited = 0; waited < 20_000; waited += 50) {
		let recorded = 0
		for (const name of names) recorded += (await ledger(`${name}_strata`)).length
		if (recorded >= count) return
		await new Promise(resolve => setTimeout(resolve, 50))
	}
}

/** every target's ledger rows are exactly the tables present (no half-applied migration); how many are not complete */
const incompleteTargets = async (names: readonly string[]) => {
	let incomplete = 0
	for (const name of names) {
		const recorded = await ledger(`${name}_strata`)
		expect(await tablesIn(name).catch(() => [])).toEqual(recorded.map(migration => migration.slice(-1)))
		if (recorded.length < 3) incomplete++
	}
	return incomplete
}

describe('fleet CLI', () => {
	it('runs on every target: live lines on stderr, the table, --json with one object per target; no secret anywhere', async () => {
		const root = await stageProject('s1')
		const env = { FLEET_URL: url }
		const table = await runCli(['migrations:execute', '--target', 's1_staging', '--yes'], { cwd: root, env })
		expect(table.code, table.stderr).toBe(0)
		expect(table.stderr).toMatch(/\[1\/1\] ✓ s1_staging\s+0 → 3 \(3 applied, schema s1_staging created\)/)
		expect(table.stdout).toMatch(/^target\s+before\s+applied\s+after\s+duration\s+outcome$/m)
		expect(table.stdout).toMatch(/^s1_staging\s+0\s+3\s+3\s+\d+ ms\s+ok$/m)

		const json = await runCli(['migrations:execute', '--targets', 'all', '--yes', '--json', '--concurrency', '2'], { cwd: root, env })
		expect(json.code, json.stderr).toBe(0)
		const document = JSON.parse(json.stdout)
		expect(document).toMatchObject({ ok: true, command: 'migrations:execute', exitCode: 0 })
		expect(document.targets.map((target: { name: string; applied: string[]; schema: string; ledgerSchema: string }) => [target.name, target.applied.length, target.schema, target.ledgerSchema])).toEqual([
			['s1_dev', 3, 's1_dev', 's1_dev_strata'], ['s1_staging', 0, 's1_staging', 's1_staging_strata'], ['s1_tenant', 3, 's1_tenant', 's1_tenant_strata'],
		])
		for (const schema of ['s1_dev', 's1_staging', 's1_tenant']) expect(await tablesIn(schema)).toEqual(['author', 'post'])

		const status = await runCli(['migrations:status', '--targets', 's1_*', '--check', '--json'], { cwd: root, env })
		expect(status.code, status.stderr).toBe(0)
		expect(JSON.parse(status.stdout).targets.map((target: { summary: object }) => target.summary)).toEqual(Array(3).fill({ executed: 3, pending: 0, broken: 0 }))
		await admin.query('ALTER TABLE s1_tenant.author ADD COLUMN by_hand int')
		const drift = await runCli(['db:drift', '--targets', 'all', '--check'], { cwd: root, env })
		expect(drift.code).toBe(3)
		expect(drift.stdout).toMatch(/^s1_tenant\s+1\s+\d+ ms\s+drift$/m)
	})

	it('a broken target fails alone with the failure\'s exit code and a clear report; fixed, a re-run applies only it', async () => {
		const root = await stageProject('s2')
		await admin.query('CREATE SCHEMA s2_staging; CREATE TABLE s2_staging.author (hand_made int)')
		const env = { FLEET_URL: url }
		const failed = await runCli(['migrations:execute', '--targets', 'all', '--yes'], { cwd: root, env })
		expect(failed.code).toBe(2)
		expect(looksClean(failed.stdout + failed.stderr)).toBe(true)
		expect(failed.stderr).toMatch(/✗ s2_staging\s+failed MIGRATION_FAILED: Migration 2024-01-01-100000-authors failed/)
		expect(failed.stdout).toMatch(/^s2_staging\s+0\s+0\s+0\s+\d+ ms\s+failed$/m)
		expect(failed.stdout).toContain('3 targets: 2 ok, 1 failed')
		expect(failed.stdout).toMatch(/relation "author" already exists/)

		await admin.query('DROP TABLE s2_staging.author')
		const rerun = await runCli(['migrations:execute', '--targets', 'all', '--yes', '--json'], { cwd: root, env })
		expect(rerun.code, rerun.stderr).toBe(0)
		expect(JSON.parse(rerun.stdout).targets.map((target: { applied: string[] }) => target.applied.length)).toEqual([0, 3, 0])
	})

	it('usage errors: --database-url with --target, an unset variable named with the config path, an unknown target, no --yes', async () => {
		const root = await stageProject('s3')
		const both = await runCli(['migrations:execute', '--target', 's3_dev', '--yes', '--database-url', url], { cwd: root, env: { FLEET_URL: url } })
		expect(both.code).toBe(1)
		expect(both.stderr).toContain('--database-url cannot be combined with --target/--targets')
		const unset = await runCli(['migrations:status', '--target', 's3_dev'], { cwd: root })
		expect(unset.code).toBe(1)
		expect(unset.stderr).toContain(`${path.join(root, 'strata.config.json')} /targets/s3_dev/databaseUrlEnv: environment variable FLEET_URL is not set.`)
		const unknown = await runCli(['migrations:status', '--target', 's3_stagin', '--json'], { cwd: root, env: { FLEET_URL: url } })
		expect(unknown.code).toBe(1)
		expect(JSON.parse(unknown.stdout).error).toMatchObject({ code: 'TARGET_NOT_FOUND' })
		expect(unknown.stderr).toContain('"s3_staging"')
		const noYes = await runCli(['migrations:execute', '--targets', 'all'], { cwd: root, env: { FLEET_URL: url } })
		expect(noYes.code).toBe(1)
		expect(noYes.stderr).toContain('--yes')
		const orphan = await runCli(['migrations:status', '--concurrency', '2'], { cwd: root })
		expect(orphan.code).toBe(1)
		expect(orphan.stderr).toContain('name the targets with --target')
	})

	it('no secret in any output: a URL printed by targetsFrom, a target that cannot connect, a failing targetsFrom command', async () => {
		const missing = new URL(url)
		missing.pathname = '/no_such_database_fleet'
		const root = await projectWith(blogHistory(), { targetsFrom: { command: 'cat list.txt' } })
		await writeFile(path.join(root, 'list.txt'), `good ${url} s4_good\nbad ${missing} s4_bad\n`)
		for (const args of [['migrations:execute', '--targets', 'all', '--yes'], ['migrations:status', '--targets', 'all', '--json'], ['db:drift', '--target', 'bad']]) {
			const result = await runCli(args, { cwd: root })
			expect(result.code).toBe(1)
			expect(result.stdout + result.stderr).toMatch(/no_such_database_fleet/)
		}
		const failing = await projectWith(blogHistory(), { targetsFrom: { command: 'cat list.txt; cat list.txt >&2; exit 3' } })
		await writeFile(path.join(failing, 'list.txt'), `good ${url} s4_good\n`)
		const result = await runCli(['migrations:status', '--targets', 'all'], { cwd: failing })
		expect(result.code).toBe(1)
		expect(result.stderr).toMatch(/targetsFrom\/command: the command exited with 3; no target was read/)
		expect(result.stderr).toContain('good postgresql://strata_pw_test:***@')
	})

	it('kill -9 mid-fleet leaves every target at a migration boundary; two re-runs at once complete it, each migration once', async () => {
		const { history, names, root, env } = await slowFleet('k', 6)
		const { child, done } = startCli(['migrations:execute', '--targets', 'all', '--yes', '--transaction', 'each', '--concurrency', '2'], { cwd: root, env })
		// kill once some migrations are committed, well before all 18 are
		await recordedAtLeast(names, 2)
		child.kill('SIGKILL')
		const killed = await done
		expect(killed.signal).toBe('SIGKILL')
		expect(await incompleteTargets(names)).toBeGreaterThan(0)

		const [first, second] = await Promise.all([
			runCli(['migrations:execute', '--targets', 'all', '--yes', '--json'], { cwd: root, env }),
			runCli(['migrations:execute', '--targets', 'all', '--yes', '--json', '--concurrency', '3'], { cwd: root, env }),
		])
		expect(first.code, first.stderr).toBe(0)
		expect(second.code, second.stderr).toBe(0)
		for (const name of names) {
			expect(await ledger(`${name}_strata`)).toEqual(history.map(it => it.name))
			expect(await tablesIn(name)).toEqual(['a', 'b', 'c'])
		}
	})

	it('Ctrl-C (SIGINT) mid-fleet: exit 130, one message, every target at a migration boundary, no session left; a re-run completes it', async () => {
		const { history, names, root, env } = await slowFleet('int', 4)
		const { child, done } = startCli(['migrations:execute', '--targets', 'all', '--yes', '--transaction', 'each', '--concurrency', '2'], { cwd: root, env })
		await recordedAtLeast(names, 1)
		child.kill('SIGINT')
		const interrupted = await done
		expect(interrupted.code, interrupted.stderr).toBe(130)
		expect(interrupted.stderr.match(/Interrupted/g)?.length ?? 0, interrupted.stderr).toBe(1)
		const sessions = async () => Number((await admin.query(`SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'strata migrations:execute%' AND datname = current_database()`)).rows[0].count)
		for (let waited = 0; waited < 10_000 && await sessions() > 0; waited += 100) await new Promise(resolve => setTimeout(resolve, 100))
		expect(await sessions(), 'no session of the interrupted run is left').toBe(0)
		expect(await incompleteTargets(names)).toBeGreaterThan(0)
		const rerun = await runCli(['migrations:execute', '--targets', 'all', '--yes'], { cwd: root, env })
		expect(rerun.code, rerun.stderr).toBe(0)
		for (const name of names) expect(await ledger(`${name}_strata`)).toEqual(history.map(it => it.name))
	})
})
