/**
 * The database stops in the middle of a run (a dedicated embedded cluster, never the shared
 * server): a clear error, exit 2 or 1, and nothing half-applied once it is back.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmbedded } from '../../../src/db/embedded.js'
import { recordAdversarial, scaled } from '../../helpers/adversarial.js'
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
	// `npm test`: once per transaction mode; STRATA_SOAK=1: three times each
	const modes = Array.from({ length: scaled(1, 3) }, () => ['all', 'each'] as const).flat()

	it(`fails clearly and leaves nothing half-applied (${modes.length} server deaths)`, async () => {
		let adminUrl = server!.adminUrl
		for (const [trial, mode] of modes.entries()) {
			const admin = await connect(adminUrl)
			await admin.query(`CREATE DATABASE stopme_${trial}`)
			await admin.end()
			const dbUrl = adminUrl.replace(/\/postgres$/, `/stopme_${trial}`)
			const client = await connect(dbUrl)
			await prepareSlowDatabase(client)
			const url = await passwordUrl(dbUrl)
			const root = await projectWith(slowHistory())

			const { child, done } = startCli(['migrations:execute', '--yes', '--transaction', mode, '--database-url', url], { cwd: root })
			await waitFor(async () => (await fillRunning(client)) || child.exitCode !== null, 120_000, 'the fill UPDATE')
			// a run that ended before the fill started is a broken setup, not a finding: show its output
			if (child.exitCode !== null) expect.fail(`execute ended before the fill ran: ${(await done).stderr}`)
			await (restarted ?? server!.cluster).stop()
			const result = await done
			const context = `trial ${trial} (${mode}): ${result.stderr}`
			expect([1, 2], context).toContain(result.code)
			expect(result.stderr, context).toMatch(/terminat|connection|shut/i)
			expect(result.stderr, context).toMatch(/rolled back|not committed|discards it/i)
			expect(looksClean(result.stderr), context).toBe(true)

			// back up (same data directory, new port): the run left nothing behind
			restarted = await startEmbedded({ dataDir: server!.dataDir, announce: () => undefined })
			const port = (u: string) => u.replace(/:\d+\//, `:${restarted!.port}/`)
			adminUrl = port(adminUrl)
			const again = await connect(port(dbUrl))
			const state = await boundaryState(again)
			expect(atBoundary(state), JSON.stringify(state)).toBe(true)
			expect(state.ledger).toEqual([slowHistory()[0]!.name])
			const rerun = await runCli(['migrations:execute', '--yes', '--database-url', port(url)], { cwd: root })
			expect(rerun.code, rerun.stderr).toBe(0)
			expect((await boundaryState(again)).ledger).toEqual(slowHistory().map(it => it.name))
			await again.end()
		}
		recordAdversarial({
			attack: 'database death',
			tried: `${modes.length} server stops in the middle of a 100k-row UPDATE, both transaction modes`,
			held: 'clear error, nothing half-applied, re-run completes',
		})
	}, 900_000)

	it('a server that is not there: exit 1 naming host, port, database and user, never the password', async () => {
		const root = await projectWith(slowHistory())
		const result = await runCli(['migrations:status', '--database-url', `postgresql://someone:${encodeURIComponent('S3cr3t:p@ss/w0rd%x')}@127.0.0.1:1/nowhere`], { cwd: root })
		expect(result.code).toBe(1)
		expect(result.stderr).toContain('host 127.0.0.1, port 1, database "nowhere", user "someone"')
		expect(result.stderr).toContain('connection refused')
		expect(looksClean(result.stderr)).toBe(true)
	})
})
