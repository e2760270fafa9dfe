/**
 * What a failed statement tells the user: the migration, the modification, the statement,
 * PostgreSQL's message / detail / hint / position, and what happened to the transaction.
 */
import type pg from 'pg'
import { ExitCode, StrataError } from '../errors.js'
import { redact } from './redact.js'

export interface DatabaseErrorDetails {
	readonly message: string
	readonly code?: string
	readonly detail?: string
	readonly hint?: string
	readonly position?: number
	readonly where?: string
	readonly table?: string
	readonly column?: string
	readonly constraint?: string
}

export const describeDatabaseError = (error: unknown): DatabaseErrorDetails => {
	const e = error as Partial<pg.DatabaseError> & { message?: string }
	const clean = (value: string | undefined) => (value ? redact(value) : undefined)
	return {
		message: redact(e?.message ?? String(error)),
		code: e?.code,
		detail: clean(e?.detail),
		hint: clean(e?.hint),
		position: e?.position ? Number(e.position) : undefined,
		where: clean(e?.where),
		table: e?.table,
		column: e?.column,
		constraint: e?.constraint,
	}
}

export interface BlockingSession {
	readonly pid: number
	readonly applicationName: string
	readonly state: string | null
	readonly since: Date | null
	readonly relation: string
	readonly mode: string
	readonly query: string
}

/** sessions holding locks on this database's tables — who a lock_timeout was waiting for */
export const findBlockingSessions = async (client: pg.Client): Promise<BlockingSession[]> => {
	const result = await client.query<{ pid: number; application_name: string; state: string | null; xact_start: Date | null; relation: string; mode: string; query: string }>(
		`SELECT DISTINCT ON (a.pid) a.pid, a.application_name, a.state, a.xact_start, l.relation::regclass::text AS relation, l.mode, left(a.query, 200) AS query
		FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid()
			AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			AND l.relation::regclass::text NOT LIKE 'pg\\_%'
		ORDER BY a.pid, l.mode DESC LIMIT 5`)
	return result.rows.map(row => ({
		pid: row.pid, applicationName: row.application_name, state: row.state, since: row.xact_start,
		relation: row.relation, mode: row.mode, query: redact(row.query),
	}))
}

export interface MigrationFailureDetails {
	readonly migration: string
	readonly modificationIndex: number
	readonly modificationId: string
	readonly statement: string
	readonly database: DatabaseErrorDetails
	readonly rolledBack?: boolean
	readonly committed?: readonly string[]
	readonly blocking?: readonly BlockingSession[]
}

const pointAt = (statement: string, position: number | undefined): string => {
	const lines = statement.split('\n')
	if (!position || position < 1) return lines.map(line => `    ${line}`).join('\n')
	let offset = 0
	const out: string[] = []
	for (const line of lines) {
		out.push(`    ${line}`)
		if (position > offset && position <= offset + line.length + 1) out.push(`    ${' '.repeat(position - offset - 1)}^`)
		offset += line.length + 1
	}
	return out.join('\n')
}

const render = (d: MigrationFailureDetails): string => {
	const db = d.database
	const parts = [
		`Migration ${d.migration} failed at modification #${d.modificationIndex} (${d.modificationId}).`,
		`  PostgreSQL: ${db.message}${db.code ? ` [${db.code}]` : ''}`,
		db.detail ? `  detail: ${db.detail}` : undefined,
		db.hint ? `  hint: ${db.hint}` : undefined,
		db.position ? `  position: ${db.position}` : undefined,
		db.code === '55P03' ? '  The statement waited longer than --lock-timeout for a table lock.' : undefined,
		db.code === '57014' ? '  The statement ran longer than --statement-timeout.' : undefined,
		...(d.blocking ?? []).map(s => `  blocked by pid ${s.pid} (${s.applicationName || 'no application name'}, ${s.state ?? '?'}${s.since ? ` since ${s.since.toISOString()}` : ''}) holding ${s.mode} on ${s.relation}: ${s.query}`),
		'  statement:',
		pointAt(redact(d.statement), db.position),
		d.rolledBack === false
			? '  The transaction could not be rolled back explicitly; PostgreSQL discards it when the connection closes. Nothing of it was committed.'
			: '  The transaction was rolled back: nothing of it was applied.',
		d.committed && d.committed.length > 0 ? `  Committed earlier (--transaction each): ${d.committed.join(', ')}.` : undefined,
	]
	return parts.filter(part => part !== undefined).join('\n')
}

/** a statement failed in the database (exit 2) */
export class MigrationExecutionError extends StrataError {
	constructor(readonly details: MigrationFailureDetails, cause?: unknown) {
		super('MIGRATION_FAILED', render(details), ExitCode.migrationFailed, { cause })
	}

	withOutcome(outcome: { rolledBack: boolean; committed: readonly string[]; blocking: readonly BlockingSession[] }): MigrationExecutionError {
		return new MigrationExecutionError({ ...this.details, ...outcome }, this.cause)
	}
}

const CONNECTION_ERRNO = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTCONN', 'ENOTFOUND', 'EAI_AGAIN'])
/** admin_shutdown, crash_shutdown, cannot_connect_now */
const SHUTDOWN_SQLSTATES = new Set(['57P01', '57P02', '57P03'])

/**
 * Whether `error` means the connection to PostgreSQL is gone: a socket error, a server shutdown
 * (57P0x), a connection_exception (08xxx) or pg's own "Connection terminated" / "not queryable".
 * Only these are reported as a lost connection; anything else is the input's fault or strata's.
 */
export const isConnectionLoss = (error: unknown): boolean => {
	const e = error as { code?: unknown; message?: unknown } | null | undefined
	const code = typeof e?.code === 'string' ? e.code : ''
	if (CONNECTION_ERRNO.has(code) || SHUTDOWN_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true
	const message = typeof e?.message === 'string' ? e.message : ''
	return /Connection terminated|is not queryable|Client has encountered a connection error|socket hang up/i.test(message)
}
