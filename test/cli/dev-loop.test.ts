/**
 * The whole development loop of issue 6, spawned against real PostgreSQL: edit, diff, execute,
 * edit again, amend, pull upstream, rebase, execute --force, snapshot. After every step the
 * live catalog matches the schema of the files and `migrations:status --check` passes.
 */
import { renameSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { replay } from '../../src/migrations/replay.js'
import { readMigrations } from '../../src/migrations/files.js'
import { useTestDatabase } from '../helpers/database.js'
import { ok, catalogMismatch, DevProject, entity, schemaOf } from '../integration/dev/project.js'

const db = useTestDatabase('dev_loop_cli')

describe('the development loop', () => {
	it('edit → diff → execute → edit → amend → upstream arrives → rebase → execute --force → snapshot', async () => {
		const database = await db.fresh('loop')
		const client = await database.client()
		const project = new DevProject(database.url)
		const inSync = async () => {
			const files = await readMigrations(join(project.root, 'migrations'))
			expect(await catalogMismatch(client, replay(files))).toEqual([])
			const status = project.run('migrations:status', '--check')
			expect(status.stdout).toMatch(/ 0 pending, 0 broken\./)
			expect(status.code).toBe(0)
		}

		project.declare(schemaOf(entity('Post', { title: {} })))
		ok(project.run('migrations:diff', 'init', '--yes'))
		// dated early so that upstream work can land between it and the local migration
		const [init] = project.migrationNames()
		renameSync(join(project.root, 'migrations', `${init}.json`), join(project.root, 'migrations', '2020-01-01-000000-init.json'))
		ok(project.run('migrations:execute', '--yes'))
		await inSync()

		project.declare(schemaOf(entity('Post', { title: {}, body: {} })))
		ok(project.run('migrations:diff', 'add-body', '--yes'))
		ok(project.run('migrations:execute', '--yes'))
		await inSync()

		project.declare(schemaOf(entity('Post', { title: {}, body: {}, views: { type: 'Integer' } })))
		ok(project.run('migrations:amend', '--yes'))
		await inSync()

		// upstream: a teammate's migration dated before add-body, and their schema change
		project.write('2020-01-01-000001-add-author', { formatVersion: 6, modifications: [{ modification: 'createEntity', entity: { ...entity('Author'), fields: { id: entity('Author').fields.id } } }] })
		const declared = schemaOf(entity('Post', { title: {}, body: {}, views: { type: 'Integer' } }), { ...entity('Author'), fields: { id: entity('Author').fields.id } } as ReturnType<typeof entity>)
		project.declare(declared)
		expect(project.run('migrations:status', '--check').code).not.toBe(0)

		const rebased = project.run('migrations:rebase', 'add-body')
		expect(rebased.code).toBe(0)
		expect(rebased.stdout).toContain('migrations:execute --force')
		expect(project.migrationNames().map(name => name.slice(18))).toEqual(['init', 'add-author', 'add-body'])
		ok(project.run('migrations:execute', '--yes', '--force'))
		await inSync()
		expect(await catalogMismatch(client, declared)).toEqual([])
		ok(project.runOffline('project:validate'))

		ok(project.runOffline('migrations:snapshot'))
		ok(project.runOffline('migrations:verify-snapshot'))
		// the snapshot rebuilds the same database in one step
		const other = await db.fresh('loop_bootstrap')
		const boot = project.runOffline('migrations:execute', '--yes', '--database-url', other.url)
		expect(boot.code).toBe(0)
		expect(boot.stderr).toContain('Bootstrapped from migrations/snapshot.json: 3 migrations')
		expect(await catalogMismatch(await other.client(), declared)).toEqual([])
	}, 600_000)
})
