/**
 * migrations:rebase, spawned against real PostgreSQL: files and local ledger rows move together,
 * a conflicting rebase changes nothing, and the upstream migrations that now need
 * `migrations:execute --force` are named.
 */
import { readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renameLedgerRows } from '../../src/db/bootstrap.js'
import { ledgerIdentity } from '../../src/db/ledger.js'
import { writeJournal } from '../../src/migrations/devJournal.js'
import { readMigrations } from '../../src/migrations/files.js'
import { planRebase, rebaseJournal } from '../../src/migrations/rebase.js'
import { useTestDatabase } from '../helpers/database.js'
import { ok, catalogMismatch, DevProject, entity, ledgerRows, schemaOf } from '../integration/dev/project.js'

/** many spawned CLI runs per test: generous on a loaded machine (no timing is asserted) */
const SLOW = 300_000

const db = useTestDatabase('dev_rebase')

const idOnly = (name: string) => {
	const base = entity(name)
	return { ...base, fields: { id: base.fields.id } }
}

/** `init` and `add-tag` executed locally */
const local = async (label: string) => {
	const database = await db.fresh(label)
	const project = new DevProject(database.url)
	project.declare(schemaOf(entity('Post', { title: {} })))
	ok(project.run('migrations:diff', 'init', '--yes'))
	backdateInit(project)
	project.declare(schemaOf(entity('Post', { title: {} }), entity('Tag', { label: {} })))
	ok(project.run('migrations:diff', 'add-tag', '--yes', '--execute'))
	return { project, client: await database.client() }
}

/** `init` is dated 2020-01-01-000000 so that upstream work fits between it and what comes after */
const backdateInit = (project: DevProject) => {
	const [init] = project.migrationNames()
	renameSync(join(project.root, 'migrations', `${init}.json`), join(project.root, 'migrations', '2020-01-01-000000-init.json'))
}

/** an upstream migration dated between init and the local ones */
const upstreamName = (_project: DevProject) => '2020-01-01-000001-upstream'

