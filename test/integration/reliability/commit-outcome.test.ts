/**
 * The connection drops while COMMIT is in flight: the executor reconnects, reads the ledger and
 * reports what is actually applied, or says plainly that the outcome is unknown and how to check.
 * Deterministic: a TCP proxy on 127.0.0.1 understands just enough of the PostgreSQL protocol to
 * cut the connection at the COMMIT message, either right after forwarding it or instead of it.
 */
import net from 'node:net'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { executeMigrations } from '../../../src/db/executor.js'
import { ensureLedger, readLedger } from '../../../src/db/ledger.js'
import { StrataError } from '../../../src/errors.js'
import { useTestDatabase } from '../../helpers/database.js'
import { ensureBuilt, looksClean, runCli } from '../db/cli.js'
import { blogFiles, blogHistory, projectWith } from '../db/fixtures.js'

const db = useTestDatabase('commit_outcome')

type CutMode = 'after-forwarding' | 'instead-of-forwarding'

/** a proxy that cuts the first connection that sends COMMIT; later connections pass through */
const commitCuttingProxy = async (upstreamUrl: string, mode: CutMode) => {
	const upstream = new URL(upstreamUrl)
	const sockets = new Set<net.Socket>()
	let armed = true
	const server = net.createServer(client => {
		const backend = net.connect(Number(upstream.port || 5432), upstream.hostname)
		for (const socket of [client, backend]) {
			sockets.add(socket)
			socket.on('error', () => undefined)
			socket.on('close', () => sockets.delete(socket))
		}
		backend.pipe(client)
		let pending = Buffer.alloc(0)
		let started = false
		client.on('data', chunk => {
			pending = Buffer.concat([pending, chunk])
			for (;;) {
				// the startup message has no type byte; every later message is type + int32 length
				const headerLength = started ? 5 : 4
				if (pending.length < headerLength) return
				const total = started ? 1 + pending.readInt32BE(1) : pending.readInt32BE(0)
				if (pending.length < total) return
				const message = pending.subarray(0, total)
				pending = pending.subarray(total)
				const isCommit = started && message[0] === 0x51 && message.toString('utf8', 5, total - 1).trim().toUpperCase() === 'COMMIT'
				started = true
				if (isCommit && armed) {
					armed = false
					if (mode === 'after-forwarding') backend.end(message)
					else backend.destroy()
					client.destroy()
					return
				}
				backend.write(message)
			}
		})
		client.on('close', () => backend.destroy())
		backend.on('close', () => client.destroy())
	})
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
	const port = (server.address() as net.AddressInfo).port
	const url = new URL(upstreamUrl)
	url.hostname = '127.0.0.1'
	url.port = String(port)
	return {
		url: url.toString(),
		close: async () => {
			for (const socket of sockets) socket.destroy()
			await new Promise(resolve => server.close(resolve))
		},
	}
}

const closers: (() => Promise<unknown>)[] = []
afterEach(async () => {
	for (const close of closers.splice(0)) await close().catch(() => undefined)
})

const connect = async (url: string) => {
	const client = new pg.Client({ connectionString: url })
	client.on('error', () => undefined)
	await client.connect()
	closers.push(() => client.end())
	return client
}

const runThroughProxy = async (label: string, mode: CutMode, options: { reconnect?: () => Promise<pg.Client> } = {}) => {
	const database = await db.fresh(label)
	const direct = await connect(database.url)
	// the ledger exists already, so the first COMMIT through the proxy is the migrations' own
	await ensureLedger(direct, 'strata')
	const proxy = await commitCuttingProxy(database.url, mode)
	closers.push(proxy.close)
	const client = await connect(proxy.url)
	const error = await executeMigrations(client, blogFiles(), { ledgerSchema: 'strata', ...options }).then(() => undefined, (caught: unknown) => caught)
	return { error: error as StrataError, ledger: (await readLedger(direct, 'strata')).map(row => row.name) }
}

describe('a lost connection during COMMIT', () => {
	it('that committed: the ledger read after reconnecting says the migrations are applied', async () => {
		const { error, ledger } = await runThroughProxy('committed', 'after-forwarding')
		expect(ledger).toEqual(blogFiles().map(file => file.name))
		expect(error).toBeInstanceOf(StrataError)
		expect(error.code).toBe('COMMIT_INTERRUPTED')
		expect(error.message).toMatch(/the commit succeeded/)
		for (const name of ledger) expect(error.message).toContain(name)
		expect(error.message).not.toMatch(/none of/)
	})

	it('that never reached the server: the ledger says nothing was applied', async () => {
		const { error, ledger } = await runThroughProxy('not_committed', 'instead-of-forwarding')
		expect(ledger).toEqual([])
		expect(error.code).toBe('COMMIT_INTERRUPTED')
		expect(error.message).toMatch(/did not commit: none of .*2024-01-01-100000-authors/s)
	})

	it('migrations:execute reports it from the ledger: applied, exit 2, and a re-run has nothing to do', async () => {
		ensureBuilt()
		const database = await db.fresh('cli')
		await ensureLedger(await connect(database.url), 'strata')
		const proxy = await commitCuttingProxy(database.url, 'after-forwarding')
		closers.push(proxy.close)
		const root = await projectWith(blogHistory())
		const result = await runCli(['migrations:execute', '--yes', '--database-url', proxy.url], { cwd: root })
		expect(result.code, result.stderr).toBe(2)
		expect(result.stderr).toMatch(/lost while COMMIT was in flight.*the commit succeeded/s)
		expect(result.stderr).not.toMatch(/none of/)
		expect(looksClean(result.stderr)).toBe(true)
		const again = await runCli(['migrations:execute', '--yes', '--database-url', database.url], { cwd: root })
		expect(again.stdout).toContain('No migrations to execute')
	}, 300_000)

	it('when the outcome cannot be checked, it says so and how to check', async () => {
		const { error } = await runThroughProxy('unknown', 'after-forwarding', { reconnect: async () => { throw new Error('connect ECONNREFUSED') } })
		expect(error.code).toBe('COMMIT_OUTCOME_UNKNOWN')
		expect(error.message).toMatch(/unknown.*ECONNREFUSED/s)
		expect(error.message).toMatch(/migrations:status/)
	})
})
