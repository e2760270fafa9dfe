/**
 * `migrations:lint`, spawned: text grouped by migration, --json, --check exit codes and
 * --fail-on, suppressions with their reason, a bad suppression (exit 1, file and path, no stack
 * trace); and, against a real database, L001 with the table sizes of an analysed table and the
 * pending migrations as the default selection.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScratchDatabase, releaseScratchServer, type ScratchDatabase } from '../helpers/sqlrunDatabase.js'
import { hasStackTrace, runCli, tempProject } from './run.js'

const uuid = { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false }
const entity = (name: string, tableName: string) => ({ name, primary: 'id', primaryColumn: 'id', tableName, fields: { id: uuid }, unique: [], indexes: [], eventLog: { enabled: true } })
const integer = (name: string) => ({ name, columnName: name, type: 'Integer', columnType: 'integer', nullable: true })
const GROW = 'migrations/2024-02-01-100000-grow.json'

/** init: post (views integer); grow: views → bigint (L002), an index (L007) */
const project = (strata?: object) =>
	tempProject({
		'migrations/2024-01-01-100000-init.json': {
			formatVersion: 6,
			modifications: [{ modification: 'createEntity', entity: entity('Post', 'post') }, { modification: 'createColumn', entityName: 'Post', field: integer('views') }],
		},
		[GROW]: {
			formatVersion: 6,
			modifications: [
				{ modification: 'updateColumnDefinition', entityName: 'Post', fieldName: 'views', definition: { type: 'Integer', columnType: 'bigint', nullable: true } },
				{ modification: 'createIndex', entityName: 'Post', index: { fields: ['views'] } },
			],
			...(strata ? { strata } : {}),
		},
	})

interface FindingJson { code: string; severity: string; migration: string; modification: number; statement: string | null; table: string | null; message: string; suppressed: boolean; reason: string | null }

