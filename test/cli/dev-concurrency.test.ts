/**
 * migrations:amend and migrations:execute running at the same time are serialised by the
 * ledger's advisory lock. To make the overlap certain (no sleeps, no timing), the test holds a
 * table lock that blocks the first command's DDL while it holds the migration lock, waits until
 * the second command says it is waiting for that lock, then lets the first one finish.
 */
import type pg from 'pg'
import { describe, expect, it } from 'vitest'
import { migrationChecksum } from '../../src/migrations/checksum.js'
import { useTestDatabase } from '../helpers/database.js'
import { ok, catalogMismatch, DevProject, entity, ledgerRows, schemaOf } from '../integration/dev/project.js'

/** many spawned CLI runs per test: generous on a loaded machine (no timing is asserted) */
const SLOW = 300_000

const db = useTestDatabase('dev_lock')

const poll = async (what: string, check: () => Promise<boolean> | boolean): Promise<void> => {
	for (let attempt = 0; attempt < 1200; attempt++) {
		if (await check()) return
		await new Promise(resolve => setTimeout(resolve, 100))
	}
	throw new Error(`gave up waiting for ${what}`)
}

/** a session of `application` is blocked on a table lock (its DDL waits for the test's lock) */
const blockedOnTable = (client: pg.Client, application: string) => async () =>
	(await client.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database() AND wait_event_type = 'Lock'`, [application])).rowCount! > 0

describe('amend and execute at the same time', () => {
	it('an execute holding the lock makes amend wait; amend then amends the migration it just ran', async () => {
		const database = await db.fresh('execute_first')
		const project = new DevProject(database.url)
		project.declare(schemaOf(entity('Post', { title: {} })))
		ok(project.run('migrations:diff', 'init', '--yes', '--execute'))
		project.declare(schemaOf(entity('Post', { title: {}, body: {} })))
		ok(project.run('migrations:diff', 'add-body', '--yes'))
		const [, addBody] = project.migrationNames()

		const blocker = await database.client()
		const watcher = await database.client()
		await blocker.query('BEGIN')
		await blocker.query('LOCK TABLE post IN ACCESS EXCLUSIVE MODE')
		const execute = project.spawn(['migrations:execute', '--yes', '--lock-timeout', '0'])
		await poll('execute to block on the table', blockedOnTable(watcher, 'strata migrations:execute'))

		const declared = schemaOf(entity('Post', { title: {}, body: {}, views: { type: 'Integer' } }))
		project.declare(declared)
		let amendOutput = ''
		let amendEnded = false
		const amend = project.spawn(['migrations:amend', '--yes'], text => (amendOutput = text)).finally(() => (amendEnded = true))
		await poll('amend to wait for the migration lock', () => {
			if (amendEnded && !amendOutput.includes('Waiting for the migration lock')) throw new Error(`amend ended without waiting:\n${amendOutput}`)
			return amendOutput.includes('Waiting for the migration lock')
		})
		expect(amendOutput).toContain('strata migrations:execute')
		await blocker.query('ROLLBACK')

		const [executed, amended] = await Promise.all([execute, amend])
		expect(executed.code).toBe(0)
		expect(amended.stderr).not.toMatch(/error/)
		expect(amended.code).toBe(0)
		expect(amended.stdout).toContain('executed locally')
		expect(project.read(addBody!).modifications.map(it => (it.field as { name: string }).name)).toEqual(['body', 'views'])
		expect((await ledgerRows(watcher)).find(row => row.name === addBody)?.checksum).toBe(migrationChecksum(project.read(addBody!)))
		expect(await catalogMismatch(watcher, declared)).toEqual([])
		ok(project.run('migrations:status', '--check'))
	}, SLOW)

	it('an amend holding the lock makes execute wait; execute never sees a half-amended state', async () => {
		const database = await db.fresh('amend_first')
		const project = new DevProject(database.url)
		project.declare(schemaOf(entity('Post', { title: {} })))
		ok(project.run('migrations:diff', 'init', '--yes', '--execute'))
		const [init] = project.migrationNames()

		const blocker = await database.client()
		const watcher = await database.client()
		await blocker.query('BEGIN')
		await blocker.query('LOCK TABLE post IN ACCESS EXCLUSIVE MODE')
		const declared = schemaOf(entity('Post', { title: {}, views: { type: 'Integer' } }))
		project.declare(declared)
		const amend = project.spawn(['migrations:amend', '--yes', '--lock-timeout', '0'])
		await poll('amend to block on the table', blockedOnTable(watcher, 'strata migrations:amend'))

		// meanwhile a teammate's migration arrives and someone runs execute
		project.write('2999-01-01-000000-add-tag', { formatVersion: 6, modifications: [{ modification: 'createEntity', entity: entity('Tag') }] })
		let executeOutput = ''
		let executeEnded = false
		const execute = project.spawn(['migrations:execute', '--yes'], text => (executeOutput = text)).finally(() => (executeEnded = true))
		await poll('execute to wait for the migration lock', () => {
			if (executeEnded && !executeOutput.includes('Waiting for the migration lock')) throw new Error(`execute ended without waiting:\n${executeOutput}`)
			return executeOutput.includes('Waiting for the migration lock')
		})
		expect(executeOutput).toContain('strata migrations:amend')
		await blocker.query('ROLLBACK')

		const [amended, executed] = await Promise.all([amend, execute])
		expect(amended.code).toBe(0)
		// execute saw amend's journal, waited for the lock, then read the amended files
		ok(executed)
		expect(executed.stdout).toContain('2999-01-01-000000-add-tag')
		expect((await ledgerRows(watcher)).map(row => row.name)).toEqual([init, '2999-01-01-000000-add-tag'])
		expect((await ledgerRows(watcher))[0]!.checksum).toBe(migrationChecksum(project.read(init!)))
		expect(await catalogMismatch(watcher, schemaOf(entity('Post', { title: {}, views: { type: 'Integer' } }), entity('Tag')))).toEqual([])
		ok(project.run('migrations:status', '--check'))
	}, SLOW)
})
