/**
 * migrations:baseline against real PostgreSQL: a database built by hand (no ledger) that equals
 * the declared schema gets its first migration written and recorded as executed without running
 * it; one that differs is refused with the differences listed, writing and recording nothing
 * (unless --ignore leaves them out, as db:drift does).
 * The written file, executed on a fresh database, builds the same database.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type pg from 'pg'
import { beforeAll, describe, expect, it } from 'vitest'
import { detectDrift } from '../../../src/db/drift.js'
import { readMigrations } from '../../../src/migrations/files.js'
import { describeMigration, migrationSqlScript } from '../../../src/migrations/describe.js'
import { applyModifications } from '../../../src/modifications/fold.js'
import { loadDeclaredSchema } from '../../../src/schema/loader.js'
import { emptySchema } from '../../../src/schema/model.js'
import { useTestDatabase } from '../../helpers/database.js'
import { ensureBuilt, looksClean, ROOT, runCli } from '../db/cli.js'

const db = useTestDatabase('baseline')
let legacySql = ''
let declaredJson = ''

beforeAll(async () => {
	ensureBuilt()
	// the example project's tables, created by plain SQL as another tool (or a person) would have
	let schema = emptySchema
	const parts: string[] = []
	for (const file of await readMigrations(path.join(ROOT, 'migrations'))) {
		parts.push(migrationSqlScript(describeMigration(schema, file)))
		schema = applyModifications(schema, file.modifications, file.formatVersion)
	}
	legacySql = parts.join('')
	// the example's declared schema as JSON: its schema/index.ts imports 'strata/schema', which only resolves inside this repository
	declaredJson = JSON.stringify((await loadDeclaredSchema({ root: ROOT })).schema, null, '\t')
}, 180_000)

/** a project with the example's declared schema and no migrations */
const newProject = async () => {
	const dir = await mkdtemp(path.join(tmpdir(), 'strata-baseline-'))
	await mkdir(path.join(dir, 'schema'))
	await writeFile(path.join(dir, 'schema', 'schema.json'), declaredJson)
	return dir
}

const legacyDatabase = async (label: string): Promise<{ url: string; client: pg.Client }> => {
	const target = await db.fresh(label)
	const client = await target.client()
	await client.query(legacySql)
	await client.query(`INSERT INTO "author" ("id", "name", "email", "created_at") VALUES (gen_random_uuid(), 'Ada', 'ada@example.com', now())`)
	return { url: target.url, client }
}

const cli = async (cwd: string, args: readonly string[]) => {
	const result = await runCli(args, { cwd })
	expect(looksClean(result.stdout + result.stderr), result.stdout + result.stderr).toBe(true)
	return result
}

const ledgerNames = async (client: pg.Client) =>
	(await client.query<{ name: string }>(`SELECT name FROM strata.migrations ORDER BY version`).catch(() => ({ rows: [] as { name: string }[] }))).rows.map(row => row.name)

