/**
 * Who keeps a migration statement from getting its lock: the sessions pg_blocking_pids() names
 * for strata's backend while it waits, or, once the wait is over, the sessions holding locks on
 * the database's tables. Each is described so an operator can find it (pid, application, user,
 * state and since when) without printing what its query holds: only the query's first line,
 * string literals masked, at most about 80 characters.
 */
import type pg from 'pg'
import { redact } from './redact.js'

export interface LockBlocker {
	readonly pid: number
	readonly applicationName: string
	readonly user: string | null
	/** pg_stat_activity.state: `active`, `idle in transaction`, … */
	readonly state: string | null
	/** when that state began: the running query's start for an active session */
	readonly since: Date | null
	/** how long it had been in that state when strata looked */
	readonly elapsedMs: number | null
	/** the first line of its current (or, when idle, last) query, literals masked, shortened */
	readonly query: string
	/** a table lock it holds (known when it was found after the wait, from pg_locks) */
	readonly holds?: { readonly relation: string; readonly mode: string }
}

/** what one look at a waiting backend found */
export interface LockWaitSample {
	/** the table it waits for (for a row lock, the table of the row), when pg_locks tells */
	readonly relation: string | null
	/** the lock mode it asked for */
	readonly mode: string | null
	readonly blockers: readonly LockBlocker[]
}

const PREVIEW_CHARS = 80

/** the first line of a query, string literals masked (they can hold anything), shortened */
export const queryPreview = (query: string | null | undefined): string => {
	const firstLine = (query ?? '').trim().split('\n')[0]!.trim()
	const masked = firstLine.replace(/'(?:[^']|'')*('|$)/g, "'…'")
	const short = masked.length > PREVIEW_CHARS ? `${masked.slice(0, PREVIEW_CHARS - 1).trimEnd()}…` : masked
	const more = short === masked && firstLine !== (query ?? '').trim() ? ' …' : ''
	return redact(short + more)
}

const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`)

/** `pid 4242 (psql, user app, idle in transaction since 12:01:03 UTC, 41 s) holding … on post: UPDATE post SET …` */
export const describeBlocker = (blocker: LockBlocker): string => {
	const since = blocker.since ? ` since ${blocker.since.toISOString().slice(11, 19)} UTC` : ''
	const elapsed = blocker.elapsedMs !== null ? `, ${seconds(blocker.elapsedMs)}` : ''
	const who = [blocker.applicationName || 'no application name', blocker.user ? `user ${blocker.user}` : undefined, `${blocker.state ?? 'state unknown'}${since}${elapsed}`]
	return `pid ${blocker.pid} (${who.filter(Boolean).join(', ')})${blocker.holds ? ` holding ${blocker.holds.mode} on ${blocker.holds.relation}` : ''}: ${blocker.query || '(no query)'}`
}

/** the blockers of several looks, once per session, the most recent look first */
export const distinctBlockers = (samples: readonly (readonly LockBlocker[])[]): LockBlocker[] => {
	const seen = new Map<number, LockBlocker>()
	for (const blockers of [...samples].reverse()) for (const blocker of blockers) if (!seen.has(blocker.pid)) seen.set(blocker.pid, blocker)
	return [...seen.values()]
}

/** `since` is the start of the session's current state; the elapsed time is the server's, so clocks need not agree */
const SESSION_COLUMNS = `b.pid, b.application_name, b.usename, b.state,
	CASE WHEN b.state = 'active' THEN b.query_start ELSE b.state_change END AS since,
	(extract(epoch FROM now() - CASE WHEN b.state = 'active' THEN b.query_start ELSE b.state_change END) * 1000)::float8 AS elapsed_ms,
	left(b.query, 1000) AS query`

interface SessionRow {
	readonly pid: number
	readonly application_name: string | null
	readonly usename: string | null
	readonly state: string | null
	readonly since: Date | null
	readonly elapsed_ms: number | null
	readonly query: string | null
}

const toBlocker = (row: SessionRow): LockBlocker => ({
	pid: row.pid, applicationName: row.application_name ?? '', user: row.usename, state: row.state,
	since: row.since, elapsedMs: row.elapsed_ms === null ? null : Math.round(row.elapsed_ms), query: queryPreview(row.query),
})

/**
 * While `waiterPid` waits for a lock: who blocks it, and which table it waits for. The wait
 * event is checked first, so pg_blocking_pids (which briefly takes the lock manager's locks) is
 * only called while the backend really waits. No rows: it is not waiting.
 */
export const sampleLockWait = async (client: pg.Client, waiterPid: number): Promise<LockWaitSample | undefined> => {
	const result = await client.query<SessionRow & { relation: string | null; mode: string | null }>(
		`SELECT ${SESSION_COLUMNS}, wanted.relation, wanted.mode
		FROM pg_stat_activity w
		CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS blocking(pid)
		JOIN pg_stat_activity b ON b.pid = blocking.pid
		LEFT JOIN LATERAL (
			-- the lock not granted yet; a row lock's wait shows as a transaction id, and the tuple lock held meanwhile names the table
			SELECT l.relation::regclass::text AS relation, l.mode FROM pg_locks l
			WHERE l.pid = w.pid AND l.relation IS NOT NULL AND (NOT l.granted OR l.locktype = 'tuple')
			ORDER BY l.granted LIMIT 1
		) wanted ON true
		WHERE w.pid = $1 AND w.wait_event_type = 'Lock'
		ORDER BY b.pid`,
		[waiterPid])
	if (result.rows.length === 0) return undefined
	return { relation: result.rows[0]!.relation, mode: result.rows[0]!.mode, blockers: result.rows.map(toBlocker) }
}

/**
 * Sessions holding locks on this database's tables (at most 5), for when the wait is already over:
 * less precise than sampleLockWait (they may hold locks strata did not want), but all that is
 * left to see after a lock_timeout that nobody watched.
 */
export const findLockHoldingSessions = async (client: pg.Client): Promise<LockBlocker[]> => {
	const result = await client.query<SessionRow & { relation: string; mode: string }>(
		`SELECT DISTINCT ON (b.pid) ${SESSION_COLUMNS}, l.relation::regclass::text AS relation, l.mode
		FROM pg_locks l JOIN pg_stat_activity b ON b.pid = l.pid
		WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid()
			AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			AND l.relation::regclass::text NOT LIKE 'pg\\_%'
		ORDER BY b.pid, l.mode DESC LIMIT 5`)
	return result.rows.map(row => ({ ...toBlocker(row), holds: { relation: row.relation, mode: row.mode } }))
}
