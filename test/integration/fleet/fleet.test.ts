/**
 * Fleets through the API against PostgreSQL: 50 tenants as schemas of one database plus 5
 * separate databases at concurrency 4 (tables in each tenant's schema, its ledger in its own),
 * one broken target that fails alone and completes after a fix, and two fleet runs at once.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { executeFleet, fleetDrift, fleetStatus, loadFleetTargets, loadProject, type FleetTarget, type StrataProject } from '../../../src/index.js'
import { useTestDatabase } from '../../helpers/database.js'
import { passwordUrl, TEST_PASSWORD } from '../db/cli.js'
import { blogHistory, projectWith } from '../db/fixtures.js'

const db = useTestDatabase('fleet')
vi.setConfig({ testTimeout: 120_000 })

const TENANTS = 50
const DATABASES = 5
const tenant = (index: number) => `tenant_${String(index).padStart(2, '0')}`

let url: string
let databases: string[]
let project: StrataProject
let admin: pg.Client

const query = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = [], on: pg.Client = admin) => (await on.query<R>(sql, params)).rows
const tablesIn = async (schema: string, on: pg.Client = admin) =>
	(await query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [schema], on)).map(row => row.table_name)
const ledgerVersions = async (schema: string, on: pg.Client = admin) =>
	(await query<{ version: string }>(`SELECT version FROM "${schema}".migrations ORDER BY version`, [], on)).map(row => row.version)

beforeAll(async () => {
	url = await passwordUrl(db.url)
	databases = await Promise.all(Array.from({ length: DATABASES }, async (_, index) => passwordUrl((await db.fresh(`d${index + 1}`)).url)))
	const targets = Object.fromEntries(databases.map((_, index) => [`db_${index + 1}`, { databaseUrlEnv: `FLEET_DB_${index + 1}` }]))
	const root = await projectWith(blogHistory(), { targets, targetsFrom: { file: 'tenants.txt' } })
	const lines = ['# one tenant a line: name, connection, schema', ...Array.from({ length: TENANTS }, (_, index) => `${tenant(index + 1)} ${url} ${tenant(index + 1)}`)]
	await writeFile(path.join(root, 'tenants.txt'), `${lines.join('\n')}\n`)
	project = await loadProject({ cwd: root })
	admin = await db.client()
}, 120_000)

describe('a fleet of 50 tenant schemas and 5 databases', () => {
	it('applies the history everywhere at concurrency 4: tables in the tenant schema, the ledger in its own, nothing in public', async () => {
		const env = Object.fromEntries(databases.map((database, index) => [`FLEET_DB_${index + 1}`, database]))
		const targets = await loadFleetTargets(project, { targets: 'all' }, env)
		expect(targets).toHaveLength(TENANTS + DATABASES)
		let running = 0
		let peak = 0
		const run = await executeFleet({
			project, targets, concurrency: 4,
			onTargetStart: () => (peak = Math.max(peak, ++running)),
			onTargetDone: () => running--,
		})
		expect(run.exitCode).toBe(0)
		expect(peak).toBe(4)
		expect(run.results.filter(result => result.outcome !== 'ok').map(result => result.error)).toEqual([])
		for (const result of run.results) expect(result.detail).toMatchObject({ before: 0, after: 3, applied: blogHistory().map(it => it.name) })
		expect(JSON.stringify(run)).not.toContain(TEST_PASSWORD)

		for (let index = 1; index <= TENANTS; index++) {
			expect(await tablesIn(tenant(index))).toEqual(['author', 'post'])
			expect(await ledgerVersions(`${tenant(index)}_strata`)).toHaveLength(3)
		}
		expect(await tablesIn('public')).toEqual([])
		expect((await query('SELECT 1 FROM pg_namespace WHERE nspname = $1', ['strata'])).length).toBe(0)
		for (const database of databases) {
			const client = new pg.Client({ connectionString: database })
			await client.connect()
			try {
				expect(await tablesIn('public', client)).toEqual(['author', 'post'])
				expect(await ledgerVersions('strata', client)).toHaveLength(3)
			} finally {
				await client.end()
			}
		}

		const status = await fleetStatus({ project, targets, concurrency: 4, check: true })
		expect(status.exitCode).toBe(0)
		expect(status.results.every(result => result.outcome === 'ok' && result.detail?.summary.executed === 3)).toBe(true)
		const drift = await fleetDrift({ project, targets: targets.filter(target => target.name.startsWith('tenant_0')), check: true })
		expect(drift.results.map(result => result.outcome)).toEqual(Array(9).fill('ok'))
		// a second run has nothing to do
		const again = await executeFleet({ project, targets, concurrency: 4 })
		expect(again.results.every(result => result.outcome === 'ok' && result.detail?.applied.length === 0)).toBe(true)
	})
})

describe('one broken target', () => {
	it('fails alone with its error; the others succeed; after a fix a re-run applies only it', async () => {
		const targets: FleetTarget[] = ['broken_a', 'broken_b', 'broken_c'].map(name => ({ name, database: url, schemaName: name, ledgerSchema: `${name}_strata`, createSchema: true }))
		await admin.query('CREATE SCHEMA broken_b; CREATE TABLE broken_b.post (hand_made int)')
		const run = await executeFleet({ project, targets, concurrency: 2 })
		expect(run.results.map(result => result.outcome)).toEqual(['ok', 'failed', 'ok'])
		expect(run.exitCode).toBe(2)
		const failed = run.results[1]!
		expect(failed.error?.code).toBe('MIGRATION_FAILED')
		expect(failed.error?.message).toContain('2024-01-02-100000-posts')
		expect(failed.error?.message).toMatch(/"post" already exists/)
		// the whole run of that target was one transaction: rolled back, nothing recorded
		expect(failed.detail).toMatchObject({ before: 0, after: 0, applied: [] })
		expect(await tablesIn('broken_b')).toEqual(['post'])

		await admin.query('DROP TABLE broken_b.post')
		const rerun = await executeFleet({ project, targets, concurrency: 2 })
		expect(rerun.exitCode).toBe(0)
		expect(rerun.results.map(result => result.detail?.applied.length)).toEqual([0, 3, 0])
		expect(await tablesIn('broken_b')).toEqual(['author', 'post'])
	})

	it('--fail-fast starts no target after the failure; --canary stops when a canary failed', async () => {
		const targets: FleetTarget[] = ['ff_a', 'ff_b', 'ff_c', 'ff_d'].map(name => ({ name, database: url, schemaName: name, ledgerSchema: `${name}_strata`, createSchema: true }))
		await admin.query('CREATE SCHEMA ff_a; CREATE TABLE ff_a.author (hand_made int)')
		const canary = await executeFleet({ project, targets, concurrency: 1, canary: 1 })
		expect(canary.results.map(result => result.outcome)).toEqual(['failed', 'skipped', 'skipped', 'skipped'])
		expect(canary.stopped).toBe('canary')
		const failFast = await executeFleet({ project, targets, concurrency: 1, failFast: true })
		expect(failFast.results.map(result => result.outcome)).toEqual(['failed', 'skipped', 'skipped', 'skipped'])
		expect(await tablesIn('ff_b')).toEqual([])
	})
})

describe('a dry run', () => {
	it('changes nothing: a new tenant\'s schema is not created, the whole history is reported as what would run', async () => {
		const targets: FleetTarget[] = [{ name: 'dry_new', database: url, schemaName: 'dry_new', ledgerSchema: 'dry_new_strata', createSchema: true }]
		const run = await executeFleet({ project, targets, dryRun: true, until: '2024-01-02-100000-posts' })
		expect(run.results[0]).toMatchObject({ outcome: 'ok', detail: { applied: ['2024-01-01-100000-authors', '2024-01-02-100000-posts'], schemaMissing: true } })
		expect((await query('SELECT 1 FROM pg_namespace WHERE nspname = ANY($1)', [['dry_new', 'dry_new_strata']])).length).toBe(0)
		const existing = await executeFleet({ project, targets: [{ ...targets[0]!, name: 'tenant_01', schemaName: 'tenant_01', ledgerSchema: 'tenant_01_strata' }], dryRun: true })
		expect(existing.results[0]).toMatchObject({ outcome: 'ok', detail: { before: 3, applied: [], after: 3 } })
	})
})

describe('two fleet runs at once', () => {
	it('apply every migration exactly once on every target', async () => {
		const targets: FleetTarget[] = Array.from({ length: 8 }, (_, index) => `twice_${index}`).map(name => ({ name, database: url, schemaName: name, ledgerSchema: `${name}_strata`, createSchema: true }))
		const [first, second] = await Promise.all([executeFleet({ project, targets, concurrency: 4 }), executeFleet({ project, targets: [...targets].reverse(), concurrency: 4 })])
		expect([...first.results, ...second.results].filter(result => result.outcome !== 'ok').map(result => result.error)).toEqual([])
		for (const target of targets) {
			const applied = [...first.results, ...second.results].filter(result => result.name === target.name).flatMap(result => result.detail!.applied)
			expect(applied.sort()).toEqual(blogHistory().map(it => it.name))
			const versions = await ledgerVersions(`${target.name}_strata`)
			expect(new Set(versions).size).toBe(3)
			expect(versions).toHaveLength(3)
		}
	})
})
