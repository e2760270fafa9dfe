/**
 * Ctrl-C as a person presses it, in a real pseudo-terminal (tmux, on its own socket): at the
 * migrations:diff confirmation, at the migrations:execute confirmation and at a migrations:amend
 * question. Each ends the same way: exit 130, one "Interrupted" message, nothing written or
 * applied. And SIGINT while execute runs on the embedded database stops that cluster.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordAdversarial } from '../helpers/adversarial.js'
import { useTestDatabase } from '../helpers/database.js'
import { ensureBuilt, looksClean, startCli } from '../integration/db/cli.js'
import { createEntity, projectWith } from '../integration/db/fixtures.js'
import { DevProject, entity, ok, schemaOf } from '../integration/dev/project.js'
import { waitFor } from '../integration/reliability/slow.js'
import { editSchema, exampleProject, newMigrations } from './diffProject.js'
import { tmuxTerminals } from './tmux.js'

const SLOW = 300_000
const db = useTestDatabase('interrupt_terminal')
const terminals = tmuxTerminals('interrupt')
const terminal = terminals.open

beforeAll(() => ensureBuilt(), 300_000)
afterAll(() => terminals.shutdown())

const interrupts: string[] = []

describe('Ctrl-C at a prompt', () => {
	it('migrations:diff, at "Do you want to continue?": exit 130, nothing written', async () => {
		const cwd = exampleProject()
		editSchema(cwd, '\tlead: column.string(),', '\tlead: column.string(),\n\tsubtitle: column.string(),')
		const term = terminal(cwd, ['migrations:diff', 'add-subtitle'])
		try {
			await term.waitFor('Do you want to continue?')
			term.keys('C-c')
			const screen = await term.waitFor('STRATA_EXIT=')
			expect(screen).toContain('STRATA_EXIT=130')
			expect(screen).toContain('Interrupted (Ctrl-C): nothing was written.')
			expect(newMigrations(cwd)).toEqual([])
		} finally {
			term.close()
		}
		interrupts.push('diff confirmation')
	}, SLOW)

	it('migrations:execute, at "Execute them?": exit 130, nothing applied, the lock not held', async () => {
		const root = await projectWith([{ name: '2024-05-01-100000-init', modifications: [createEntity('Post', 'post')] }])
		const target = await db.fresh('execute_prompt')
		const term = terminal(root, ['migrations:execute', '--database-url', target.url])
		try {
			await term.waitFor('Execute them?')
			term.keys('C-c')
			const screen = await term.waitFor('STRATA_EXIT=')
			expect(screen).toContain('STRATA_EXIT=130')
			expect(screen).toContain('Interrupted (Ctrl-C): nothing was applied.')
		} finally {
			term.close()
		}
		const client = await target.client()
		try {
			expect((await client.query(`SELECT to_regclass('public.post') IS NULL AS absent`)).rows[0].absent).toBe(true)
			const sessions = await client.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'strata migrations:execute' AND datname = current_database()`)
			expect(sessions.rowCount).toBe(0)
		} finally {
			await client.end()
		}
		interrupts.push('execute confirmation')
	}, SLOW)

	it('migrations:amend, at a rename question: exit 130, the migration and the database untouched, no journal', async () => {
		const database = await db.fresh('amend_prompt')
		const project = new DevProject(database.url)
		project.declare(schemaOf(entity('Post', { title: {} })))
		ok(project.run('migrations:diff', 'init', '--yes'))
		ok(project.run('migrations:execute', '--yes'))
		project.declare(schemaOf(entity('Post', { headline: {} })))
		const [init] = project.migrationNames()
		const file = path.join(project.root, 'migrations', `${init}.json`)
		const before = readFileSync(file, 'utf8')
		const term = terminal(project.root, ['migrations:amend', '--database-url', project.databaseUrl])
		try {
			await term.waitFor('renamed?')
			term.keys('C-c')
			const screen = await term.waitFor('STRATA_EXIT=')
			expect(screen).toContain('STRATA_EXIT=130')
			expect(screen).toContain('Interrupted (Ctrl-C): nothing was changed.')
		} finally {
			term.close()
		}
		expect(readFileSync(file, 'utf8')).toBe(before)
		expect(existsSync(path.join(project.root, '.strata', 'dev-journal.json'))).toBe(false)
		interrupts.push('amend question')
	}, SLOW)
})

/** the postmaster of a data directory, from postmaster.pid */
const postmasterPid = (dataDir: string): number | undefined => {
	const file = path.join(dataDir, 'postmaster.pid')
	return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined
}
const alive = (pid: number): boolean => {
	try {
		process.kill(pid, 0)
		return true
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM'
	}
}

describe('SIGINT with the embedded database', () => {
	it('migrations:execute: exit 130, one message, and the embedded postmaster is stopped', async () => {
		// enough migrations that execute is still running when the interrupt arrives
		const history = Array.from({ length: 40 }, (_, i) => ({
			name: `2024-05-01-${String(100000 + i)}-table${i}`, modifications: [createEntity(`Table${i}`, `table${i}`)],
		}))
		const root = await projectWith(history)
		const dataDir = path.join(root, '.strata', 'postgres')
		const { child, done } = startCli(['migrations:execute', '--yes', '--embedded'], { cwd: root })
		let stderr = ''
		child.stderr!.on('data', chunk => (stderr += chunk))
		await waitFor(async () => stderr.includes('Database: embedded PostgreSQL') || child.exitCode !== null, 240_000, 'the embedded database')
		const pid = postmasterPid(dataDir)
		expect(pid, stderr).toBeDefined()
		child.kill('SIGINT')
		const result = await done
		expect(result.code, result.stderr).toBe(130)
		expect(result.stderr).toContain('Interrupted (Ctrl-C / SIGINT)')
		expect(looksClean(result.stderr)).toBe(true)
		expect(alive(pid!), `postmaster ${pid} still running`).toBe(false)
		expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false)
		interrupts.push('SIGINT on embedded')
	}, SLOW)

	it('SIGINT while migrations:status creates the embedded database: exit 130, no server started or left', async () => {
		const root = await projectWith([{ name: '2024-05-01-100000-init', modifications: [createEntity('Post', 'post')] }])
		const dataDir = path.join(root, '.strata', 'postgres')
		const { child, done } = startCli(['migrations:status', '--embedded'], { cwd: root })
		let stderr = ''
		child.stderr!.on('data', chunk => (stderr += chunk))
		await waitFor(async () => stderr.includes('Creating the embedded PostgreSQL') || child.exitCode !== null, 120_000, 'initdb')
		child.kill('SIGINT')
		const result = await done
		expect(result.code, result.stderr).toBe(130)
		expect(result.stderr).toContain('Interrupted (Ctrl-C / SIGINT): nothing was changed.')
		expect(result.stdout).not.toContain('executed')
		const pid = postmasterPid(dataDir)
		expect(pid === undefined || !alive(pid), `postmaster ${pid} left running`).toBe(true)
		interrupts.push('SIGINT during embedded start')
		recordAdversarial({
			attack: 'interrupts',
			tried: `${interrupts.length} interrupts: ${interrupts.join(', ')}`,
			held: 'exit 130, one Interrupted message, nothing written or applied, no session left, embedded postmaster stopped',
		})
	}, SLOW)
})
