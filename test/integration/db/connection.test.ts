/**
 * Database URL resolution, locality and redaction (no server needed), and the ledger's shape
 * bookkeeping and the lock against a real server.
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { connectClient, connectionReason, isLocalHost, openDatabase, parseDotEnv, resolveDatabaseTarget } from '../../../src/db/connection.js'
import { ensureLedger, LEDGER_SHAPE_VERSION, readLedger } from '../../../src/db/ledger.js'
import { acquireLedgerLock, describeHolder, type LockHolder } from '../../../src/db/lock.js'
import { readCatalog } from '../../../src/db/introspect.js'
import { redact, registerSecret } from '../../../src/db/redact.js'
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

describe('URL parsing like pg, and redaction', () => {
	const p = { root: tmpdir(), config: {} }

	it('reads what pg reads: @ and spaces in the password, a space in the host, percent-encoding', async () => {
		const { targetIsLocal } = await import('../../../src/db/connection.js')
		expect(targetIsLocal(p, { databaseUrl: 'postgresql://app:pa@ssw0rd@db.example.com/app' }).description).toBe('host db.example.com, port 5432, database "app", user "app"')
		expect(targetIsLocal(p, { databaseUrl: 'postgresql://app:pass word@no host/app' }).description).toBe('host no host, port 5432, database "app", user "app"')
		expect(targetIsLocal(p, { databaseUrl: 'postgresql://app@/app?host=/var/run/postgresql&port=5433' })).toEqual({ isLocal: true, description: 'host /var/run/postgresql, port 5433, database "app", user "app"' })
	})

	it('refuses a URL without scheme:// (pg would read it as a database name on host "base"), masking the password in the echo', async () => {
		const { targetIsLocal } = await import('../../../src/db/connection.js')
		const error = (() => {
			try {
				targetIsLocal(p, { databaseUrl: 'postgres//user:Pw0rdValue@host/db' })
			} catch (e) {
				return e as Error
			}
		})()
		expect(error?.message).toMatch(/from --database-url is not a valid URL/)
		expect(error?.message).toContain('postgres//user:***@host/db')
		expect(error?.message).not.toContain('Pw0rdValue')
	})

	it('refuses a key/value string and a bare value without echoing the password', async () => {
		const { targetIsLocal } = await import('../../../src/db/connection.js')
		expect(() => targetIsLocal(p, { databaseUrl: "host=db password='kv secret'" })).toThrow(/key\/value connection string \(host=db password=\*\*\*\)/)
		expect(() => targetIsLocal(p, { databaseUrl: 'JustTheP4ssword' })).toThrow(/the value is not shown/)
		expect(redact('JustTheP4ssword')).toBe('***')
	})

	it('registers every candidate URL (flag, DATABASE_URL, .env, config) before resolving', async () => {
		const root = await mkdtemp(path.join(tmpdir(), 'strata-conn-'))
		await writeFile(path.join(root, '.env'), 'DATABASE_URL="postgresql://a:DotEnvSecret1@h/db"\nAPI_TOKEN=TokenFromDotEnv9\n')
		resolveDatabaseTarget({ root, config: { databaseUrl: 'postgresql://a:ConfigSecret1@h/db' } }, {}, { DATABASE_URL: '', PGPASSWORD: 'PgPasswordEnv1' })
		expect(redact('DotEnvSecret1 ConfigSecret1 TokenFromDotEnv9 PgPasswordEnv1')).toBe('*** *** *** ***')
	})

	it('removes passwords from URLs and registered secrets in any text', () => {
		registerSecret('hunter2:pw')
		expect(redact('failed for postgresql://me:hunter2%3Apw@db/x and hunter2:pw')).toBe('failed for postgresql://me:***@db/x and ***')
		expect(redact('postgres://me:other@db:5432/x?password=zzz')).not.toMatch(/other|zzz/)
		expect(redact('host=db password=abc')).toBe('host=db password=***')
	})
})

describe('why a connection failed, in PostgreSQL\'s words', () => {
	it('a role that does not exist is reported in PostgreSQL\'s words (28000 on a trust server, not a wrong password)', async () => {
		const url = new URL(db.url)
		const params = { host: url.hostname, port: Number(url.port || 5432), database: 'postgres', user: 'no_such_role_x' }
		const config = { host: params.host, port: params.port, database: 'postgres', user: params.user, password: 'irrelevant' }
		// what the server itself says: 28000 "role … does not exist" under trust, 28P01 under password
		// authentication (which hides whether the role exists), as on the embedded cluster
		const raw = await new pg.Client(config).connect().then(() => undefined, (e: { code: string; message: string }) => e)
		expect(raw?.code).toMatch(/^28(000|P01)$/)
		const error = await connectClient(config, params).then(() => new Error('connected'), (e: Error) => e)
		expect(error.message).toContain(`${raw!.message} [${raw!.code}]`)
		if (raw!.code === '28000') {
			expect(error.message).toMatch(/role "no_such_role_x" does not exist \[28000\]/)
			expect(error.message).not.toMatch(/password/)
		}
	})

	it('keeps the SQLSTATE and the server message for each authentication failure', () => {
		expect(connectionReason({ code: '28P01', message: 'password authentication failed for user "app"' })).toBe('password authentication failed for user "app" [28P01] (check the password)')
		expect(connectionReason({ code: '28000', message: 'no pg_hba.conf entry for host "10.0.0.1"' })).toMatch(/^no pg_hba\.conf entry for host "10\.0\.0\.1" \[28000\] \(check the user name/)
	})

	it('a database named after the password does not leak it through PostgreSQL\'s message', async () => {
		const url = new URL(db.url)
		// the server's own password where it has one (the embedded cluster), so authentication passes
		const password = url.password !== '' ? decodeURIComponent(url.password) : 'NamedLikeTheDb7'
		url.password = password
		url.pathname = `/x${password}`
		const error = await openDatabase({ root: tmpdir(), config: {} }, { databaseUrl: url.toString() }, { warn: () => undefined }).then(() => new Error('connected'), (e: Error) => e)
		expect(error.message).toMatch(/database "x\*\*\*" does not exist \[3D000\]/)
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
		const metadata = await readCatalog(client)
		expect(metadata.foreignKeys).toEqual([expect.objectContaining({ fromTable: 'b', fromColumn: 'a_id', toTable: 'a', toColumn: 'id', deleteAction: 'c', deferrable: true, deferred: false })])
		expect(metadata.uniqueConstraints).toEqual([expect.objectContaining({ tableName: 'a', columnNames: ['code'] })])
		expect(metadata.indexes.map(index => [index.indexName, index.columnNames, index.unique])).toEqual([['a_xy', ['x', 'y'], false], ['a_y_unique', ['y'], true]])
	})
})
