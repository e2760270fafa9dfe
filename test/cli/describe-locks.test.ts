/**
 * `migrations:describe` shows what each statement locks: a `-- locks:` comment line before each
 * statement, `statements[]` with `{ locks, effect, transactional }` in --json, nothing added to
 * --sql-only. With --database-url, the sizes of the locked tables and the steps that block
 * writes while rewriting or scanning a table of --large-table rows or more (or the config's
 * largeTableRows).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScratchDatabase, releaseScratchServer, type ScratchDatabase } from '../helpers/sqlrunDatabase.js'
import { runCli, tempProject } from './run.js'

const uuid = { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false }
const entity = (name: string, tableName: string) => ({ name, primary: 'id', primaryColumn: 'id', tableName, fields: { id: uuid }, unique: [], indexes: [], eventLog: { enabled: true } })
const integer = (name: string) => ({ name, columnName: name, type: 'Integer', columnType: 'integer', nullable: true })

/** init: author and post (views integer); grow: post.views → bigint (a rewrite), an index, a relation to author */
const project = (config?: object) =>
	tempProject({
		...(config ? { 'strata.config.json': config } : {}),
		'migrations/2024-01-01-100000-init.json': {
			formatVersion: 6,
			modifications: [
				{ modification: 'createEntity', entity: entity('Author', 'author') },
				{ modification: 'createEntity', entity: entity('Post', 'post') },
				{ modification: 'createColumn', entityName: 'Post', field: integer('views') },
			],
		},
		'migrations/2024-02-01-100000-grow.json': {
			formatVersion: 6,
			modifications: [
				{ modification: 'updateColumnDefinition', entityName: 'Post', fieldName: 'views', definition: { type: 'Integer', columnType: 'bigint', nullable: true } },
				{ modification: 'createIndex', entityName: 'Post', index: { fields: ['views'] } },
				{ modification: 'createRelation', entityName: 'Post', owningSide: { name: 'author', type: 'ManyHasOne', target: 'Author', joiningColumn: { columnName: 'author_id', onDelete: 'restrict' }, nullable: true } },
			],
		},
	})

interface StatementJson { sql?: string; kind: string; locks: { table: string; lock: string; rows?: number; bytes?: number }[]; effect: string; transactional: boolean; largeTables?: string[] }

describe('migrations:describe shows the locks of each statement', () => {
	it('a -- locks: line before each statement: the lock on each table and what it does to the rows', () => {
		const { code, stdout, stderr } = runCli(['migrations:describe', 'grow'], { cwd: project() })
		expect(stderr).toBe('')
		expect(code).toBe(0)
		const lines = stdout.split('\n').map(line => line.trim())
		const before = (statement: string) => lines[lines.findIndex(line => line.startsWith(statement)) - 1]
		expect(before('ALTER TABLE "post" ALTER "views" SET DATA TYPE bigint')).toBe('-- locks: post ACCESS EXCLUSIVE (rewrite)')
		expect(before('CREATE INDEX ON "post" ("views")')).toBe('-- locks: post SHARE (scan)')
		expect(before('ALTER TABLE "post" ADD "author_id" uuid')).toBe('-- locks: post ACCESS EXCLUSIVE (catalog only)')
		expect(before('ALTER TABLE "post" ADD FOREIGN KEY')).toBe('-- locks: post SHARE ROW EXCLUSIVE, author SHARE ROW EXCLUSIVE (scan)')
		expect(stdout).not.toContain('LARGE TABLE') // no database, no sizes
	})

	it('--sql-only stays the plain script: no lock lines', () => {
		const { code, stdout } = runCli(['migrations:describe', 'grow', '--sql-only'], { cwd: project() })
		expect(code).toBe(0)
		expect(stdout).not.toContain('-- locks')
		expect(stdout).toMatch(/^ALTER TABLE "post" ALTER "views" SET DATA TYPE bigint USING "views"::bigint;\n/)
	})

	it('--json: statements[] with { sql, kind, locks, effect, transactional } per step; --no-sql leaves their SQL out too', () => {
		const { code, stdout } = runCli(['migrations:describe', 'grow', '--json'], { cwd: project() })
		expect(code).toBe(0)
		const steps = JSON.parse(stdout) as { statements: StatementJson[] }[]
		expect(steps[0]!.statements).toEqual([{
			sql: 'ALTER TABLE "post" ALTER "views" SET DATA TYPE bigint USING "views"::bigint;',
			kind: 'alterColumn', actions: ['setColumnType'], locks: [{ table: 'post', lock: 'ACCESS EXCLUSIVE' }], effect: 'rewrite', transactional: true,
			note: expect.any(String),
		}])
		expect(steps[2]!.statements.map(it => it.kind)).toEqual(['addColumn', 'addForeignKey', 'createIndex'])
		const noSql = JSON.parse(runCli(['migrations:describe', 'grow', '--json', '--no-sql'], { cwd: project() }).stdout) as { statements: StatementJson[] }[]
		for (const statement of noSql.flatMap(it => it.statements)) expect(statement).not.toHaveProperty('sql')
		expect(noSql[0]!.statements[0]).toMatchObject({ kind: 'alterColumn', effect: 'rewrite' })
	})

	it('a drop named only at execution is annotated like the drop it stands for', () => {
		const cwd = project()
		writeFileSync(join(cwd, 'migrations/2024-03-01-100000-cut.json'), JSON.stringify({
			formatVersion: 6,
			modifications: [{ modification: 'updateRelationOnDelete', entityName: 'Post', fieldName: 'author', onDelete: 'cascade' }],
		}))
		const { code, stdout } = runCli(['migrations:describe', 'cut'], { cwd })
		expect(code).toBe(0)
		expect(stdout).toMatch(/-- locks: post ACCESS EXCLUSIVE, author ACCESS EXCLUSIVE \(catalog only\)\n\s+-- The foreign key to "author" on table "post"/)
	})

	it('--large-table without a database says it needs one; a bad value or config setting exits 1', () => {
		const noted = runCli(['migrations:describe', 'grow', '--large-table', '10'], { cwd: project() })
		expect(noted.code).toBe(0)
		expect(noted.stderr).toContain('--large-table needs --database-url')
		expect(runCli(['migrations:describe', 'grow', '--large-table', '0'], { cwd: project() }).code).toBe(1)
		const config = runCli(['migrations:describe', 'grow'], { cwd: project({ largeTableRows: 'many' }) })
		expect(config.code).toBe(1)
		expect(config.stderr).toContain('largeTableRows')
	})
})

