/**
 * One session-level advisory lock per ledger. Session-level so that a killed process releases
 * it with its connection; polled with pg_try_advisory_lock so the wait is bounded and the
 * waiter can say who holds it.
 */
import { createHash } from 'node:crypto'
import type pg from 'pg'
import { StrataError } from '../errors.js'

export interface LockHolder {
	readonly pid: number
	readonly applicationName: string
	readonly user: string
	readonly clientAddress: string | null
	/** when the holder's session started */
	readonly since: Date | null
	readonly state: string | null
}

/** a stable signed 64-bit key derived from the ledger schema name */
export const ledgerLockKey = (ledgerSchema: string): bigint =>
	createHash('sha256').update(`strata-ledger:${ledgerSchema}`).digest().readBigInt64BE(0)

/** pg_locks shows a bigint advisory key as classid (high 32 bits), objid (low 32 bits), objsubid 1 */
const keyParts = (key: bigint) => {
	const unsigned = BigInt.asUintN(64, key)
	return { classid: String(unsigned >> 32n), objid: String(unsigned & 0xffffffffn) }
}

export const findLockHolders = async (client: pg.Client, key: bigint): Promise<LockHolder[]> => {
	const { classid, objid } = keyParts(key)
	const result = await client.query<{ pid: number; application_name: string; usename: string; client_addr: string | null; backend_start: Date | null; state: string | null }>(
		`SELECT a.pid, a.application_name, a.usename, a.client_addr::text AS client_addr, a.backend_start, a.state
		FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			AND l.classid::text = $1 AND l.objid::text = $2 AND l.objsubid = 1 AND l.pid <> pg_backend_pid()`,
		[classid, objid],
	)
	return result.rows.map(row => ({
		pid: row.pid,
		applicationName: row.application_name,
		user: row.usename,
		clientAddress: row.client_addr,
		since: row.backend_start,
		state: row.state,
	}))
}

export const describeHolder = (holder: LockHolder): string =>
	`pid ${holder.pid} (${holder.applicationName || 'no application name'}, user ${holder.user}${holder.clientAddress ? ` from ${holder.clientAddress}` : ''}`
	+ `${holder.since ? `, connected since ${holder.since.toISOString()}` : ''})`

/** what a command says while it waits for the lock: who holds it, and for how long it has waited */
export const lockWaitMessage = (holders: readonly LockHolder[], waitedMs?: number): string =>
	`Waiting for the migration lock${waitedMs ? ` (${Math.round(waitedMs / 1000)} s so far)` : ''}, held by ${
		holders.length > 0 ? holders.map(describeHolder).join('; ') : 'another session'
	} …`

export interface LockOptions {
	/** give up after this many milliseconds */
	readonly waitMs: number
	/** called once when the lock is busy, then about every 10 s while waiting */
	readonly onWait?: (holders: readonly LockHolder[], waitedMs: number) => void
	readonly pollMs?: number
}

export interface HeldLock {
	release(): Promise<void>
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

export const acquireLedgerLock = async (client: pg.Client, ledgerSchema: string, options: LockOptions): Promise<HeldLock> => {
	const key = ledgerLockKey(ledgerSchema)
	const started = Date.now()
	let lastReport = -Infinity
	for (let attempt = 0; ; attempt++) {
		const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [String(key)])
		if (result.rows[0]?.locked) {
			return {
				release: async () => {
					await client.query('SELECT pg_advisory_unlock($1::bigint)', [String(key)])
				},
			}
		}
		const waited = Date.now() - started
		if (waited >= options.waitMs) {
			const holders = await findLockHolders(client, key).catch(() => [])
			throw new StrataError('LOCK_TIMEOUT',
				`Another strata run holds the migration lock of ledger "${ledgerSchema}" and did not release it within ${Math.round(options.waitMs / 1000)} s.\n`
				+ (holders.length > 0 ? `Held by: ${holders.map(describeHolder).join('; ')}\n` : '')
				+ 'Wait for it to finish, or raise --lock-wait. (A killed run releases the lock with its connection.)')
		}
		if (options.onWait && waited - lastReport >= 10_000) {
			lastReport = waited
			options.onWait(await findLockHolders(client, key).catch(() => []), waited)
		}
		// start fast, then back off: concurrent deploys usually finish within a second
		const pause = Math.min(options.pollMs ?? 1000, 50 * 2 ** Math.min(attempt, 5))
		await sleep(Math.max(0, Math.min(pause, options.waitMs - waited)))
	}
}
