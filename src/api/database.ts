/**
 * How the programmatic API reaches PostgreSQL: a connection string, which the function opens
 * and closes itself, or a `pg.Client` the caller connected and keeps (it is never closed here).
 */
import type pg from 'pg'
import { connectUrl, describeClient } from '../db/connection.js'
import { DEFAULT_LEDGER_SCHEMA, validateLedgerSchemaName } from '../db/ledger.js'
import { redact } from '../db/redact.js'
import { StrataError } from '../errors.js'

/** `postgresql://user:password@host:5432/db`, or a connected `pg.Client` */
export type DatabaseInput = string | pg.Client

/** what every database function of the API takes */
export interface DatabaseOptions {
	/** the database: a connection string (opened and closed by the call) or a connected `pg.Client` (left open) */
	readonly database: DatabaseInput
	/** the schema of strata's ledger table; default: the project's `ledgerSchema` setting, else `strata` */
	readonly ledgerSchema?: string
}

export interface Connection {
	readonly client: pg.Client
	/** host, port, database and user; never the password */
	readonly description: string
	/** localhost, 127.0.0.1, ::1 or a unix socket */
	readonly isLocal: boolean
}

/** the ledger schema of a call: the option, the project's setting, the default; checked as the CLI checks it */
export const ledgerSchemaFor = (options: { readonly ledgerSchema?: string }, config: { readonly ledgerSchema?: string } = {}): string =>
	validateLedgerSchemaName(options.ledgerSchema ?? config.ledgerSchema ?? DEFAULT_LEDGER_SCHEMA)

/**
 * Runs `work` on a connection. A connection string is connected here (errors name the server,
 * never the password) and closed afterwards, whatever happens; a client is used as given.
 * PostgreSQL's errors leave with the password redacted from their message.
 */
export const withConnection = async <R>(database: DatabaseInput, applicationName: string, work: (connection: Connection) => Promise<R>): Promise<R> => {
	if (typeof database !== 'string') {
		if (database === null || typeof database !== 'object' || typeof (database as pg.Client).query !== 'function') {
			throw new StrataError('INVALID_OPTION', 'database: expected a connection string (postgresql://…) or a connected pg.Client.')
		}
		return redacted(() => work({ client: database, ...describeClient(database) }))
	}
	const connection = await connectUrl(database, applicationName)
	try {
		return await redacted(() => work(connection))
	} finally {
		await connection.client.end().catch(() => undefined)
	}
}

const redacted = async <R>(work: () => Promise<R>): Promise<R> => {
	try {
		return await work()
	} catch (error) {
		if (error instanceof Error) error.message = redact(error.message)
		throw error
	}
}