describe('migrations:describe --database-url: table sizes and large tables', () => {
	let db: ScratchDatabase
	let cwd: string
	beforeAll(async () => {
		db = await createScratchDatabase('describe_locks')
		cwd = project()
		const init = runCli(['migrations:describe', 'init', '--sql-only'], { cwd })
		await db.client.query(init.stdout)
		await db.client.query('INSERT INTO "post" ("id", "views") SELECT gen_random_uuid(), n FROM generate_series(1, 500) AS n')
		await db.client.query('ANALYZE "post"')
	})
	afterAll(async () => {
		await db?.close()
		await releaseScratchServer()
	})

	it('shows each locked table\'s estimated rows and size, and marks the write-blocking rewrite and scans of a table over the threshold', () => {
		const { code, stdout, stderr } = runCli(['migrations:describe', 'grow', '--database-url', db.url, '--large-table', '100', '--no-color'], { cwd })
		expect(stderr).toBe('')
		expect(code).toBe(0)
		expect(stdout).toMatch(/-- locks: post ACCESS EXCLUSIVE \[~500 rows, \d+(\.\d)? kB\] \(rewrite\)\n\s+LARGE TABLE: post \(~500 rows\) stays in ACCESS EXCLUSIVE during the rewrite: reads and writes wait\n\s+ALTER TABLE "post" ALTER "views"/)
		expect(stdout).toMatch(/LARGE TABLE: post \(~500 rows\) stays in SHARE during the scan: writes wait\n\s+CREATE INDEX ON "post" \("views"\);/)
		// every locked table gets its size; author is empty, post is what the foreign key scans
		expect(stdout).toMatch(/-- locks: post SHARE ROW EXCLUSIVE \[~500 rows, [^\]]+\], author SHARE ROW EXCLUSIVE \[[^\]]+\] \(scan\)/)
		expect(stdout).toContain('3 steps locking a large table')
	})

	it('below the threshold nothing is marked; largeTableRows in the config sets it, --large-table overrides it', () => {
		expect(runCli(['migrations:describe', 'grow', '--database-url', db.url], { cwd }).stdout).not.toContain('LARGE TABLE')
		writeFileSync(join(cwd, 'strata.config.json'), JSON.stringify({ largeTableRows: 400 }))
		expect(runCli(['migrations:describe', 'grow', '--database-url', db.url], { cwd }).stdout).toContain('LARGE TABLE: post (~500 rows)')
		expect(runCli(['migrations:describe', 'grow', '--database-url', db.url, '--large-table', '501'], { cwd }).stdout).not.toContain('LARGE TABLE')
		writeFileSync(join(cwd, 'strata.config.json'), '{}')
	})

	it('--json carries rows and bytes per locked table and the large tables per statement', () => {
		const { code, stdout } = runCli(['migrations:describe', 'grow', '--database-url', db.url, '--large-table', '100', '--json'], { cwd })
		expect(code).toBe(0)
		const [retype] = (JSON.parse(stdout) as { statements: StatementJson[] }[])[0]!.statements
		expect(retype).toMatchObject({ kind: 'alterColumn', effect: 'rewrite', largeTables: ['post'] })
		expect(retype!.locks).toEqual([{ table: 'post', lock: 'ACCESS EXCLUSIVE', rows: 500, bytes: expect.any(Number) }])
	})
})
