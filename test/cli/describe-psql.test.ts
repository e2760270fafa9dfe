/**
 * The acceptance check of issue 4: `migrations:describe <m> --sql-only` for every migration of
 * the example project, piped in order into `psql -v ON_ERROR_STOP=1` on an empty database,
 * executes cleanly and leaves the catalog the replayed schema describes. Also: `--database-url`
 * resolves the names PostgreSQL chose, where the offline script only has a comment.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readMigrations } from '../../src/migrations/files.js'
import { replay } from '../../src/migrations/replay.js'
import { catalogDifferences, readCatalog, resolveExpected } from '../helpers/catalog.js'
import { createScratchDatabase, releaseScratchServer, type ScratchDatabase } from '../helpers/sqlrunDatabase.js'
import { findPsqlMetaCommand } from '../../src/sql/psqlSafety.js'
import { repoRoot, runCli, tempProject } from './run.js'

const psql = (url: string, script: string) =>
	spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url], { input: script, encoding: 'utf8' })

let db: ScratchDatabase
beforeAll(async () => {
	db = await createScratchDatabase('describe_psql')
})
afterAll(async () => {
	await db?.close()
	await releaseScratchServer()
})

describe('migrations:describe --sql-only | psql', () => {
	it('runs every migration of the example project in order on an empty database', async () => {
		const cwd = mkdtempSync(join(tmpdir(), 'strata-describe-psql-'))
		cpSync(join(repoRoot, 'migrations'), join(cwd, 'migrations'), { recursive: true })
		const names = readdirSync(join(cwd, 'migrations')).filter(it => it.endsWith('.json')).sort().map(it => it.replace(/\.json$/, ''))
		expect(names.length).toBeGreaterThan(0)
		await db.client.query('CREATE SCHEMA example; SET search_path TO example')
		for (const name of names) {
			const described = runCli(['migrations:describe', name, '--sql-only'], { cwd })
			expect(described.stderr, name).toBe('')
			expect(described.code, name).toBe(0)
			const run = psql(db.url, `SET search_path TO example;\n${described.stdout}`)
			expect(run.stderr, `${name}:\n${described.stdout}`).toBe('')
			expect(run.status, name).toBe(0)
		}
		const schema = replay(await readMigrations(join(cwd, 'migrations')))
		expect(catalogDifferences(await resolveExpected(db.client, schema), await readCatalog(db.client, 'example'))).toEqual([])
		await db.client.query('SET search_path TO public')
	})

	it('--database-url resolves the foreign key name the offline script can only mention', async () => {
		const entity = (name: string, tableName: string) => ({
			name, primary: 'id', primaryColumn: 'id', tableName, unique: [], indexes: [], eventLog: { enabled: true },
			fields: { id: { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false } },
		})
		const cwd = tempProject({
			'migrations/2024-01-01-100000-init.json': {
				formatVersion: 6,
				modifications: [
					{ modification: 'createEntity', entity: entity('Category', 'category') },
					{ modification: 'createEntity', entity: entity('Post', 'post') },
					{ modification: 'createRelation', entityName: 'Post', owningSide: { name: 'category', type: 'ManyHasOne', target: 'Category', joiningColumn: { columnName: 'category_id', onDelete: 'restrict' }, nullable: true } },
				],
			},
			'migrations/2024-02-01-100000-cascade.json': {
				formatVersion: 6,
				modifications: [{ modification: 'updateRelationOnDelete', entityName: 'Post', fieldName: 'category', onDelete: 'cascade' }],
			},
		})
		const init = runCli(['migrations:describe', 'init', '--sql-only'], { cwd })
		expect(init.code).toBe(0)
		const run = psql(db.url, init.stdout)
		expect(run.stderr).toBe('')

		const offline = runCli(['migrations:describe', 'cascade', '--sql-only'], { cwd })
		expect(offline.code).toBe(0)
		expect(offline.stdout).not.toContain('DROP CONSTRAINT')
		expect(offline.stdout).toMatch(/^--.*/m)

		const live = runCli(['migrations:describe', 'cascade', '--sql-only', '--database-url', db.url], { cwd })
		expect(live.stderr).toBe('')
		expect(live.code).toBe(0)
		expect(live.stdout).toContain('ALTER TABLE "post" DROP CONSTRAINT "post_category_id_fkey";')
		expect(psql(db.url, live.stdout).stderr).toBe('')
		const actions = await db.client.query(`SELECT confdeltype::text AS action FROM pg_constraint WHERE conrelid = 'public.post'::regclass AND contype = 'f'`)
		expect(actions.rows).toEqual([{ action: 'c' }])
	})
})

