/**
 * The programmatic API as a user gets it: strata packed with `npm pack`, the tarball installed
 * into a temporary project that holds the example project (schema/, migrations/), and the
 * examples of docs/api.md (its ```js file=… blocks, written exactly as the doc shows them) run
 * with `node` against a fresh PostgreSQL database. Only the public entry is imported.
 *
 * dist/ must be built (`npm test` runs `npm run build` first; alone: `npm run build`).
 */
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, startTestServer, type TestDatabase, type TestServer } from '../helpers/database.js'
import { recordCliOutput } from '../cli/outputLog.js'
import { repoRoot } from '../cli/run.js'

/**
 * Every value src/api/index.ts exports (types aside), read from its source, so that an export
 * added there without a row in docs/api.md's reference table fails this test.
 */
const apiValueExports = (source: string): string[] =>
	[...source.matchAll(/^export \{([^}]*)\}/gm)].flatMap(match => match[1]!.split(',').map(name => name.trim()).filter(name => name !== '' && !name.startsWith('type ')))

/** the project-level functions and constants of src/api/, as docs/api.md's reference table lists them */
const API_VALUES = apiValueExports(readFileSync(join(repoRoot, 'src/api/index.ts'), 'utf8'))
/** the errors a caller matches on */
const API_ERRORS = ['StrataError', 'ValidationError', 'MigrationExecutionError', 'BrokenMigrationsError']
const API_FUNCTIONS = [...API_VALUES.filter(name => !/^[A-Z_]+$/.test(name)), ...API_ERRORS]

const apiDoc = readFileSync(join(repoRoot, 'docs/api.md'), 'utf8')

/** docs/api.md's ```js file=<path> blocks: path → content */
const docFiles = (markdown: string): Map<string, string> => {
	const files = new Map<string, string>()
	for (const match of markdown.matchAll(/^```js file=(\S+)\n([\s\S]*?)^```\s*$/gm)) files.set(match[1]!, match[2]!)
	return files
}

interface Run {
	readonly code: number | null
	readonly stdout: string
	readonly stderr: string
}

/** `node <args>` in the temporary project, with a clean environment plus `env` */
const node = (cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> => {
	const base = Object.fromEntries(Object.entries(process.env).filter(([key]) =>
		!['NODE_OPTIONS', 'DATABASE_URL', 'TEST_DATABASE_URL', 'STRATA_DEBUG', 'CI', 'NODE_ENV'].includes(key) && !key.startsWith('VITEST')))
	return new Promise(done => {
		execFile(process.execPath, args, { cwd, env: { ...base, ...env }, encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
			// the examples' output joins the suite's leak check (no password in anything printed)
			recordCliOutput(['node', ...args], stdout, stderr)
			done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr })
		})
	})
}

const show = (run: Run) => `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`

let scratch: string
let proj: string
let server: TestServer | undefined
const databases: TestDatabase[] = []
const migrationNames = readdirSync(join(repoRoot, 'migrations')).filter(name => /^\d.*\.json$/.test(name)).map(name => name.replace(/\.json$/, '')).sort()

beforeAll(async () => {
	if (!existsSync(join(repoRoot, 'dist/index.js'))) {
		throw new Error('dist/index.js is missing: this test packs the built package. Run `npm run build` first (`npm test` does).')
	}
	scratch = mkdtempSync(join(tmpdir(), 'strata-packed-'))
	proj = join(scratch, 'proj')
	const installed = join(proj, 'node_modules/strata')
	mkdirSync(installed, { recursive: true })

	// the tarball exactly as `npm publish` would upload it (`files` of package.json); no prepare script: dist is already built
	const packed = await new Promise<string>((resolve, reject) => {
		execFile('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } },
			(error, stdout, stderr) => error ? reject(new Error(`npm pack failed: ${stderr}`)) : resolve((JSON.parse(stdout) as { filename: string }[])[0]!.filename))
	})
	// npm's tarballs hold everything under package/
	await new Promise<void>((resolve, reject) => execFile('tar', ['xzf', join(scratch, packed), '-C', installed, '--strip-components=1'], error => error ? reject(error) : resolve()))

	// No network: strata's dependencies come from this repository's node_modules. Only the packages
	// strata's package.json declares are linked into the project's node_modules (a dependency dist/
	// uses but does not declare fails here, as it would for a user). Node resolves a symlinked
	// package by its real path, so their own dependencies are found in the repository's
	// node_modules, where npm installed (hoisted) them.
	const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }
	const link = (name: string, optional: boolean) => {
		const source = join(repoRoot, 'node_modules', name)
		if (!existsSync(source)) {
			if (optional) return
			throw new Error(`strata depends on ${name}, which is not installed in ${join(repoRoot, 'node_modules')}: run npm install`)
		}
		mkdirSync(dirname(join(proj, 'node_modules', name)), { recursive: true })
		symlinkSync(source, join(proj, 'node_modules', name), 'dir')
	}
	for (const name of Object.keys(manifest.dependencies ?? {})) link(name, false)
	for (const name of Object.keys(manifest.optionalDependencies ?? {})) link(name, true)

	// the example project of this repository (README: schema/index.ts declares it, migrations/ holds its history)
	cpSync(join(repoRoot, 'schema'), join(proj, 'schema'), { recursive: true })
	cpSync(join(repoRoot, 'migrations'), join(proj, 'migrations'), { recursive: true })
	writeFileSync(join(proj, 'package.json'), `${JSON.stringify({ name: 'packed-api-example', private: true, type: 'module', dependencies: { strata: manifest.version } }, null, '\t')}\n`)
	for (const [path, content] of docFiles(apiDoc)) {
		mkdirSync(dirname(join(proj, path)), { recursive: true })
		writeFileSync(join(proj, path), content)
	}

	server = await startTestServer()
}, 180_000)

