/**
 * The history rules through the CLI: an executed file edited, deleted or a new file dated
 * before the newest executed one is refused with the rule, the fix and exit 1, and nothing runs.
 * Reformatting (whitespace, key order) is not a change.
 */
import { readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { useTestDatabase } from '../../helpers/database.js'
import { ensureBuilt, looksClean, passwordUrl, runCli } from '../db/cli.js'
import { blogHistory, createColumn, createEntity, migrationText, projectWith } from '../db/fixtures.js'

const db = useTestDatabase('rules')
// each test spawns the CLI several times (a few seconds each on a loaded machine)
vi.setConfig({ testTimeout: 300_000 })

const setup = async (label: string) => {
	const target = await db.fresh(label)
	const url = await passwordUrl(target.url)
	const root = await projectWith(blogHistory().slice(0, 2))
	const run = (...args: string[]) => runCli([...args, '--database-url', url], { cwd: root })
	const executed = await run('migrations:execute', '--yes')
	expect(executed.code, executed.stderr).toBe(0)
	const client = new pg.Client({ connectionString: target.url })
	await client.connect()
	const tables = async () => (await client.query(`SELECT string_agg(table_name, ',' ORDER BY table_name) AS t FROM information_schema.tables WHERE table_schema = 'public'`)).rows[0].t as string
	const ledgerCount = async () => Number((await client.query('SELECT count(*) FROM strata.migrations')).rows[0].count)
	return { root, run, client, tables, ledgerCount, file: (name: string) => path.join(root, 'migrations', `${name}.json`) }
}

const addPending = (root: string) =>
	writeFile(path.join(root, 'migrations', '2024-02-01-100000-tags.json'), migrationText([createEntity('Tag', 'tag')]))

beforeAll(() => ensureBuilt(), 300_000)

describe('history rules', () => {
	it('refuses an edited executed migration, shows the structural diff, runs nothing', async () => {
		const t = await setup('edited')
		const name = blogHistory()[0]!.name
		await writeFile(t.file(name), migrationText([createEntity('Author', 'author'), createColumn('Author', 'fullName')]))
		await addPending(t.root)
		const result = await t.run('migrations:execute', '--yes')
		expect(result.code).toBe(1)
		expect(result.stderr).toContain(`${name}`)
		expect(result.stderr).toContain('an executed migration must never change')
		expect(result.stderr).toContain('fix:')
		expect(result.stderr).toMatch(/fullName/)
		expect(looksClean(result.stderr)).toBe(true)
		expect(await t.tables()).toBe('author,post')
		expect(await t.ledgerCount()).toBe(2)
		const status = await t.run('migrations:status')
		expect(status.code).toBe(1)
		expect(status.stdout).toContain('CHANGED')
		const check = await t.run('migrations:status', '--check')
		expect(check.code).toBe(3)
		const json = JSON.parse((await t.run('migrations:status', '--json', '--only-errors')).stdout)
		expect(json.migrations.map((m: { state: string }) => m.state)).toEqual(['changed'])
		expect(json.migrations[0].diff).toMatch(/fullName/)
		await t.client.end()
	})

	it('does not treat reformatting (whitespace, key order) as a change', async () => {
		const t = await setup('reformat')
		const name = blogHistory()[0]!.name
		const content = JSON.parse(await readFile(t.file(name), 'utf8'))
		const reordered = { modifications: content.modifications.map((m: Record<string, unknown>) => Object.fromEntries(Object.entries(m).reverse())), formatVersion: content.formatVersion }
		await writeFile(t.file(name), JSON.stringify(reordered, null, 2))
		const status = await t.run('migrations:status', '--check')
		expect(status.code, status.stdout + status.stderr).toBe(0)
		await t.client.end()
	})

	it('refuses an executed migration whose file is missing', async () => {
		const t = await setup('missing')
		const name = blogHistory()[1]!.name
		await rm(t.file(name))
		await addPending(t.root)
		const result = await t.run('migrations:execute', '--yes')
		expect(result.code).toBe(1)
		expect(result.stderr).toContain(`${name}.json is missing`)
		expect(result.stderr).toContain('an executed migration must stay in the migrations directory')
		expect(await t.tables()).toBe('author,post')
		const status = await t.run('migrations:status')
		expect(status.code).toBe(1)
		expect(status.stdout).toContain('MISSING')
		await t.client.end()
	})

	it('refuses a pending migration older than the newest executed one; --force runs it on a local database', async () => {
		const t = await setup('order')
		await writeFile(path.join(t.root, 'migrations', '2024-01-01-120000-late.json'), migrationText([createEntity('Late', 'late')]))
		const result = await t.run('migrations:execute', '--yes')
		expect(result.code).toBe(1)
		expect(result.stderr).toContain('a pending migration must be newer than the newest executed one')
		expect(result.stderr).toContain('migrations:rebase')
		expect(await t.tables()).toBe('author,post')
		expect((await t.run('migrations:status', '--check')).code).toBe(3)
		const forced = await t.run('migrations:execute', '--yes', '--force')
		expect(forced.code, forced.stderr).toBe(0)
		expect(await t.tables()).toBe('author,late,post')
		expect((await t.run('migrations:status', '--check')).code).toBe(0)
		await t.client.end()
	})

	it('--force never hides a changed executed file', async () => {
		const t = await setup('forcechanged')
		await writeFile(t.file(blogHistory()[0]!.name), migrationText([createEntity('Author', 'writer')]))
		const result = await t.run('migrations:execute', '--yes', '--force')
		expect(result.code).toBe(1)
		expect(result.stderr).toContain('an executed migration must never change')
		await t.client.end()
	})

	it('--force is refused for a database that is not local unless --allow-remote', async () => {
		const root = await projectWith(blogHistory())
		const result = await runCli(['migrations:execute', '--yes', '--force', '--database-url', `postgresql://deploy:${encodeURIComponent('S3cr3t:p@ss/w0rd%x')}@db.example.invalid:5432/app`], { cwd: root })
		expect(result.code).toBe(1)
		expect(result.stderr).toContain('--allow-remote')
		expect(result.stderr).toContain('db.example.invalid')
	})
})