describe('--sql-only never hands psql a meta-command', () => {
	const viewEntity = (sql: string) => ({
		name: 'Report', primary: 'id', primaryColumn: 'id', tableName: 'report', unique: [], indexes: [], eventLog: { enabled: true },
		fields: { id: { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false } },
		view: { sql },
	})
	const table = {
		name: 'Post', primary: 'id', primaryColumn: 'id', tableName: 'post', unique: [], indexes: [], eventLog: { enabled: true },
		fields: { id: { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false } },
	}

	it.each([
		['a view body line starting with \\!', (marker: string) => ({ modification: 'createView', entity: viewEntity(`SELECT gen_random_uuid() AS id\n\\! touch ${marker}\n`) })],
		['a meta-command after a quoted literal in a view body', (marker: string) => ({ modification: 'createView', entity: viewEntity(`SELECT 'x''y' AS id \\! touch ${marker}`) })],
		['an index predicate', (marker: string) => ({ modification: 'createIndex', entityName: 'Post', index: { fields: ['id'], where: `id IS NOT NULL \\! touch ${marker}` } })],
	])('refuses %s, names the step, prints nothing on stdout', (_, modification) => {
		const cwd = mkdtempSync(join(tmpdir(), 'strata-describe-meta-'))
		const marker = join(cwd, 'pwned')
		const project = tempProject({
			'migrations/2024-01-01-100000-init.json': { formatVersion: 6, modifications: [{ modification: 'createEntity', entity: table }, modification(marker)] },
		})
		const described = runCli(['migrations:describe', 'init', '--sql-only'], { cwd: project })
		expect(described.code, described.stderr).toBe(1)
		expect(described.stdout).toBe('')
		expect(described.stderr).toMatch(/(step 2 \(create(View|Index)\)|modification #1).*backslash outside a quoted string.*meta-command/s)
		// what the old code printed, piped into psql, ran the shell command; nothing reaches psql now
		psql(db.url, described.stdout)
		expect(existsSync(marker)).toBe(false)
	})

	it('still prints backslashes inside literals (regular expressions, LIKE escapes), and psql runs them as SQL', async () => {
		const project = tempProject({
			'migrations/2024-01-01-100000-init.json': {
				formatVersion: 6,
				modifications: [{ modification: 'createView', entity: viewEntity(`SELECT gen_random_uuid() AS id WHERE '12' ~ '^\\d+$' AND 'a_b' LIKE 'a\\_b'`) }],
			},
		})
		const described = runCli(['migrations:describe', 'init', '--sql-only'], { cwd: project })
		expect(described.stderr).toBe('')
		expect(described.stdout).toContain(`'^\\d+$'`)
		await db.client.query('CREATE SCHEMA literal_backslash')
		const run = psql(db.url, `SET search_path TO literal_backslash;\n${described.stdout}`)
		expect(run.stderr).toBe('')
		expect((await db.client.query(`SELECT count(*)::int AS n FROM literal_backslash.report`)).rows).toEqual([{ n: 1 }])
	})

	// psql's lexer is the authority: every sample the scanner flags, psql really runs as a meta-command
	it.each([
		'SELECT 1 \\echo METACOMMAND-RAN',
		"SELECT 'it''s' \\echo METACOMMAND-RAN",
		"SELECT 1 /* it's */ \\echo METACOMMAND-RAN",
		'SELECT $f$ x $f$ \\echo METACOMMAND-RAN',
		'SELECT 1 AS "a""b" \\echo METACOMMAND-RAN',
	])('the scanner and psql agree on %j', sql => {
		expect(findPsqlMetaCommand(sql)).toBeDefined()
		expect(psql(db.url, `${sql}\n;\n`).stdout).toContain('METACOMMAND-RAN')
	})
})
