/**
 * The outcome of a COMMIT whose connection was lost while it was in flight: the server may or
 * may not have committed, and the dead connection cannot tell. A new connection can, once the
 * old session is gone: the ledger rows are written in the same transaction as the migrations.
 */
import pg from 'pg'
import { ExitCode, StrataError } from '../errors.js'
import { readLedger } from './ledger.js'
import { redact } from './redact.js'
import type { ExecutableMigration } from './status.js'

/** the connection failed while COMMIT was in flight: whether it committed is not known yet */
export class CommitInterrupted extends Error {
	constructor(readonly migrations: readonly ExecutableMigration[], cause: unknown) {
		super((cause as Error)?.message ?? String(cause), { cause })
	}
}

/** a second connection with the executing client's parameters */
export const reconnectLike = (client: pg.Client) => async (): Promise<pg.Client> => {
	const params = (client as unknown as { connectionParameters: { ssl?: pg.ClientConfig['ssl']; application_name?: string } }).connectionParameters
	const fresh = new pg.Client({
		user: client.user, host: client.host, port: client.port, database: client.database,
		password: (client as unknown as { password?: string }).password, ssl: params.ssl,
		application_name: params.application_name, connectionTimeoutMillis: 10_000,
	})
	fresh.on('error', () => undefined)
	await fresh.connect()
	return fresh
}

/**
 * The old session must be gone before the ledger tells the truth: once its backend has exited,
 * its COMMIT either happened or never will. A backend that lingers (the server has not noticed
 * the lost connection) is terminated, which cannot undo a commit that already happened.
 */
const awaitBackendExit = async (fresh: pg.Client, pid: number | undefined): Promise<void> => {
	if (pid === undefined) return
	for (let attempt = 0; attempt < 100; attempt++) {
		const alive = await fresh.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])
		if (alive.rowCount === 0) return
		if (attempt === 10) await fresh.query('SELECT pg_terminate_backend($1)', [pid])
		await new Promise(done => setTimeout(done, 100))
	}
	throw new Error(`the old session (backend ${pid}) is still running`)
}

/** reconnects and reads the ledger: says what the interrupted COMMIT actually did */
export const commitOutcome = async (
	client: pg.Client, ledgerSchema: string, reconnect: (() => Promise<pg.Client>) | undefined, interrupted: CommitInterrupted, committedBefore: readonly string[],
): Promise<StrataError> => {
	const names = interrupted.migrations.map(migration => migration.name)
	const earlier = committedBefore.length > 0 ? `\nCommitted before: ${committedBefore.join(', ')}.` : ''
	const lost = `The connection to PostgreSQL was lost while COMMIT was in flight (${interrupted.message}).`
	let fresh: pg.Client | undefined
	try {
		fresh = await (reconnect ?? reconnectLike(client))()
		await awaitBackendExit(fresh, (client as unknown as { processID?: number }).processID)
		const recorded = new Map((await readLedger(fresh, ledgerSchema)).map(row => [row.version, row.checksum]))
		const applied = interrupted.migrations.filter(migration => recorded.get(migration.version) === migration.checksum).map(migration => migration.name)
		const notApplied = names.filter(name => !applied.includes(name))
		const outcome = notApplied.length === 0
			? `After reconnecting, the ledger shows that the commit succeeded: ${applied.join(', ')} ${applied.length === 1 ? 'is' : 'are'} applied.`
			: applied.length === 0
				? `After reconnecting, the ledger shows that the transaction did not commit: none of ${names.join(', ')} was applied. Run migrations:execute again.`
				: `After reconnecting, the ledger shows ${applied.join(', ')} applied and ${notApplied.join(', ')} not applied. Run migrations:execute again for the rest.`
		return new StrataError('COMMIT_INTERRUPTED', redact(`${lost}\n${outcome}${earlier}`), ExitCode.migrationFailed, { cause: interrupted.cause })
	} catch (error) {
		const reason = (error as Error)?.message ?? String(error)
		return new StrataError('COMMIT_OUTCOME_UNKNOWN', redact(`${lost}\nWhether it committed is unknown: checking failed (${reason}).\n`
			+ `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} applied exactly when the ledger ${ledgerSchema}.migrations lists ${names.length === 1 ? 'it' : 'them'}: `
			+ `run "strata migrations:status" once the database is reachable (executed = applied, pending = not applied), then migrations:execute for what is pending.${earlier}`),
		ExitCode.migrationFailed, { cause: interrupted.cause })
	} finally {
		await fresh?.end().catch(() => undefined)
	}
}
