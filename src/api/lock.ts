/**
 * The migration lock: the PostgreSQL advisory lock every strata run that changes a database
 * (execute, amend, rebase, rollback) holds while it works. Holding it from a script keeps
 * strata out while the script does its own maintenance.
 */
import type { LockHolder } from '../db/lock.js'
import { acquireLedgerLock } from '../db/lock.js'
import { ledgerSchemaFor, withConnection, type Connection, type DatabaseOptions } from './database.js'

export interface MigrationLockOptions extends DatabaseOptions {
	/** give up after this many milliseconds (default 60 000); the error names who holds it */
	readonly waitMs?: number
	/** called when the lock is busy, then about every 10 s while waiting */
	readonly onWait?: (holders: readonly LockHolder[], waitedMs: number) => void
}

export type { LockHolder }

/**
 * Runs `work` while holding the migration lock of the ledger, then releases it (also when
 * `work` throws). The lock belongs to the session: with a connection string strata opens one
 * for the duration; with a client, `work` should use that client.
 *
 * @throws StrataError `LOCK_TIMEOUT` when another run holds the lock longer than `waitMs`
 */
export const withMigrationLock = async <R>(options: MigrationLockOptions, work: (connection: Connection) => Promise<R>): Promise<R> => {
	const ledgerSchema = ledgerSchemaFor(options)
	return withConnection(options.database, 'strata (migration lock)', async connection => {
		const lock = await acquireLedgerLock(connection.client, ledgerSchema, { waitMs: options.waitMs ?? 60_000, ...(options.onWait ? { onWait: options.onWait } : {}) })
		try {
			return await work(connection)
		} finally {
			await lock.release()
		}
	})
}