describe('migrations:rebase', () => {
	it('moves executed local migrations after upstream ones: files, ledger rows, then execute --force', async () => {
		const { project, client } = await local('upstream')
		const [init, addTag] = project.migrationNames()
		const content = readFileSync(join(project.root, 'migrations', `${addTag}.json`), 'utf8')
		const upstream = upstreamName(project)
		project.write(upstream, { formatVersion: 6, modifications: [{ modification: 'createEntity', entity: idOnly('Author') }] })
		expect(project.migrationNames()).toEqual([init, upstream, addTag])
		expect(project.run('migrations:status').code).toBe(1)

		const result = project.run('migrations:rebase', 'add-tag')
		expect(result.code).toBe(0)
		const names = project.migrationNames()
		expect(names).toHaveLength(3)
		const moved = names[2]!
		expect(moved).toMatch(/^\d{4}-\d{2}-\d{2}-\d{6}-add-tag$/)
		expect(moved > upstream).toBe(true)
		expect(names.slice(0, 2)).toEqual([init, upstream])
		expect(result.stdout).toContain(`${addTag} → ${moved} (ledger row renamed)`)
		expect(result.stdout).toContain(`migrations:execute --force`)
		expect(result.stdout).toContain(upstream)
		// content byte for byte, ledger row renamed with the same checksum
		expect(readFileSync(join(project.root, 'migrations', `${moved}.json`), 'utf8')).toBe(content)
		expect((await ledgerRows(client)).map(row => row.name)).toEqual([init, moved])

		ok(project.run('migrations:execute', '--yes', '--force'))
		ok(project.run('migrations:status', '--check'))
		const declared = schemaOf(entity('Post', { title: {} }), idOnly('Author') as ReturnType<typeof entity>, entity('Tag', { label: {} }))
		expect(await catalogMismatch(client, declared)).toEqual([])
	}, SLOW)

	it('a migration that conflicts with upstream fails validation and nothing moves', async () => {
		const { project, client } = await local('conflict')
		const [init, addTag] = project.migrationNames()
		const upstream = upstreamName(project)
		// upstream created Tag too: add-tag cannot replay on top of it
		project.write(upstream, { formatVersion: 6, modifications: [{ modification: 'createEntity', entity: idOnly('Tag') }] })

		const result = project.run('migrations:rebase', addTag!)
		expect(result.code).toBe(1)
		expect(result.stderr).toMatch(new RegExp(`Cannot rebase: ${addTag}`))
		expect(result.stderr).toMatch(/createEntity/)
		expect(project.migrationNames()).toEqual([init, upstream, addTag])
		expect((await ledgerRows(client)).map(row => row.name)).toEqual([init, addTag])
	}, SLOW)

	it('a column upstream created too stops the rebase before anything is renamed, naming the upstream migration', async () => {
		const database = await db.fresh('twice')
		const project = new DevProject(database.url)
		project.declare(schemaOf(entity('Post', { title: {} })))
		ok(project.run('migrations:diff', 'init', '--yes'))
		backdateInit(project)
		project.declare(schemaOf(entity('Post', { title: {}, weight: {} })))
		ok(project.run('migrations:diff', 'add-weight', '--yes'))
		ok(project.run('migrations:execute', '--yes'))
		const [init, addWeight] = project.migrationNames()
		const upstream = upstreamName(project)
		// upstream added Post.weight as well, with another type: replaying both would fail on a fresh database (42701)
		const weight = { name: 'weight', columnName: 'weight', type: 'Integer', columnType: 'integer', nullable: true }
		project.write(upstream, { formatVersion: 6, modifications: [{ modification: 'createColumn', entityName: 'Post', field: weight }] })
		const client = await database.client()

		const result = project.run('migrations:rebase', 'add-weight')
		expect(result.code).toBe(1)
		expect(result.stderr).toContain(`Cannot rebase: ${addWeight} does not apply on top of the other migrations.`)
		expect(result.stderr).toContain(
			`Migration ${addWeight}.json cannot be replayed: modification #0 (createColumn) failed: Field Post::weight already exists; `
				+ `field Post.weight was created by ${upstream}.json, modification #0 (createColumn)`,
		)
		expect(project.migrationNames()).toEqual([init, upstream, addWeight])
		expect((await ledgerRows(client)).map(row => row.name)).toEqual([init, addWeight])
	}, SLOW)

	it('moves migrations that never ran locally (files only), keeping their relative order', async () => {
		const database = await db.fresh('pending')
		const project = new DevProject(database.url)
		project.declare(schemaOf(entity('Post', { title: {} })))
		ok(project.run('migrations:diff', 'init', '--yes'))
		backdateInit(project)
		ok(project.run('migrations:execute', '--yes'))
		project.declare(schemaOf(entity('Post', { title: {}, body: {} })))
		ok(project.run('migrations:diff', 'add-body', '--yes'))
		project.declare(schemaOf(entity('Post', { title: {}, body: {}, extra: {} })))
		ok(project.run('migrations:diff', 'add-extra', '--yes'))
		const [init, addBody, addExtra] = project.migrationNames()
		const upstream = upstreamName(project)
		project.write(upstream, { formatVersion: 6, modifications: [{ modification: 'createEntity', entity: idOnly('Author') }] })

		// arguments in reverse order: relative order is kept anyway
		const result = project.run('migrations:rebase', addExtra!, addBody!)
		expect(result.code).toBe(0)
		const names = project.migrationNames()
		expect(names.slice(0, 2)).toEqual([init, upstream])
		expect(names[2]).toMatch(/-add-body$/)
		expect(names[3]).toMatch(/-add-extra$/)
		expect(names[2]! > upstream && names[3]! > names[2]!).toBe(true)
		expect(result.stdout).not.toContain('--force')
		const client = await database.client()
		expect((await ledgerRows(client)).map(row => row.name)).toEqual([init])
		ok(project.run('migrations:execute', '--yes'))
		ok(project.run('migrations:status', '--check'))
	}, SLOW)

	it('a rebase that died after renaming the ledger is finished by the next execute', async () => {
		const { project, client } = await local('crash')
		const files = await readMigrations(join(project.root, 'migrations'))
		const moves = planRebase(files, ['add-tag'])
		// the process died after the ledger commit, before any file was renamed
		const scope = { projectRoot: project.root, migrationsDir: join(project.root, 'migrations'), database: await ledgerIdentity(client, 'strata') }
		await writeJournal(scope, await rebaseJournal(join(project.root, 'migrations'), moves, new Set(files.map(it => it.version))))
		await renameLedgerRows(client, 'strata', [{ fromVersion: moves[0]!.file.version, toVersion: moves[0]!.newVersion, toName: moves[0]!.newName }])

		const first = ok(project.run('migrations:execute', '--yes'))
		expect(first.stderr).toMatch(/Finished an interrupted rebase/)
		expect(first.stdout).toMatch(/No migrations to execute/)
		expect(project.migrationNames()).toEqual([files[0]!.name, moves[0]!.newName])
		ok(project.run('migrations:status', '--check'))
	}, SLOW)

	it('refuses a database that is not local and unknown migrations', async () => {
		const { project } = await local('refusals')
		const remote = project.runOffline('migrations:rebase', 'add-tag', '--database-url', 'postgresql://someone@db.example.com/app')
		expect(remote.code).toBe(1)
		expect(remote.stderr).toMatch(/not local.*--allow-remote/s)
		const unknown = project.run('migrations:rebase', 'add-tga')
		expect(unknown.code).toBe(1)
		expect(unknown.stderr).toMatch(/not found.*add-tag/s)
	}, SLOW)
})
