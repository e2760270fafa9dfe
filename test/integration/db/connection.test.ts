/**
 * Database URL resolution, locality and redaction (no server needed), and the ledger's shape
 * bookkeeping and the lock against a real server.
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { isLocalHost, parseDotEnv, resolveDatabaseTarget } from '../../../src/db/connection.js'
import { ensureLedger, LEDGER_SHAPE_VERSION, readLedger } from '../../../src/db/ledger.js'
import { acquireLedgerLock, describeHolder, type LockHolder } from '../../../src/db/lock.js'
import { readDatabaseMetadata } from '../../../src/db/introspect.js'
import { redact, redactUrl, registerSecret } from '../../../src/db/redact.js'
import { useTestDatabase } from '../../helpers/database.js'

const db = useTestDatabase('connection')

describe('URL resolution', () => {
	const project = async (files: Record<string, string> = {}, config: { databaseUrl?: string } = {}) => {
		const root = await mkdtemp(path.join(tmpdir(), 'strata-conn-'))
		for (const [name, content] of Object.entries(files)) await writeFile(path.join(root, name), content)
		return { root, config }
	}

	it('--database-url > DATABASE_URL > .env > config > embedded', async () => {
		const p = await project({ '.env': 'DATABASE_URL=postgresql://dotenv/db\n' }, { databaseUrl: 'postgresql://config/db' })
		expect(resolveDatabaseTarget(p, { databaseUrl: 'postgresql://flag/db' }, { DATABASE_URL: 'postgresql://env/db' })).toMatchObject({ url: 'postgresql://flag/db', source: '--database-url' })
		expect(resolveDatabaseTarget(p, {}, { DATABASE_URL: 'postgresql://env/db' })).toMatchObject({ url: 'postgresql://env/db' })
		expect(resolveDatabaseTarget(p, {}, {})).toMatchObject({ url: 'postgresql://dotenv/db', source: '.env' })
		const noEnv = await project({}, { databaseUrl: 'postgresql://config/db' })
		expect(resolveDatabaseTarget(noEnv, {}, {})).toMatchObject({ url: 'postgresql://config/db' })
		const bare = await project()
		expect(resolveDatabaseTarget(bare, {}, {})).toEqual({ kind: 'embedded', dataDir: path.join(bare.root, '.strata', 'postgres') })
	})

	it('refuses the embedded default in CI and production unless --embedded', async () => {
		const bare = await project()
		expect(() => resolveDatabaseTarget(bare, {}, { CI: 'true' })).toThrow(/a deploy must name its database/)
		expect(() => resolveDatabaseTarget(bare, {}, { NODE_ENV: 'production' })).toThrow(/NODE_ENV=production/)
		expect(resolveDatabaseTarget(bare, {}, { CI: '0' }).kind).toBe('embedded')
		expect(resolveDatabaseTarget(bare, { embedded: true }, { CI: 'true' }).kind).toBe('embedded')
		expect(() => resolveDatabaseTarget(bare, { embedded: true, databaseUrl: 'postgresql://x/y' }, {})).toThrow(/either/)
	})

	it('parses .env files', () => {
		expect(parseDotEnv('# c\nexport DATABASE_URL="postgresql://a b"\nX=1 # note\nY=\'q#r\'\nbad line\n')).toEqual({ DATABASE_URL: 'postgresql://a b', X: '1', Y: 'q#r' })
	})

	it('knows local hosts', () => {
		for (const host of ['localhost', '127.0.0.1', '::1', '/var/run/postgresql', '', undefined]) expect(isLocalHost(host)).toBe(true)
		for (const host of ['db.example.com', '10.0.0.5', 'localhost.evil.com']) expect(isLocalHost(host)).toBe(false)
	})
})

describe('URL parsing', () => {
	it('accepts socket URLs and odd passwords, and knows what is local before connecting', async () => {
		const { targetIsLocal } = await import('../../../src/db/connection.js')
		const p = { root: tmpdir(), config: {} }
		expect(targetIsLocal(p, { databaseUrl: 'postgresql://u@/db?host=/var/run/postgresql' }).isLocal).toBe(true)
		expect(targetIsLocal(p, { databaseUrl: 'postgresql:///db?host=/tmp' }).isLocal).toBe(true)
		expect(targetIsLocal(p, { databaseUrl: 'postgres://u:p@[::1]:5433/db' })).toEqual({ isLocal: true, description: 'host ::1, port 5433, database "db", user "u"' })
		const remote = targetIsLocal(p, { databaseUrl: 'postgresql://u:p%zz@db.example.com/app' })
		expect(remote.isLocal).toBe(false)
		expect(remote.description).not.toContain('p%zz')
		expect(() => targetIsLocal(p, { databaseUrl: 'mysql://u:secretpw@h/db' })).toThrow(/postgresql:\/\//)
		expect(() => targetIsLocal(p, { databaseUrl: 'not a url secretpw' })).toThrow(/not a valid URL/)
	})
})

describe('redaction', () => {
	it('removes passwords from URLs and registered secrets in any text', () => {
		registerSecret('hunter2:pw')
		expect(redact('failed for postgresql://me:hunter2%3Apw@db/x and hunter2:pw')).toBe('failed for postgresql://me:***@db/x and ***')
		expect(redactUrl('postgres://me:other@db:5432/x?password=zzz')).not.toMatch(/other|zzz/)
		expect(redact('host=db password=abc')).toBe('host=db password=abc')
	})
})

describe('ledger and lock', () => {
	it('creates the ledger once, records its shape version, reads empty before it exists', async () => {
		const client = await db.client()
		expect(await readLedger(client, 'shape_test')).toEqual([])
		await ensureLedger(client, 'shape_test')
		await ensureLedger(client, 'shape_test')
		const version = await client.query(`SELECT value FROM shape_test.ledger_meta WHERE key = 'shape_version'`)
		expect(Number(version.rows[0].value)).toBe(LEDGER_SHAPE_VERSION)
		await client.query(`UPDATE shape_test.ledger_meta SET value = '99'`)
		await expect(ensureLedger(client, 'shape_test')).rejects.toThrow(/newer strata/)
		await expect(ensureLedger(client, 'bad-name;')).rejects.toThrow(/not a plain identifier/)
	})

	it('a second session waits a bounded time, is told who holds the lock, and gets it once released', async () => {
		const holder = await db.client()
		await holder.query(`SET application_name = 'deploy-1'`)
		const lock = await acquireLedgerLock(holder, 'strata', { waitMs: 1000 })
		const waiter = await db.client()
		const seen: LockHolder[][] = []
		const error = await acquireLedgerLock(waiter, 'strata', { waitMs: 600, onWait: holders => seen.push([...holders]) }).catch(e => e)
		expect(error.message).toMatch(/did not release it within/)
		expect(error.message).toContain('deploy-1')
		expect(seen[0]?.[0]?.applicationName).toBe('deploy-1')
		expect(describeHolder(seen[0]![0]!)).toMatch(/^pid \d+ \(deploy-1, user /)
		await lock.release()
		const second = await acquireLedgerLock(waiter, 'strata', { waitMs: 1000 })
		await second.release()
	})

	it('introspects foreign keys, unique constraints and plain indexes', async () => {
		const client = await db.client()
		await client.query(`CREATE TABLE a (id int PRIMARY KEY, code text UNIQUE, x int, y int);
			CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a(id) ON DELETE CASCADE DEFERRABLE);
			CREATE INDEX a_xy ON a (x, y); CREATE UNIQUE INDEX a_y_unique ON a (y)`)
		const metadata = await readDatabaseMetadata(client)
		expect(metadata.live).toBe(true)
		expect(metadata.foreignKeys).toEqual([expect.objectContaining({ fromTable: 'b', fromColumn: 'a_id', toTable: 'a', toColumn: 'id', deleteAction: 'c', deferrable: true, deferred: false })])
		expect(metadata.uniqueConstraints).toEqual([expect.objectContaining({ tableName: 'a', columnNames: ['code'] })])
		expect(metadata.indexes.map(index => [index.indexName, index.columnNames, index.unique])).toEqual([['a_xy', ['x', 'y'], false], ['a_y_unique', ['y'], true]])
	})
})
