/**
 * migrations:status and execute say what is wrong and give advice that fixes it: a broken file is
 * one broken entry (every other migration is still shown), an upstream migration older than local
 * executed ones asks to rebase the local ones, and execute names the kind of problem.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { useTestDatabase } from '../helpers/database.js'
import { ensureBuilt, looksClean, runCli } from '../integration/db/cli.js'
import { blogHistory, createEntity, migrationText, projectWith } from '../integration/db/fixtures.js'

const db = useTestDatabase('cli_status_advice')
vi.setConfig({ testTimeout: 300_000 })
beforeAll(() => ensureBuilt(), 300_000)

const project = async (label: string) => {
	const database = await db.fresh(label)
	const root = await projectWith(blogHistory())
	const run = (...args: string[]) => runCli([...args, '--database-url', database.url], { cwd: root })
	return { root, run }
}

const [authors, posts, relax] = blogHistory().map(it => it.name) as [string, string, string]

describe('migrations:status advice', () => {
	it('a broken file is shown as broken; every other migration is still listed', async () => {
		const p = await project('broken_json')
		expect((await p.run('migrations:execute', '--yes', '--until', posts)).code).toBe(0)
		await writeFile(path.join(p.root, 'migrations', '2024-01-04-100000-broken.json'), '{"formatVersion": 6, "modif')
		await writeFile(path.join(p.root, 'migrations', `${posts}.json`), '{ not json')
		await writeFile(path.join(p.root, 'migrations', '2024-13-01-000000-mistyped.json'), '{}')
		const status = await p.run('migrations:status')
		expect(status.code, status.stderr).toBe(1)
		expect(status.stderr).toMatch(/not read as a migration.*2024-13-01-000000-mistyped\.json/)
		expect(status.stdout).toMatch(new RegExp(`executed\\s+${authors}`))
		expect(status.stdout).toMatch(new RegExp(`pending\\s+${relax}`))
		expect(status.stdout).toMatch(/UNREADABLE\s+2024-01-04-100000-broken\s+not executed, but the file cannot be read/)
		expect(status.stdout).toMatch(new RegExp(`UNREADABLE\\s+${posts}\\s+executed, but the file cannot be read`))
		expect(status.stdout).toMatch(/1 executed, 1 pending, 2 broken/)
		const json = JSON.parse((await p.run('migrations:status', '--json')).stdout)
		expect(json.migrations.map((it: { name: string; state: string }) => `${it.name} ${it.state}`)).toEqual([
			`${authors} executed`, `${posts} unreadable`, `${relax} pending`, '2024-01-04-100000-broken unreadable',
		])
	})

	it('an upstream migration older than local executed ones: rebase the local ones; execute names the problem', async () => {
		const p = await project('upstream')
		expect((await p.run('migrations:execute', '--yes')).code).toBe(0)
		const upstream = '2024-01-01-200000-upstream'
		await writeFile(path.join(p.root, 'migrations', `${upstream}.json`), migrationText([createEntity('Tag', 'tag')]))
		const status = await p.run('migrations:status')
		expect(status.code).toBe(1)
		expect(status.stdout).toMatch(new RegExp(`OUT OF ORDER\\s+${upstream}`))
		expect(status.stdout).toContain(`migrations:rebase ${posts} ${relax}`)
		expect(status.stdout).not.toContain(`migrations:rebase ${upstream}`)

		const execute = await p.run('migrations:execute', '--yes')
		expect(execute.code).toBe(1)
		expect(execute.stderr).toContain('Cannot execute migrations: 1 pending migration is older than the newest executed one.')
		expect(execute.stderr).not.toContain('problem with executed migrations')
		expect(looksClean(execute.stderr)).toBe(true)
	})
})
