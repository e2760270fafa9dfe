/**
 * migrations:snapshot / verify-snapshot and the bootstrap of an empty database by
 * migrations:execute, spawned against real PostgreSQL. Stale snapshots are reported, never used.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '../helpers/database.js'
import { ok, catalogMismatch, DevProject, entity, ledgerRows, schemaOf } from '../integration/dev/project.js'

/** many spawned CLI runs per test: generous on a loaded machine (no timing is asserted) */
const SLOW = 300_000

const db = useTestDatabase('dev_snapshot')

const final = schemaOf(entity('Post', { title: {}, body: {} }), entity('Tag', { label: {} }))

/** three migrations: init, add-body, add-tag */
const history = async (label: string) => {
	const database = await db.fresh(label)
	const project = new DevProject(database.url)
	project.declare(schemaOf(entity('Post', { title: {} })))
	ok(project.run('migrations:diff', 'init', '--yes'))
	project.declare(schemaOf(entity('Post', { title: {}, body: {} })))
	ok(project.run('migrations:diff', 'add-body', '--yes'))
	project.declare(final)
	ok(project.run('migrations:diff', 'add-tag', '--yes'))
	return { project, database }
}

describe('snapshots', () => {
	it('snapshot → verify → execute bootstraps an empty database in one step → edit a covered file → verify fails → execute does not use it', async () => {
		const { project, database } = await history('cycle')
		const names = project.migrationNames()

		const written = project.runOffline('migrations:snapshot')
		expect(written.code).toBe(0)
		const snapshot = JSON.parse(readFileSync(join(project.root, 'migrations', 'snapshot.json'), 'utf8'))
		expect(snapshot.version).toBe(names[2]!.slice(0, 17))
		expect(snapshot.formatVersion).toBe(6)
		expect(snapshot.covers.map((it: { name: string }) => it.name)).toEqual(names)
		expect(readFileSync(join(project.root, 'migrations', 'snapshot.json'), 'utf8')).toMatch(/^{\n\t"version"/)

		const verified = project.runOffline('migrations:verify-snapshot')
		expect(verified.code).toBe(0)
		expect(verified.stdout).toContain('up to date (covers 3 migrations')

		// bootstrap: one step, every covered migration recorded, catalog as declared
		const executed = project.run('migrations:execute', '--yes')
		expect(executed.code).toBe(0)
		expect(executed.stderr).toContain('Bootstrapped from migrations/snapshot.json: 3 migrations')
		const client = await database.client()
		expect((await ledgerRows(client)).map(row => row.name)).toEqual(names)
		expect(await catalogMismatch(client, final)).toEqual([])
		ok(project.run('migrations:status', '--check'))

		// a later migration runs normally on top of the bootstrapped database
		const withViews = schemaOf(entity('Post', { title: {}, body: {}, views: { type: 'Integer' } }), entity('Tag', { label: {} }))
		project.declare(withViews)
		ok(project.run('migrations:diff', 'add-views', '--yes'))
		const more = project.run('migrations:execute', '--yes')
		expect(more.code).toBe(0)
		expect(more.stderr).not.toContain('Bootstrapped')
		expect(await catalogMismatch(client, withViews)).toEqual([])
		ok(project.runOffline('migrations:verify-snapshot'))

		// edit a covered file: the snapshot is stale
		const addBody = project.read(names[1]!)
		const field = addBody.modifications[0]!.field as Record<string, unknown>
		project.write(names[1]!, { ...addBody, modifications: [{ ...addBody.modifications[0]!, field: { ...field, columnName: 'content' } }] })
		const stale = project.runOffline('migrations:verify-snapshot')
		expect(stale.code).toBe(1)
		expect(stale.stderr).toContain(`covered migration ${names[1]} changed`)

		// execute on another empty database refuses to bootstrap from it and replays the files instead
		const other = await db.fresh('cycle_other')
		const fresh = project.runOffline('migrations:execute', '--yes', '--database-url', other.url)
		expect(fresh.code).toBe(0)
		expect(fresh.stderr).toMatch(/snapshot\.json is stale and was not used/)
		expect(fresh.stderr).not.toContain('Bootstrapped')
		const otherClient = await other.client()
		const columns = (await otherClient.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'post' ORDER BY 1`)).rows.map(row => row.column_name)
		expect(columns).toEqual(['content', 'id', 'title', 'views'])
	}, SLOW)

	it('a migration older than the snapshot that it does not cover makes it stale', async () => {
		const { project } = await history('uncovered')
		ok(project.runOffline('migrations:snapshot'))
		const [init] = project.migrationNames()
		project.write(`${init!.slice(0, 11)}000000-upstream`, { formatVersion: 6, modifications: [] })
		const result = project.runOffline('migrations:verify-snapshot', '--json')
		expect(result.code).toBe(1)
		const report = JSON.parse(result.stdout)
		expect(report.ok).toBe(false)
		expect(report.reasons.join('\n')).toMatch(/upstream is not covered/)
		// the differ reports it and replays the files instead
		const diff = project.runOffline('migrations:diff', 'check', '--dry-run', '--yes')
		expect(diff.code).toBe(0)
		expect(diff.stderr).toMatch(/snapshot\.json is stale and was not used/)
	}, SLOW)

	it('a missing covered file makes it stale; no snapshot at all is an error', async () => {
		const database = await db.fresh('missing')
		const project = new DevProject(database.url)
		expect(project.runOffline('migrations:verify-snapshot').stderr).toMatch(/migrations:snapshot/)
		expect(project.runOffline('migrations:verify-snapshot').code).toBe(1)
		expect(project.runOffline('migrations:snapshot').code).toBe(1)
		project.declare(schemaOf(entity('Post', { title: {} })))
		ok(project.run('migrations:diff', 'init', '--yes'))
		project.declare(schemaOf(entity('Post', { title: {} }), entity('Tag')))
		ok(project.run('migrations:diff', 'add-tag', '--yes'))
		ok(project.runOffline('migrations:snapshot'))
		const [, addTag] = project.migrationNames()
		const { rmSync } = await import('node:fs')
		rmSync(join(project.root, 'migrations', `${addTag}.json`))
		const result = project.runOffline('migrations:verify-snapshot')
		expect(result.code).toBe(1)
		expect(result.stderr).toContain(`covered migration ${addTag} is missing`)
	}, SLOW)
})
