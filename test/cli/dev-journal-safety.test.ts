/**
 * The development journal (.strata/dev-journal.json) is data from disk: migrations:execute applies
 * it only in the project and against the database it was written for, only to files inside the
 * migrations directory, and never in CI. A refused journal changes nothing and stays for the user.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { renameLedgerRows } from '../../src/db/bootstrap.js'
import { ledgerIdentity } from '../../src/db/ledger.js'
import { journalPath, writeJournal, type JournalScope } from '../../src/migrations/devJournal.js'
import { readMigrations } from '../../src/migrations/files.js'
import { planRebase, rebaseJournal } from '../../src/migrations/rebase.js'
import { useTestDatabase } from '../helpers/database.js'
import { ensureBuilt, looksClean, runCli } from '../integration/db/cli.js'
import { blogHistory, projectWith } from '../integration/db/fixtures.js'

const db = useTestDatabase('cli_journal')
vi.setConfig({ testTimeout: 300_000 })
beforeAll(() => ensureBuilt(), 300_000)

const migrationNames = (root: string) => readdirSync(path.join(root, 'migrations')).filter(name => name.endsWith('.json')).sort()

/** the three blog migrations executed */
const executedProject = async (label: string) => {
	const database = await db.fresh(label)
	const root = await projectWith(blogHistory())
	const run = (args: string[], env: NodeJS.ProcessEnv = {}, cwd = root) => runCli([...args, '--database-url', database.url], { cwd, env })
	const first = await run(['migrations:execute', '--yes'])
	expect(first.code, first.stderr).toBe(0)
	const client = await database.client()
	const scope: JournalScope = { projectRoot: root, migrationsDir: path.join(root, 'migrations'), database: await ledgerIdentity(client, 'strata') }
	return { root, run, client, scope, url: database.url }
}

/** a rebase of the newest migration that died after its ledger commit, before any file was renamed */
const interruptedRebase = async (p: Awaited<ReturnType<typeof executedProject>>) => {
	const files = await readMigrations(p.scope.migrationsDir)
	const moves = planRebase(files, ['relax'])
	await writeJournal(p.scope, await rebaseJournal(p.scope.migrationsDir, moves, new Set(files.map(file => file.version))))
	await renameLedgerRows(p.client, 'strata', [{ fromVersion: moves[0]!.file.version, toVersion: moves[0]!.newVersion, toName: moves[0]!.newName }])
	return moves[0]!
}