describe('migrations:lint', () => {
	it('prints the findings grouped by migration and modification, with what to do instead; exit 0 without --check', () => {
		const { code, stdout, stderr } = runCli(['migrations:lint'], { cwd: project() })
		expect(code).toBe(0)
		expect(stdout).toMatch(/Migration 2024-02-01-100000-grow\n {2}#0 \[updateColumnDefinition\]\n {3}warning L002: rewrites table "post"/)
		expect(stdout).toMatch(/#1 \[createIndex\]\n {3}warning L007: builds an index on "post" under SHARE without CONCURRENTLY/)
		expect(stdout).toContain('instead: Build the index beforehand with CREATE INDEX CONCURRENTLY')
		expect(stdout).toContain('2 migrations linted: 2 findings (2 warnings)')
		expect(stdout).not.toContain('2024-01-01-100000-init') // a new table has nothing to lint
		expect(stderr).toContain('"strata": { "lint": { "allow": [{ "code": "L002", "modification": 0, "reason": "…" }] } }')
	})

	it('--json: every finding with code, severity, migration, modification, statement, table, message and suppression', () => {
		const { code, stdout } = runCli(['migrations:lint', 'grow', '--json'], { cwd: project({ lint: { allow: [{ code: 'L007', modification: 1, reason: 'post has 200 rows' }] } }) })
		expect(code).toBe(0)
		const result = JSON.parse(stdout) as { migrations: string[]; findings: FindingJson[]; failed: boolean }
		expect(result.migrations).toEqual(['2024-02-01-100000-grow'])
		expect(result.findings).toEqual([
			expect.objectContaining({ code: 'L002', severity: 'warning', migration: '2024-02-01-100000-grow', modification: 0, table: 'post', statement: expect.stringContaining('SET DATA TYPE bigint'), suppressed: false, reason: null }),
			expect.objectContaining({ code: 'L007', modification: 1, statement: 'CREATE INDEX ON "post" ("views");', suppressed: true, reason: 'post has 200 rows' }),
		])
		expect(result.failed).toBe(true)
	})

	it('--check exits 3 on an unsuppressed finding at or above --fail-on; suppressed findings are listed with their reason and do not fail', () => {
		expect(runCli(['migrations:lint', '--check'], { cwd: project() }).code).toBe(3)
		expect(runCli(['migrations:lint', '--check', '--fail-on', 'error'], { cwd: project() }).code).toBe(0)
		const allowed = runCli(['migrations:lint', '--check'], { cwd: project({ lint: { allow: [{ code: 'L002', reason: 'quiet window on Sunday' }, { code: 'L007', reason: 'post is small' }] } }) })
		expect(allowed.code).toBe(0)
		expect(allowed.stdout).toContain('allowed L002 (warning): rewrites table "post"')
		expect(allowed.stdout).toContain('reason: quiet window on Sunday')
		expect(allowed.stdout).toContain('0 findings, 2 allowed')
	})

	it('a bad suppression is exit 1 naming the file and the JSON path, without a stack trace', () => {
		const { code, stderr } = runCli(['migrations:lint'], { cwd: project({ lint: { allow: [{ code: 'L007', reason: '' }] } }) })
		expect(code).toBe(1)
		expect(stderr).toContain('2024-02-01-100000-grow.json › /strata/lint/allow/0/reason: required: a non-empty string')
		expect(hasStackTrace(stderr)).toBe(false)
	})
})

describe('migrations:lint --database-url', () => {
	let db: ScratchDatabase
	let cwd: string
	beforeAll(async () => {
		db = await createScratchDatabase('lint')
		cwd = project()
		await db.client.query(runCli(['migrations:describe', 'init', '--sql-only'], { cwd }).stdout)
		await db.client.query('INSERT INTO "post" ("id", "views") SELECT gen_random_uuid(), n FROM generate_series(1, 300) AS n')
		await db.client.query('ANALYZE "post"')
	})
	afterAll(async () => {
		await db?.close()
		await releaseScratchServer()
	})

	it('L001: a write-blocking lock while a table of --large-table rows or more is rewritten or scanned; the pending migrations by default', () => {
		const { code, stdout, stderr } = runCli(['migrations:lint', '--database-url', db.url, '--large-table', '100', '--json'], { cwd })
		expect(stderr).toBe('')
		expect(code).toBe(0)
		const result = JSON.parse(stdout) as { migrations: string[]; findings: FindingJson[] }
		// no ledger here: every migration is pending
		expect(result.migrations).toEqual(['2024-01-01-100000-init', '2024-02-01-100000-grow'])
		const large = result.findings.filter(it => it.code === 'L001')
		expect(large.map(it => [it.modification, it.severity, it.table])).toEqual([[0, 'error', 'post'], [1, 'error', 'post']])
		expect(large[0]!.message).toBe('holds ACCESS EXCLUSIVE on "post" (~300 rows, threshold 100) while it rewrites it: reads and writes wait')
		const below = JSON.parse(runCli(['migrations:lint', 'grow', '--database-url', db.url, '--large-table', '301', '--json'], { cwd }).stdout) as { findings: FindingJson[] }
		expect(below.findings.map(it => it.code)).toEqual(['L002', 'L007'])
	})

	it('migrations:execute --dry-run lints the pending migrations with the table sizes (largeTableRows from the config)', async () => {
		const executed = await createScratchDatabase('lint_dry_run')
		try {
			const dir = project()
			writeFileSync(join(dir, 'strata.config.json'), JSON.stringify({ largeTableRows: 100 }))
			expect(runCli(['migrations:execute', '--yes', '--until', '2024-01-01-100000-init', '--database-url', executed.url], { cwd: dir }).code).toBe(0)
			await executed.client.query('INSERT INTO "post" ("id", "views") SELECT gen_random_uuid(), n FROM generate_series(1, 300) AS n')
			await executed.client.query('ANALYZE "post"')
			const text = runCli(['migrations:execute', '--dry-run', '--database-url', executed.url], { cwd: dir })
			expect(text.code, text.stderr).toBe(0)
			expect(text.stdout).toMatch(/Lint: 4 findings \(2 errors, 2 warnings\)/)
			expect(text.stdout).toContain('error L001: holds ACCESS EXCLUSIVE on "post" (~300 rows, threshold 100) while it rewrites it')
			const json = JSON.parse(runCli(['migrations:execute', '--dry-run', '--json', '--database-url', executed.url], { cwd: dir }).stdout) as { dryRun: boolean; lint: FindingJson[] }
			expect(json.dryRun).toBe(true)
			expect(json.lint.map(it => it.code).sort()).toEqual(['L001', 'L001', 'L002', 'L007'])
			// nothing ran: the pending migration is still pending
			expect((await executed.client.query(`SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'post'::regclass AND attname = 'views'`)).rows).toEqual([{ type: 'integer' }])
		} finally {
			await executed.close()
		}
	})

	it('--check fails on L001 unless the migration allows it with a reason', () => {
		expect(runCli(['migrations:lint', 'grow', '--database-url', db.url, '--large-table', '100', '--check', '--fail-on', 'error'], { cwd }).code).toBe(3)
		const file = JSON.parse(readFileSync(join(cwd, GROW), 'utf8')) as object
		writeFileSync(join(cwd, GROW), JSON.stringify({ ...file, strata: { lint: { allow: [{ code: 'L001', reason: 'deployed in the Sunday window' }] } } }))
		expect(runCli(['migrations:lint', 'grow', '--database-url', db.url, '--large-table', '100', '--check', '--fail-on', 'error'], { cwd }).code).toBe(0)
	})
})
