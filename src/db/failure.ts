/**
 * What a failed statement tells the user: the migration, the modification, the statement,
 * PostgreSQL's message / detail / hint / position, and what happened to the transaction.
 */
import type pg from 'pg'
import { ExitCode, StrataError } from '../errors.js'
import { describeBlocker, type LockBlocker } from './blockers.js'
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

export interface MigrationFailureDetails {
	readonly migration: string
	readonly modificationIndex: number
	readonly modificationId: string
	readonly statement: string
	readonly database: DatabaseErrorDetails
	readonly rolledBack?: boolean
	readonly committed?: readonly string[]
	/** who held the lock the statement waited for (lock_timeout, deadlock) */
	readonly blocking?: readonly LockBlocker[]
	/** how many times the failing unit was run: more than 1 when lock conflicts were retried */
	readonly attempts?: number
	readonly transaction?: 'all' | 'each'
	/** the step of an online migration that failed (from 0), of how many; the steps before it stay committed */
	readonly onlineStep?: { readonly step: number; readonly total: number; readonly transactional: boolean; readonly buildsIndex?: boolean; readonly online?: boolean }
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
		db.code === '40P01' ? '  PostgreSQL found a deadlock with another session and aborted this transaction.' : undefined,
		db.code === '57014' ? '  The statement ran longer than --statement-timeout.' : undefined,
		d.attempts !== undefined && d.attempts > 1
			? `  Gave up after ${d.attempts} attempts (--lock-retries ${d.attempts - 1}), each rolled back when it could not get its lock.`
			: undefined,
		...(d.blocking ?? []).map(blocker => `  blocked by ${describeBlocker(blocker)}`),
		'  statement:',
		pointAt(redact(d.statement), db.position),
		d.onlineStep
			? `  ${d.onlineStep.online === false ? 'Migration run in steps' : 'Online migration'}: step ${d.onlineStep.step + 1} of ${d.onlineStep.total} failed${d.onlineStep.transactional ? ' and was rolled back'
				: d.onlineStep.buildsIndex ? ' outside a transaction (an index it was building is left INVALID; the next run drops it)'
				: ' outside a transaction (what it did before it failed stays done; the next run runs it again)'}; `
				+ `${d.onlineStep.step === 0 ? 'no step before it ran' : `steps 1 to ${d.onlineStep.step} stay committed`}. Fix the cause and run migrations:execute again: it continues at this step.`
			: d.rolledBack === false
			? '  The transaction could not be rolled back explicitly; PostgreSQL discards it when the connection closes. Nothing of it was committed.'
			: '  The transaction was rolled back: nothing of it was applied.',
		d.committed && d.committed.length > 0 ? `  Committed earlier (--transaction each): ${d.committed.join(', ')}.` : undefined,
		d.transaction === 'each' && (d.committed ?? []).length === 0 ? '  No migration of this run was committed before it (--transaction each).' : undefined,
	]
	return parts.filter(part => part !== undefined).join('\n')
}

/** a statement failed in the database (exit 2) */
export class MigrationExecutionError extends StrataError {
	constructor(readonly details: MigrationFailureDetails, cause?: unknown) {
		super('MIGRATION_FAILED', render(details), ExitCode.migrationFailed, { cause })
	}

	withOutcome(outcome: Pick<MigrationFailureDetails, 'rolledBack' | 'committed' | 'blocking' | 'attempts' | 'transaction'>): MigrationExecutionError {
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