describe('development journal safety', () => {
	it('a crafted journal (the old absolute-path format) is refused: no file outside the project is written or deleted', async () => {
		const p = await executedProject('crafted')
		const outside = mkdtempSync(path.join(tmpdir(), 'strata-victim-'))
		const victim = path.join(outside, 'victim.txt')
		writeFileSync(victim, 'precious\n')
		const crafted = {
			operation: 'rebase', description: 'harmless', state: 'committed',
			files: [{ path: victim, before: 'precious\n', after: null }, { path: path.join(outside, 'planted.sh'), before: null, after: 'echo owned\n' }],
		}
		mkdirSync(path.join(p.root, '.strata'), { recursive: true })
		writeFileSync(journalPath(p.root), JSON.stringify(crafted))
		const result = await p.run(['migrations:execute', '--yes'])
		expect(result.code, result.stdout + result.stderr).toBe(1)
		expect(result.stderr).toMatch(/dev-journal\.json.*not written by this version of strata/s)
		expect(looksClean(result.stdout + result.stderr)).toBe(true)
		expect(readFileSync(victim, 'utf8')).toBe('precious\n')
		expect(existsSync(path.join(outside, 'planted.sh'))).toBe(false)
		expect(existsSync(journalPath(p.root))).toBe(true)
	})

	it('a journal of this project and database whose paths leave the migrations directory is refused', async () => {
		const p = await executedProject('escape')
		const outside = mkdtempSync(path.join(tmpdir(), 'strata-victim-'))
		writeFileSync(path.join(outside, 'victim.json'), 'precious\n')
		symlinkSync(path.join(outside, 'victim.json'), path.join(p.root, 'migrations', 'link.json'))
		const relativeOut = path.relative(p.root, path.join(outside, 'victim.json'))
		for (const bad of [relativeOut, path.join(outside, 'victim.json'), 'migrations/../strata.config.json', 'migrations/link.json']) {
			const journal = {
				journal: 2, project: realpathSync(p.root), database: p.scope.database, operation: 'amend', description: 'x', state: 'committed',
				files: [{ path: bad, before: null, after: 'owned\n' }],
			}
			mkdirSync(path.join(p.root, '.strata'), { recursive: true })
			writeFileSync(journalPath(p.root), JSON.stringify(journal))
			const result = await p.run(['migrations:execute', '--yes'])
			expect(result.code, `${bad}: ${result.stderr}`).toBe(1)
			expect(result.stderr).toMatch(/absolute path|not a plain relative path|not a migration file|symlink that leads out/)
			expect(readFileSync(path.join(outside, 'victim.json'), 'utf8')).toBe('precious\n')
			expect(existsSync(path.join(p.root, 'strata.config.json'))).toBe(false)
		}
	})

	it('a copied project folder does not finish the original\'s rebase; the original still can', async () => {
		const p = await executedProject('copy')
		const move = await interruptedRebase(p)
		const before = migrationNames(p.root)
		const copy = mkdtempSync(path.join(tmpdir(), 'strata-copy-'))
		cpSync(p.root, copy, { recursive: true })

		const inCopy = await p.run(['migrations:execute', '--yes'], {}, copy)
		expect(inCopy.code, inCopy.stderr).toBe(1)
		expect(inCopy.stderr).toContain(`belongs to the project at ${realpathSync(p.root)}`)
		expect(migrationNames(p.root)).toEqual(before)
		expect(migrationNames(copy)).toEqual(before)
		expect(existsSync(journalPath(copy))).toBe(true)
		const statusInCopy = await p.run(['migrations:status'], {}, copy)
		expect(statusInCopy.code).toBe(1)
		expect(statusInCopy.stderr).toMatch(/development journal cannot be applied here.*belongs to the project at/s)

		const inOriginal = await p.run(['migrations:execute', '--yes'])
		expect(inOriginal.code, inOriginal.stderr).toBe(0)
		expect(inOriginal.stderr).toMatch(/Finished an interrupted rebase/)
		expect(migrationNames(p.root)).toContain(`${move.newName}.json`)
	})

	it('a journal of another database is refused', async () => {
		const p = await executedProject('otherdb')
		await interruptedRebase(p)
		const other = await db.fresh('otherdb_target')
		const before = migrationNames(p.root)
		const result = await runCli(['migrations:execute', '--yes', '--database-url', other.url], { cwd: p.root })
		expect(result.code, result.stderr).toBe(1)
		expect(result.stderr).toMatch(/belongs to database "[^"]*otherdb[^"]*".*but this command uses database/s)
		expect(migrationNames(p.root)).toEqual(before)
		expect(existsSync(journalPath(p.root))).toBe(true)
	})

	it('in CI, execute never applies a journal: it refuses and executes nothing', async () => {
		const p = await executedProject('ci')
		await interruptedRebase(p)
		const before = migrationNames(p.root)
		const result = await p.run(['migrations:execute', '--yes'], { CI: 'true' })
		expect(result.code, result.stderr).toBe(1)
		expect(result.stderr).toMatch(/never applies a development journal in CI/)
		expect(migrationNames(p.root)).toEqual(before)
		expect(existsSync(journalPath(p.root))).toBe(true)
		const rows = await p.client.query('SELECT count(*)::int AS n FROM strata.migrations')
		expect(rows.rows[0].n).toBe(3)
	})

	it('status shows the pending journal first and the migrations as the next command leaves them; temporary files are reported, then cleaned up', async () => {
		const p = await executedProject('status')
		const move = await interruptedRebase(p)
		writeFileSync(path.join(p.root, 'migrations', `${move.newName}.json.4242.tmp`), '{"formatVer')
		const status = await p.run(['migrations:status'])
		expect(status.code, status.stderr).toBe(0)
		expect(status.stderr).toMatch(/interrupted migrations:rebase is pending.*finishes it/s)
		expect(status.stderr).toMatch(/\.json\.4242\.tmp is a temporary file/)
		expect(status.stdout).not.toMatch(/OUT OF ORDER|MISSING/)
		expect(status.stdout).toContain(move.newName)
		expect(status.stdout).toMatch(/3 executed, 0 pending, 0 broken/)
		const check = await p.run(['migrations:status', '--check'])
		expect(check.code).toBe(3)

		const execute = await p.run(['migrations:execute', '--yes'])
		expect(execute.code, execute.stderr).toBe(0)
		expect(readdirSync(path.join(p.root, 'migrations')).filter(name => name.endsWith('.tmp'))).toEqual([])
		const after = await p.run(['migrations:status', '--check'])
		expect(after.code, after.stdout + after.stderr).toBe(0)
	})
})
