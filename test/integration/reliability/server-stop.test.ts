/**
 * The database stops in the middle of a run (a dedicated embedded cluster, never the shared
 * server): a clear error, exit 2 or 1, and nothing half-applied once it is back.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmbedded } from '../../../src/db/embedded.js'
import { startEmbeddedServer } from '../../helpers/database.js'
import { ensureBuilt, looksClean, passwordUrl, runCli, startCli } from '../db/cli.js'
import { projectWith } from '../db/fixtures.js'
import { atBoundary, boundaryState, fillRunning, prepareSlowDatabase, slowHistory, waitFor } from './slow.js'

let server: Awaited<ReturnType<typeof startEmbeddedServer>> | undefined
let restarted: Awaited<ReturnType<typeof startEmbedded>> | undefined

beforeAll(async () => {
	ensureBuilt()
	server = await startEmbeddedServer('stop')
}, 300_000)

afterAll(async () => {
	await restarted?.stop()
	await server?.stop()
}, 60_000)

const connect = async (url: string) => {
	const client = new pg.Client({ connectionString: url })
	client.on('error', () => undefined)
	await client.connect()
	return client
}

describe('database stops mid-run', () => {
	it('fails clearly and leaves nothing half-applied', async () => {
		const admin = await connect(server!.adminUrl)
		await admin.query('CREATE DATABASE stopme')
		await admin.end()
		const dbUrl = server!.adminUrl.replace(/\/postgres$/, '/stopme')
		const client = await connect(dbUrl)
		await prepareSlowDatabase(client)
		const url = await passwordUrl(dbUrl)
		const root = await projectWith(slowHistory())

		const { done } = startCli(['migrations:execute', '--yes', '--database-url', url], { cwd: root })
		await waitFor(() => fillRunning(client), 120_000, 'the fill UPDATE')
		await server!.cluster.stop()
		const result = await done
		expect([1, 2]).toContain(result.code)
		expect(result.stderr).toMatch(/terminat|connection|shut/i)
		expect(result.stderr).toMatch(/rolled back|not committed|discards it/i)
		expect(looksClean(result.stderr)).toBe(true)

		// back up (same data directory, new port): the run left nothing behind
		restarted = await startEmbedded({ dataDir: server!.dataDir, announce: () => undefined })
		const port = (u: string) => u.replace(/:\d+\//, `:${restarted!.port}/`)
		const again = await connect(port(dbUrl))
		const state = await boundaryState(again)
		expect(atBoundary(state), JSON.stringify(state)).toBe(true)
		expect(state.ledger).toEqual([slowHistory()[0]!.name])
		const rerun = await runCli(['migrations:execute', '--yes', '--database-url', port(url)], { cwd: root })
		expect(rerun.code, rerun.stderr).toBe(0)
		expect((await boundaryState(again)).ledger).toEqual(slowHistory().map(it => it.name))
		await again.end()
	}, 600_000)

	it('a server that is not there: exit 1 naming host, port, database and user, never the password', async () => {
		const root = await projectWith(slowHistory())
		const result = await runCli(['migrations:status', '--database-url', `postgresql://someone:${encodeURIComponent('S3cr3t:p@ss/w0rd%x')}@127.0.0.1:1/nowhere`], { cwd: root })
		expect(result.code).toBe(1)
		expect(result.stderr).toContain('host 127.0.0.1, port 1, database "nowhere", user "someone"')
		expect(result.stderr).toContain('connection refused')
		expect(looksClean(result.stderr)).toBe(true)
	})
})
