/**
 * SIGINT while migrations:amend runs its database part (a NOT NULL column filled over 100k local
 * rows): exit 130, the journal rolled back with the transaction — the migration file as before,
 * no journal left, the local database as before, the lock free — and a re-run amends.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ledgerLockKey } from '../../src/db/lock.js'
import { recordAdversarial } from '../helpers/adversarial.js'
import { useTestDatabase } from '../helpers/database.js'
import { ensureBuilt, looksClean, startCli } from '../integration/db/cli.js'
import { columnsOf, DevProject, entity, ok, schemaOf } from '../integration/dev/project.js'
import { ROWS, waitFor } from '../integration/reliability/slow.js'

const db = useTestDatabase('interrupt_dev')

beforeAll(() => ensureBuilt(), 300_000)

const fillRunning = async (client: import('pg').Client): Promise<boolean> =>
	((await client.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'strata migrations:amend' AND datname = current_database() AND state = 'active' AND query ILIKE 'UPDATE%post%'`)).rowCount ?? 0) > 0

describe('an interrupt during migrations:amend', () => {
	it('SIGINT mid-fill: exit 130, file and local database as before, no journal, lock free; a re-run amends', async () => {
		const database = await db.fresh('amend')
		const project = new DevProject(database.url)
		project.declare(schemaOf(entity('Post', { title: {} })))
		ok(project.run('migrations:diff', 'init', '--yes'))
		ok(project.run('migrations:execute', '--yes'))
		const client = await database.client()
		await client.query(`INSERT INTO post (id, title) SELECT gen_random_uuid(), 't' || g FROM generate_series(1, ${ROWS}) g`)
		project.declare(schemaOf(entity('Post', { title: {}, rating: { type: 'Integer', nullable: false } })))
		const [init] = project.migrationNames()
		const file = path.join(project.root, 'migrations', `${init}.json`)
		const before = readFileSync(file, 'utf8')
		const checksum = async () => (await client.query('SELECT checksum FROM strata.migrations')).rows.map(row => row.checksum as string)
		const checksumBefore = await checksum()

		const { child, done } = startCli(['migrations:amend', '--yes', '--fill', 'Post.rating=4', '--database-url', database.url], { cwd: project.root })
		await waitFor(async () => (await fillRunning(client)) || child.exitCode !== null, 60_000, 'the fill UPDATE')
		expect(child.exitCode, 'amend finished before it could be interrupted').toBeNull()
		child.kill('SIGINT')
		const result = await done
		expect(result.code, result.stderr).toBe(130)
		expect(result.stderr).toContain('Interrupted (Ctrl-C / SIGINT): nothing was changed.')
		expect(looksClean(result.stderr)).toBe(true)

		const lock = await client.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [String(ledgerLockKey('strata'))])
		expect(lock.rows[0].ok, 'the migration lock is still held').toBe(true)
		await client.query('SELECT pg_advisory_unlock($1::bigint)', [String(ledgerLockKey('strata'))])
		expect(readFileSync(file, 'utf8')).toBe(before)
		expect(existsSync(path.join(project.root, '.strata', 'dev-journal.json'))).toBe(false)
		expect(await columnsOf(client, 'post')).not.toContain('rating')
		expect(await checksum()).toEqual(checksumBefore)

		ok(project.run('migrations:amend', '--yes', '--fill', 'Post.rating=4'))
		expect(await columnsOf(client, 'post')).toContain('rating')
		expect(readFileSync(file, 'utf8')).not.toBe(before)
		await client.end()
		recordAdversarial({
			attack: 'interrupts',
			tried: '1 interrupt: SIGINT during migrations:amend mid-fill (100k rows)',
			held: 'exit 130, journal rolled back with the transaction (file and database as before), lock freed, re-run amends',
		})
	}, 300_000)
})
