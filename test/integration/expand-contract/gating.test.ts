/**
 * The contract gate (issue 18): a plain migrations:execute runs everything before the first
 * pending contract-phase migration and stops there, saying why; `--contract` or `--until <the
 * contract>` runs it; a later ordinary migration waits with it. migrations:status shows
 * "contract pending" with the age of the expand; migrations:describe explains the pair. The pair
 * files are hand-written here (an expand adding a column with an executeSql copy, a contract
 * removing the old field), so the gate does not depend on the generator.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { executeProject, type ExecuteProjectEvent } from '../../../src/api/execute.js'
import { executeFleet } from '../../../src/api/fleet.js'
import { describeProjectMigration } from '../../../src/api/history.js'
import { loadProject } from '../../../src/api/project.js'
import { migrationStatus } from '../../../src/api/status.js'
import { useTestDatabase } from '../../helpers/database.js'
import { ensureBuilt, runCli } from '../db/cli.js'
import { createColumn, createEntity } from '../db/fixtures.js'

const db = useTestDatabase('expand_contract_gating')
vi.setConfig({ testTimeout: 300_000 })
beforeAll(() => ensureBuilt(), 300_000)

const POSTS = '2024-01-01-100000-posts'
const EXPAND = '2024-01-02-100000-rename-title-expand'
const CONTRACT = '2024-01-03-100000-rename-title-contract'
const TAGS = '2024-01-04-100000-tags'

const files = (): Record<string, object> => ({
	[POSTS]: { formatVersion: 6, modifications: [createEntity('Post', 'post'), createColumn('Post', 'title')] },
	[EXPAND]: {
		formatVersion: 6,
		modifications: [createColumn('Post', 'headline'), { modification: 'executeSql', sql: 'UPDATE post SET headline = title', down: 'UPDATE post SET headline = NULL' }],
		strata: { expandContract: { phase: 'expand', pair: 'rename-title' }, extensions: ['executeSql'] },
	},
	[CONTRACT]: {
		formatVersion: 6,
		modifications: [{ modification: 'removeField', entityName: 'Post', fieldName: 'title' }],
		strata: { expandContract: { phase: 'contract', pair: 'rename-title' } },
	},
	[TAGS]: { formatVersion: 6, modifications: [createEntity('Tag', 'tag')] },
})

const projectDir = async (): Promise<string> => {
	const root = await mkdtemp(path.join(tmpdir(), 'strata-gate-'))
	await mkdir(path.join(root, 'migrations'))
	for (const [name, content] of Object.entries(files())) await writeFile(path.join(root, 'migrations', `${name}.json`), `${JSON.stringify(content, null, '\t')}\n`)
	return root
}

const setup = async (label: string) => {
	const database = await db.fresh(label)
	const root = await projectDir()
	const project = await loadProject({ cwd: root })
	return { root, project, url: database.url, run: (...args: string[]) => runCli([...args, '--database-url', database.url], { cwd: root }) }
}

const columns = async (url: string): Promise<string[]> => {
	const pg = (await import('pg')).default
	const client = new pg.Client({ connectionString: url })
	await client.connect()
	try {
		return (await client.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'post' ORDER BY column_name`)).rows.map(row => row.column_name)
	} finally {
		await client.end()
	}
}

describe('the contract gate (API)', () => {
	it('stops before the contract, runs what is before it; a later migration waits; contract: true runs the rest', async () => {
		const p = await setup('api')
		const events: ExecuteProjectEvent[] = []
		const first = await executeProject({ project: p.project, database: p.url, onEvent: event => events.push(event) })
		expect(first.executed.map(it => it.name)).toEqual([POSTS, EXPAND])
		expect(first.stoppedAtContract).toMatchObject({ migration: CONTRACT, pair: 'rename-title', expand: EXPAND, waiting: [TAGS] })
		// the expand ran in this very run
		expect(first.stoppedAtContract?.expandExecutedAt).toBeUndefined()
		const notice = events.find(event => event.type === 'notice' && event.message.startsWith('Stopped before'))
		expect(notice && notice.type === 'notice' && notice.message).toContain(`Stopped before ${CONTRACT}: it is the contract phase of rename-title`)
		expect(await columns(p.url)).toEqual(['headline', 'id', 'title'])

		// again: nothing runs, the stop is reported with the expand's execution time
		const again = await executeProject({ project: p.project, database: p.url })
		expect(again.executed).toEqual([])
		expect(again.stoppedAtContract?.expandExecutedAt).toBeInstanceOf(Date)

		const status = await migrationStatus({ project: p.project, database: p.url })
		expect(status.summary).toEqual({ executed: 2, pending: 2, broken: 0, contractPending: 1 })
		const entry = status.migrations.find(it => it.name === CONTRACT)!
		expect(entry.state).toBe('pending')
		expect(entry.contractPending).toMatchObject({ pair: 'rename-title', expand: EXPAND })
		expect(entry.contractPending?.ageMs).toBeGreaterThanOrEqual(0)
		expect(status.migrations.find(it => it.name === TAGS)?.contractPending).toBeUndefined()

		const dry = await executeProject({ project: p.project, database: p.url, dryRun: true, contract: true })
		expect(dry.executed.map(it => it.name)).toEqual([CONTRACT, TAGS])
		const rest = await executeProject({ project: p.project, database: p.url, contract: true })
		expect(rest.executed.map(it => it.name)).toEqual([CONTRACT, TAGS])
		expect(rest.stoppedAtContract).toBeUndefined()
		expect(await columns(p.url)).toEqual(['headline', 'id'])
	})

	it('until naming the contract runs it; until naming a later ordinary migration does not open the gate', async () => {
		const p = await setup('until')
		const later = await executeProject({ project: p.project, database: p.url, until: TAGS })
		expect(later.executed.map(it => it.name)).toEqual([POSTS, EXPAND])
		expect(later.stoppedAtContract?.migration).toBe(CONTRACT)
		const named = await executeProject({ project: p.project, database: p.url, until: 'rename-title-contract' })
		expect(named.executed.map(it => it.name)).toEqual([CONTRACT])
		expect(named.stoppedAtContract).toBeUndefined()
		const rest = await executeProject({ project: p.project, database: p.url })
		expect(rest.executed.map(it => it.name)).toEqual([TAGS])
	})

	it('describe explains the pair from the files', async () => {
		const p = await setup('describe')
		const expand = await describeProjectMigration(p.project, { migration: EXPAND })
		expect(expand.expandContract).toMatchObject({ phase: 'expand', pair: 'rename-title', partner: CONTRACT })
		expect(expand.expandContract?.sequence.map(it => it.step)).toEqual(['expand', 'deploy', 'contract'])
		expect(expand.expandContract?.oldApplicationSees.join('\n')).toContain('post.title')
		expect(expand.expandContract?.newApplicationSees.join('\n')).toContain('post.headline')
		const contract = await describeProjectMigration(p.project, { migration: CONTRACT })
		expect(contract.expandContract).toMatchObject({ phase: 'contract', partner: EXPAND })
		expect((await describeProjectMigration(p.project, { migration: TAGS })).expandContract).toBeUndefined()
	})
})

describe('the contract gate (fleet)', () => {
	it('every target stops before the contract; contract: true runs it everywhere; a new tenant\'s dry run stops there too', async () => {
		const p = await setup('fleet_a')
		const other = await db.fresh('fleet_b')
		const targets = [{ name: 'a', database: p.url }, { name: 'b', database: other.url }]
		const first = await executeFleet({ project: p.project, targets })
		expect(first.exitCode).toBe(0)
		expect(first.results.map(it => [it.detail?.applied, it.detail?.stoppedAtContract])).toEqual([[[POSTS, EXPAND], CONTRACT], [[POSTS, EXPAND], CONTRACT]])
		const tenant = await executeFleet({ project: p.project, targets: [{ name: 'new', database: p.url, schemaName: 'tenant_new', ledgerSchema: 'tenant_new_strata', createSchema: true }], dryRun: true })
		expect(tenant.results[0]?.detail).toMatchObject({ schemaMissing: true, applied: [POSTS, EXPAND], stoppedAtContract: CONTRACT })
		const second = await executeFleet({ project: p.project, targets, contract: true })
		expect(second.results.map(it => it.detail?.applied)).toEqual([[CONTRACT, TAGS], [CONTRACT, TAGS]])
		expect(second.results.every(it => it.detail?.stoppedAtContract === undefined)).toBe(true)
	})
})

describe('the contract gate (CLI)', () => {
	it('execute stops and says why; --dry-run shows the same stop; --contract runs it; --json carries the stop', async () => {
		const p = await setup('cli')
		const dry = await p.run('migrations:execute', '--dry-run')
		expect(dry.code, dry.stderr).toBe(0)
		expect(dry.stdout).toContain(`-- ${EXPAND}`)
		expect(dry.stdout).not.toContain(`-- ${CONTRACT}`)
		expect(dry.stderr).toContain(`Stopped before ${CONTRACT}: it is the contract phase of rename-title`)

		const run = await p.run('migrations:execute', '--yes')
		expect(run.code, run.stderr).toBe(0)
		expect(run.stdout).toContain('Executed 2 migrations')
		expect(run.stderr).toContain(`Stopped before ${CONTRACT}: it is the contract phase of rename-title (expand: ${EXPAND}); deploy the new application, then run migrations:execute --contract`)
		expect(run.stderr).toContain(`1 later migration waits with it: ${TAGS}`)

		const json = await p.run('migrations:execute', '--yes', '--json')
		expect(json.code, json.stderr).toBe(0)
		const document = JSON.parse(json.stdout)
		expect(document.migrations).toEqual([])
		expect(document.stoppedAtContract).toMatchObject({ migration: CONTRACT, pair: 'rename-title', expand: EXPAND, waiting: [TAGS] })
		expect(typeof document.stoppedAtContract.expandExecutedAt).toBe('string')

		const status = await p.run('migrations:status')
		expect(status.code).toBe(0)
		expect(status.stdout).toMatch(new RegExp(`CONTRACT PENDING\\s+${CONTRACT}\\s+contract phase of rename-title: expand ${EXPAND} executed \\d+ s ago`))
		expect(status.stdout).toContain('2 executed, 2 pending (1 contract pending), 0 broken.')
		expect((await p.run('migrations:status', '--check')).code).toBe(3)
		const statusJson = JSON.parse((await p.run('migrations:status', '--json')).stdout)
		const entry = statusJson.migrations.find((it: { name: string }) => it.name === CONTRACT)
		expect(entry).toMatchObject({ state: 'pending', phase: 'contract', pair: 'rename-title', contractPending: { expand: EXPAND } })
		expect(typeof entry.contractPending.ageMs).toBe('number')
		expect(statusJson.summary.contractPending).toBe(1)

		const contract = await p.run('migrations:execute', '--yes', '--contract')
		expect(contract.code, contract.stderr).toBe(0)
		expect(contract.stdout).toContain('Executed 2 migrations')
		expect(contract.stderr).not.toContain('Stopped before')
		expect(await columns(p.url)).toEqual(['headline', 'id'])
		expect((await p.run('migrations:status', '--check')).code).toBe(0)
	})

	it('--until naming the contract runs it', async () => {
		const p = await setup('cliuntil')
		expect((await p.run('migrations:execute', '--yes')).code).toBe(0)
		const named = await p.run('migrations:execute', '--yes', '--until', CONTRACT)
		expect(named.code, named.stderr).toBe(0)
		expect(named.stdout).toContain(`✓ ${CONTRACT}`)
		expect(named.stdout).not.toContain(TAGS)
	})

	it('describe explains the sequence of the pair; --json keeps its array of steps', async () => {
		const p = await setup('clidescribe')
		const text = await runCli(['migrations:describe', EXPAND], { cwd: p.root })
		expect(text.code, text.stderr).toBe(0)
		expect(text.stdout).toContain('Expand/contract pair rename-title')
		expect(text.stdout).toContain('migrations:execute --contract')
		expect(text.stdout).toContain('post.title')
		const json = await runCli(['migrations:describe', CONTRACT, '--json'], { cwd: p.root })
		expect(json.code, json.stderr).toBe(0)
		expect(JSON.parse(json.stdout)).toBeInstanceOf(Array)
	})
})