describe('migrations:baseline', () => {
	it('writes the initial migration and records it as executed when the database equals the declared schema', async () => {
		const cwd = await newProject()
		const { url, client } = await legacyDatabase('equal')
		const result = await cli(cwd, ['migrations:baseline', 'initial', '--database-url', url])
		expect(result.code, result.stderr).toBe(0)
		expect(result.stdout).toMatch(/Wrote .*-initial\.json \(\d+ modifications\) and recorded it in strata\.migrations as executed, without running it/)
		const written = await readdir(path.join(cwd, 'migrations'))
		expect(written).toHaveLength(1)
		expect(await ledgerNames(client)).toEqual([written[0]!.replace(/\.json$/, '')])
		// nothing ran: the row is still there, and there is nothing left to execute or drifting
		expect((await client.query('SELECT name FROM author')).rows).toEqual([{ name: 'Ada' }])
		const status = await cli(cwd, ['migrations:status', '--check', '--database-url', url])
		expect(status.code, status.stdout + status.stderr).toBe(0)
		const drift = await cli(cwd, ['db:drift', '--check', '--database-url', url])
		expect(drift.code, drift.stdout).toBe(0)
		const execute = await cli(cwd, ['migrations:execute', '--yes', '--database-url', url])
		expect(execute.stdout).toContain('No migrations to execute')
		const validate = await cli(cwd, ['project:validate'])
		expect(validate.code, validate.stdout + validate.stderr).toBe(0)

		// the written file, executed on a fresh database, builds a database without drift
		const fresh = await db.fresh('replayed')
		const run = await cli(cwd, ['migrations:execute', '--yes', '--database-url', fresh.url])
		expect(run.code, run.stderr).toBe(0)
		const freshClient = await fresh.client()
		expect((await detectDrift(freshClient, { migrationsDir: path.join(cwd, 'migrations') })).items).toEqual([])
		await rm(cwd, { recursive: true, force: true })
	})

	it('refuses, listing the differences, when the database differs; nothing is written or recorded', async () => {
		const cwd = await newProject()
		const { url, client } = await legacyDatabase('differs')
		await client.query(`ALTER TABLE "post" DROP COLUMN "lead"`)
		await client.query(`CREATE TABLE "audit_log" ("id" serial PRIMARY KEY)`)
		const result = await cli(cwd, ['migrations:baseline', 'initial', '--database-url', url])
		expect(result.code).toBe(1)
		expect(result.stdout).toMatch(/The database differs from the declared schema .* in 2 places/)
		expect(result.stdout).toMatch(/missing column\s+post\.lead/)
		expect(result.stdout).toMatch(/extra table\s+audit_log/)
		expect(result.stderr).toContain('Nothing was written or recorded.')
		expect(await readdir(path.join(cwd, 'migrations')).catch(() => [])).toEqual([])
		expect(await ledgerNames(client)).toEqual([])
		const json = await cli(cwd, ['migrations:baseline', 'initial', '--json', '--database-url', url])
		expect(json.code).toBe(1)
		const document = JSON.parse(json.stdout)
		expect(document).toMatchObject({ recorded: false, inSync: false })
		expect(document.items.map((item: { object: string }) => item.object).sort()).toEqual(['audit_log', 'post.lead'])

		// --ignore leaves out what the declared schema does not manage, as db:drift does, and says so
		const ignoring = await cli(cwd, ['migrations:baseline', 'initial', '--ignore', 'audit_*', '--database-url', url])
		expect(ignoring.code).toBe(1)
		expect(ignoring.stdout).toMatch(/in 1 place:/)
		expect(ignoring.stdout).toMatch(/Ignored \(--ignore audit_\*\):\n\s+extra table\s+audit_log/)
		await client.query(`ALTER TABLE "post" ADD COLUMN "lead" text`)
		const recorded = await cli(cwd, ['migrations:baseline', 'initial', '--ignore', 'audit_*', '--database-url', url])
		expect(recorded.code, recorded.stderr).toBe(0)
		expect(recorded.stdout).toMatch(/Ignored \(--ignore audit_\*\):\n\s+extra table\s+audit_log/)
		expect(await ledgerNames(client)).toHaveLength(1)
		const drift = await cli(cwd, ['db:drift', '--check', '--ignore', 'audit_*', '--database-url', url])
		expect(drift.code, drift.stdout).toBe(0)
		await rm(cwd, { recursive: true, force: true })
	})

	it('refuses a project that has migrations, and a ledger that records any', async () => {
		const cwd = await newProject()
		const { url, client } = await legacyDatabase('twice')
		expect((await cli(cwd, ['migrations:baseline', 'initial', '--database-url', url])).code).toBe(0)
		const again = await cli(cwd, ['migrations:baseline', 'initial', '--database-url', url])
		expect(again.code).toBe(1)
		expect(again.stderr).toMatch(/already holds 1 migration .*a baseline writes the first one\. Nothing was written or recorded\./)
		await rm(path.join(cwd, 'migrations'), { recursive: true })
		const ledgerKept = await cli(cwd, ['migrations:baseline', 'initial', '--database-url', url])
		expect(ledgerKept.code).toBe(1)
		expect(ledgerKept.stderr).toMatch(/The ledger strata\.migrations already records 1 executed migration/)
		expect(await readdir(path.join(cwd, 'migrations')).catch(() => [])).toEqual([])
		expect(await ledgerNames(client)).toHaveLength(1)
		await rm(cwd, { recursive: true, force: true })
	})
})
