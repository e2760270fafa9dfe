/**
 * migrations:adopt-contember against real PostgreSQL: a database as Contember leaves it (tables
 * in stage_live, its registry in system.schema_migration with Contember's md5 checksums, strata's
 * ledger absent) is taken over without running anything; the newer file then runs with
 * migrations:execute --db-schema stage_live, and drift finds nothing. Files that do not match
 * what Contember executed, and tables that differ from the executed schema, are refused.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type pg from 'pg'
import { beforeAll, describe, expect, it } from 'vitest'
import { executeMigrations } from '../../../src/db/executor.js'
import { parseMigration } from '../../../src/migrations/files.js'
import { loadHistories } from '../../helpers/conformance.js'
import { useTestDatabase } from '../../helpers/database.js'
import { ensureBuilt, looksClean, runCli } from '../db/cli.js'

const db = useTestDatabase('adopt_contember')
const history = loadHistories().find(it => it.name === 'contember__starter-kits__headless-cms')!
/** Contember executed all but the newest file */
const deployed = history.migrations.slice(0, -1)
const newest = history.migrations[history.migrations.length - 1]!

beforeAll(() => {
	ensureBuilt()
})

/** Contember's registry shape (system.schema_migration), rows as its engine writes them */
const REGISTRY_SQL = `
	CREATE SCHEMA system;
	CREATE TYPE system."SCHEMA_MIGRATION_TYPE" AS ENUM ('schema', 'content');
	CREATE TABLE system.schema_migration (
		id int NOT NULL PRIMARY KEY,
		version varchar(20) NOT NULL UNIQUE,
		name varchar(255) NOT NULL UNIQUE,
		migration json NOT NULL,
		checksum char(32),
		executed_at timestamp NOT NULL DEFAULT now(),
		type system."SCHEMA_MIGRATION_TYPE" NOT NULL DEFAULT 'schema'
	);`

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex')

/** a database as Contember leaves it: the deployed migrations' tables in stage_live, the registry, a row of data */
const contemberDatabase = async (label: string): Promise<{ url: string; client: pg.Client }> => {
	const target = await db.fresh(label)
	const client = await target.client()
	await client.query('CREATE SCHEMA stage_live')
	// the tables Contember's engine created: the same SQL, run here by strata into stage_live, its scratch ledger dropped after
	await executeMigrations(client, deployed.map(it => parseMigration(`${it.name}.json`, it.raw)), { ledgerSchema: 'scratch_ledger', schemaName: 'stage_live' })
	await client.query('DROP SCHEMA scratch_ledger CASCADE')
	await client.query(REGISTRY_SQL)
	for (const [index, migration] of deployed.entries()) {
		const modifications = JSON.parse(migration.raw).modifications
		await client.query('INSERT INTO system.schema_migration (id, version, name, migration, checksum) VALUES ($1, $2, $3, $4, $5)',
			[index + 1, migration.name.slice(0, 17), migration.name, JSON.stringify({ formatVersion: migration.formatVersion, modifications }), md5(JSON.stringify(modifications))])
	}
	await client.query(`INSERT INTO system.schema_migration (id, version, name, migration, type) VALUES (100, '2022-01-13-090000', '2022-01-13-090000-seed', '{}', 'content')`)
	return { url: target.url, client }
}

const projectWith = async (migrations: readonly { name: string; raw: string }[]) => {
	const dir = await mkdtemp(path.join(tmpdir(), 'strata-adopt-'))
	await mkdir(path.join(dir, 'migrations'))
	for (const migration of migrations) await writeFile(path.join(dir, 'migrations', `${migration.name}.json`), migration.raw)
	return dir
}

const cli = async (cwd: string, args: readonly string[]) => {
	const result = await runCli(args, { cwd })
	expect(looksClean(result.stdout + result.stderr), result.stdout + result.stderr).toBe(true)
	return result
}

const ledger = async (client: pg.Client) =>
	(await client.query<{ name: string }>('SELECT name FROM strata.migrations ORDER BY version').catch(() => ({ rows: [] as { name: string }[] }))).rows.map(row => row.name)