afterAll(async () => {
	for (const database of databases) await database.drop().catch(() => undefined)
	await server?.stop()
	if (scratch) rmSync(scratch, { recursive: true, force: true })
}, 60_000)

const freshDatabase = async (label: string): Promise<TestDatabase> => {
	const database = await createTestDatabase(server!, label)
	databases.push(database)
	return database
}

const queryRows = async (database: TestDatabase, sql: string): Promise<Record<string, unknown>[]> => {
	const client = await database.client()
	return (await client.query(sql)).rows as Record<string, unknown>[]
}

describe('the packed package', () => {
	it('docs/api.md holds the examples this test runs', () => {
		expect([...docFiles(apiDoc).keys()].sort()).toEqual(['deploy.mjs', 'diff.mjs', 'maintenance.mjs', 'test/global-setup.mjs'])
		// the reference table names every function of the entry
		expect(API_VALUES.length).toBeGreaterThan(20)
		for (const name of API_VALUES) expect(apiDoc, `${name} is exported by src/api/index.ts but has no row in docs/api.md`).toMatch(new RegExp(`\\| \`${name}[(\`]`))
	})

	it('exposes every API function from the entry, and strata/schema; deep imports are refused', async () => {
		const script = `
			const entry = await import('strata')
			const types = Object.fromEntries(${JSON.stringify(API_FUNCTIONS)}.map(name => [name, typeof entry[name]]))
			const schema = typeof (await import('strata/schema')).defineSchema
			const deep = await import('strata/dist/api/execute.js').then(() => 'imported', error => error.code)
			console.log(JSON.stringify({ types, schema, deep }))`
		const run = await node(proj, ['--input-type=module', '-e', script])
		expect(run.code, show(run)).toBe(0)
		const result = JSON.parse(run.stdout) as { types: Record<string, string>; schema: string; deep: string }
		expect(result.types).toEqual(Object.fromEntries(API_FUNCTIONS.map(name => [name, 'function'])))
		expect(result.schema).toBe('function')
		expect(result.deep).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED')
		// the installed copy is the tarball's, not a link to this checkout
		expect(existsSync(join(proj, 'node_modules/strata/src'))).toBe(false)
	}, 30_000)

	it('the test runner globalSetup of docs/api.md creates, migrates and drops a database', async () => {
		const driver = `
			const { setup, teardown } = await import('./test/global-setup.mjs')
			const { withConnection } = await import('strata')
			await setup()
			const url = process.env.DATABASE_URL
			const facts = await withConnection(url, 'check', async ({ client }) => ({
				ledger: (await client.query('SELECT name FROM strata.migrations ORDER BY version')).rows.map(row => row.name),
				tables: (await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map(row => row.tablename),
			}))
			await teardown()
			console.log('@@' + JSON.stringify({ database: new URL(url).pathname.slice(1), ...facts }))`
		const run = await node(proj, ['--input-type=module', '-e', driver], { TEST_DATABASE_URL: server!.adminUrl })
		expect(run.code, show(run)).toBe(0)
		expect(run.stderr, 'the API prints nothing').toBe('')
		const facts = JSON.parse(run.stdout.split('\n').find(line => line.startsWith('@@'))!.slice(2)) as { database: string; ledger: string[]; tables: string[] }
		expect(run.stdout).toContain(`test database ${facts.database}: ${migrationNames.length} migrations applied`)
		expect(facts.ledger).toEqual(migrationNames)
		expect(facts.tables).toEqual(expect.arrayContaining(['author', 'post', 'comment']))
		// teardown dropped it
		const admin = await freshDatabase('api_packed_admin')
		expect(await queryRows(admin, `SELECT 1 FROM pg_database WHERE datname = '${facts.database}'`)).toEqual([])
	}, 60_000)

	it('the deploy script of docs/api.md migrates a fresh database, then applies nothing; diff.mjs writes a migration it deploys; maintenance.mjs holds the lock', async () => {
		const database = await freshDatabase('api_packed_deploy')
		const env = { DATABASE_URL: database.url }

		const first = await node(proj, ['deploy.mjs'], env)
		expect(first.code, show(first)).toBe(0)
		expect(first.stderr, show(first)).toBe('')
		expect(first.stdout).toContain(`0 executed, ${migrationNames.length} pending`)
		expect(first.stdout).toContain(`[1/${migrationNames.length}] ${migrationNames[0]}`)
		expect(first.stdout).toContain(`applied ${migrationNames.length} migrations`)
		expect(first.stdout).toContain('the database matches its migrations')
		expect(first.stdout).not.toContain(new URL(database.url).password || '@@no-password@@')
		expect((await queryRows(database, 'SELECT name FROM strata.migrations ORDER BY version')).map(row => row.name)).toEqual(migrationNames)

		const second = await node(proj, ['deploy.mjs'], env)
		expect(second.code, show(second)).toBe(0)
		expect(second.stdout).toContain(`${migrationNames.length} executed, 0 pending`)
		expect(second.stdout).toContain('applied 0 migrations')
		expect(second.stdout).toContain('the database matches its migrations')

		// the diff snippet: the declared schema renames Author.bio and makes Post.readingMinutes NOT NULL
		const schemaFile = join(proj, 'schema/index.ts')
		const declared = readFileSync(schemaFile, 'utf8')
		expect(declared, 'the example schema changed: update the edit below').toContain('\tbio: column.string(),')
		expect(declared, 'the example schema changed: update the edit below').toContain('\treadingMinutes: column.int(),')
		writeFileSync(schemaFile, declared.replace('\tbio: column.string(),', '\tabout: column.string(),').replace('\treadingMinutes: column.int(),', '\treadingMinutes: column.int().notNull(),'))
		const diff = await node(proj, ['diff.mjs'])
		expect(diff.code, show(diff)).toBe(0)
		expect(diff.stdout).toMatch(/wrote .*-author-about\.json/)
		const written = readdirSync(join(proj, 'migrations')).find(name => name.endsWith('-author-about.json'))!
		const migration = JSON.parse(readFileSync(join(proj, 'migrations', written), 'utf8')) as { modifications: Record<string, unknown>[] }
		// a rename keeps the data; the fill value is what existing rows get
		expect(migration.modifications).toEqual([
			expect.objectContaining({ modification: 'updateFieldName', entityName: 'Author', fieldName: 'bio', newFieldName: 'about' }),
			expect.objectContaining({ modification: 'updateColumnDefinition', entityName: 'Post', fieldName: 'readingMinutes', fillValue: 1 }),
		])

		const third = await node(proj, ['deploy.mjs'], env)
		expect(third.code, show(third)).toBe(0)
		expect(third.stdout).toContain('applied 1 migrations')
		expect(third.stdout).toContain('the database matches its migrations')
		expect((await queryRows(database, `SELECT column_name FROM information_schema.columns WHERE table_name = 'author' AND column_name IN ('bio', 'about')`)).map(row => row.column_name)).toEqual(['about'])

		const maintenance = await node(proj, ['maintenance.mjs'], env)
		expect(maintenance.code, show(maintenance)).toBe(0)
		expect(maintenance.stdout).toContain('analyzed post (0 rows) while holding the migration lock')
	}, 90_000)

	it('the deploy script exits with the StrataError\'s exit code and prints no password', async () => {
		const url = new URL(server!.adminUrl)
		url.password = 'not-the-password-xyz'
		url.pathname = '/strata_api_packed_missing_database'
		const run = await node(proj, ['deploy.mjs'], { DATABASE_URL: url.toString() })
		expect(run.code, show(run)).toBe(1)
		expect(run.stderr).toMatch(/deploy: CONNECTION_FAILED: /)
		expect(run.stdout + run.stderr).not.toContain('not-the-password-xyz')
	}, 30_000)
})