describe('migrations:adopt-contember', () => {
	it('records what Contember executed without running it; the newer migration then runs in the stage schema', async () => {
		const { url, client } = await contemberDatabase('takeover')
		const cwd = await projectWith(history.migrations)
		const tables = (await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'stage_live' ORDER BY 1 LIMIT 1`)).rows[0]!.name
		const rowsBefore = (await client.query(`SELECT count(*)::int AS n FROM stage_live."${tables}"`)).rows

		const adopted = await cli(cwd, ['migrations:adopt-contember', '--database-url', url])
		expect(adopted.code, adopted.stdout + adopted.stderr).toBe(0)
		expect(adopted.stdout).toContain(`Recorded ${deployed.length} migrations (up to ${deployed[deployed.length - 1]!.name}) in strata.migrations as executed, without running them`)
		expect(adopted.stdout).toContain('1 newer migration pending: run "strata migrations:execute --db-schema stage_live"')
		expect(adopted.stderr).toContain('1 content migration in the registry (2022-01-13-090000-seed)')
		expect(await ledger(client)).toEqual(deployed.map(it => it.name))
		expect((await client.query(`SELECT count(*)::int AS n FROM stage_live."${tables}"`)).rows).toEqual(rowsBefore)

		const status = await cli(cwd, ['migrations:status', '--json', '--database-url', url])
		expect(JSON.parse(status.stdout).migrations.filter((it: { state: string }) => it.state !== 'executed').map((it: { name: string }) => it.name)).toEqual([newest.name])
		const execute = await cli(cwd, ['migrations:execute', '--yes', '--db-schema', 'stage_live', '--database-url', url])
		expect(execute.code, execute.stderr).toBe(0)
		expect(await ledger(client)).toEqual(history.migrations.map(it => it.name))
		const drift = await cli(cwd, ['db:drift', '--check', '--db-schema', 'stage_live', '--database-url', url])
		expect(drift.code, drift.stdout + drift.stderr).toBe(0)
		// nothing landed in public
		expect((await client.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).rows).toEqual([{ n: 0 }])

		const again = await cli(cwd, ['migrations:adopt-contember', '--database-url', url])
		expect(again.code).toBe(1)
		expect(again.stderr).toContain('this database was taken over already. Nothing was recorded.')
		await rm(cwd, { recursive: true, force: true })
	})

	it('refuses files that differ from what Contember executed, a missing registry, and tables that differ; recording nothing', async () => {
		const { url, client } = await contemberDatabase('refusals')
		// an executed file edited afterwards (its modifications reordered keys: Contember's checksum is key-order sensitive), another one missing
		const [first, second, ...rest] = history.migrations
		const edited = { ...second!, raw: JSON.stringify({ ...JSON.parse(second!.raw), modifications: JSON.parse(second!.raw).modifications.reverse() }, null, '\t') }
		const mismatched = await projectWith([first!, edited, ...rest.slice(1)])
		const refused = await cli(mismatched, ['migrations:adopt-contember', '--database-url', url])
		expect(refused.code).toBe(1)
		expect(refused.stderr).toContain(`${second!.name}.json › modifications: the file changed after Contember executed it`)
		expect(refused.stderr).toContain(`Contember executed ${rest[0]!.name}, but`)
		expect(refused.stderr).toContain('nothing was recorded')
		expect(await ledger(client)).toEqual([])

		const cwd = await projectWith(history.migrations)
		const noSchema = await cli(cwd, ['migrations:execute', '--yes', '--db-schema', 'nope', '--database-url', url])
		expect(noSchema.code).toBe(1)
		expect(noSchema.stderr).toContain('The schema nope (--db-schema, schemaName in the API) does not exist in this database. Nothing was executed.')
		const noRegistry = await cli(cwd, ['migrations:adopt-contember', '--system-schema', 'nope', '--database-url', url])
		expect(noRegistry.code).toBe(1)
		expect(noRegistry.stderr).toContain('There is no Contember registry nope.schema_migration in this database.')

		const table = (await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'stage_live' ORDER BY 1 LIMIT 1`)).rows[0]!.name
		await client.query(`ALTER TABLE stage_live."${table}" ADD COLUMN hand_made text`)
		const differs = await cli(cwd, ['migrations:adopt-contember', '--json', '--database-url', url])
		expect(differs.code).toBe(1)
		expect(JSON.parse(differs.stdout)).toMatchObject({ recorded: false, inSync: false, items: [{ kind: 'extraColumn', object: `${table}.hand_made` }] })
		expect(await ledger(client)).toEqual([])
		const ignoring = await cli(cwd, ['migrations:adopt-contember', '--ignore', `${table}.hand_made`, '--database-url', url])
		expect(ignoring.code, ignoring.stderr).toBe(0)
		expect(ignoring.stdout).toMatch(/Ignored \(--ignore .*\):\n\s+extra column/)
		await rm(mismatched, { recursive: true, force: true })
		await rm(cwd, { recursive: true, force: true })
	})
})
