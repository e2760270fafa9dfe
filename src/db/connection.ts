/**
 * Which database a command talks to, and the connection to it. Resolution order:
 * `--database-url` > `DATABASE_URL` > `.env` in the project root > config `databaseUrl` >
 * the embedded default (refused in CI / production unless `--embedded` is explicit).
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { parse as parseConnectionString } from 'pg-connection-string'
import { interruptRequested, onInterrupt, throwIfInterrupted } from '../cli/interrupt.js'
import { StrataError } from '../errors.js'
import { reconnectLike } from './commitOutcome.js'
import { startEmbedded, EMBEDDED_PASSWORD, EMBEDDED_USER, type EmbeddedCluster } from './embedded.js'
import { redact, registerConnectionSecrets, registerSecret } from './redact.js'

/** the parts of the project context the database layer needs (structural, see cli/context.ts) */
export interface DatabaseProject {
	readonly root: string
	readonly config: { readonly databaseUrl?: string }
}

export interface DatabaseArgs {
	readonly databaseUrl?: string
	readonly embedded?: boolean
	/** shown to other sessions (pg_stat_activity) while this command holds the lock */
	readonly applicationName?: string
}

/** where announcements go (stderr); the CLI's Output fits. `note` is preferred when present */
export interface Announcer {
	warn(text: string): void
	note?(text: string): void
}

export interface Database {
	readonly client: pg.Client
	/** host, port, database and user — never the password */
	readonly description: string
	/** embedded, unix socket, localhost / 127.0.0.1 / ::1 */
	readonly isLocal: boolean
	readonly embedded: boolean
	close(): Promise<void>
}

export type DatabaseTarget =
	| { readonly kind: 'url'; readonly url: string; readonly source: string }
	| { readonly kind: 'embedded'; readonly dataDir: string }

/** `KEY=VALUE` lines; `#` comments, `export ` prefixes and surrounding quotes allowed */
export const parseDotEnv = (text: string): Record<string, string> => {
	const result: Record<string, string> = {}
	for (const raw of text.split(/\r?\n/)) {
		const line = raw.trim()
		if (line === '' || line.startsWith('#')) continue
		const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line)
		if (!match) continue
		let value = match[2]!
		const quote = value[0]
		if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
			value = value.slice(1, -1)
		} else {
			value = value.replace(/\s+#.*$/, '')
		}
		result[match[1]!] = value
	}
	return result
}

const truthy = (value: string | undefined) => value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false'

/** a .env setting that holds a secret by its name: its value is redacted wherever it shows up */
const SECRET_SETTING = /PASS(WORD|WD)?$|SECRET|TOKEN|_KEY$/i

/** reads .env, registering every secret it holds (a connection string's password, a *_PASSWORD value) */
const readDotEnv = (dotEnvPath: string): Record<string, string> => {
	const values = parseDotEnv(readFileSync(dotEnvPath, 'utf8'))
	for (const [key, value] of Object.entries(values)) {
		if (SECRET_SETTING.test(key)) registerSecret(value)
		else registerConnectionSecrets(value)
	}
	return values
}

export const resolveDatabaseTarget = (project: DatabaseProject, args: DatabaseArgs, env: NodeJS.ProcessEnv = process.env): DatabaseTarget => {
	// every candidate is registered before anything can fail and echo it, whichever one wins
	for (const candidate of [args.databaseUrl, env.DATABASE_URL, project.config.databaseUrl]) registerConnectionSecrets(candidate)
	registerSecret(env.PGPASSWORD)
	const embedded = { kind: 'embedded', dataDir: path.join(project.root, '.strata', 'postgres') } as const
	if (args.embedded) {
		if (args.databaseUrl) throw new StrataError('CONFLICTING_OPTIONS', 'Pass either --database-url or --embedded, not both.')
		return embedded
	}
	if (args.databaseUrl) return { kind: 'url', url: args.databaseUrl, source: '--database-url' }
	if (env.DATABASE_URL) return { kind: 'url', url: env.DATABASE_URL, source: 'DATABASE_URL' }
	const dotEnvPath = path.join(project.root, '.env')
	if (existsSync(dotEnvPath)) {
		const url = readDotEnv(dotEnvPath).DATABASE_URL
		if (url) return { kind: 'url', url, source: '.env' }
	}
	if (project.config.databaseUrl) return { kind: 'url', url: project.config.databaseUrl, source: 'config databaseUrl' }
	if (truthy(env.CI) || env.NODE_ENV === 'production') {
		throw new StrataError('EMBEDDED_REFUSED',
			`No database URL was given, and the embedded development database is refused when ${truthy(env.CI) ? 'CI is set' : 'NODE_ENV=production'}: a deploy must name its database.\n`
			+ 'Pass --database-url or set DATABASE_URL (or pass --embedded to use the embedded database on purpose).')
	}
	return embedded
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]'])

export const isLocalHost = (host: string | undefined): boolean =>
	host === undefined || host === '' || host.startsWith('/') || LOCAL_HOSTS.has(host.toLowerCase())

interface ConnectionParameters {
	readonly host?: string
	readonly port: number
	readonly database?: string
	readonly user?: string
}

export const describeConnection = (params: ConnectionParameters): string =>
	`host ${params.host || 'localhost'}, port ${params.port}, database "${params.database ?? '?'}", user "${params.user ?? '?'}"`

/**
 * Why a connection failed. PostgreSQL's own words are kept for its errors: 28P01 (a wrong
 * password) and 28000 (no such role, or pg_hba.conf refuses the connection — a trust server
 * never asks for a password) need different fixes, so they must not read alike.
 */
export const connectionReason = (error: unknown): string => {
	const e = error as { code?: string; message?: string }
	const said = `${e.message ?? String(error)}${e.code && /^[0-9A-Z]{5}$/.test(e.code) ? ` [${e.code}]` : ''}`
	switch (e.code) {
		case 'ECONNREFUSED': return 'connection refused (is PostgreSQL running and listening there?)'
		case 'ENOTFOUND': case 'EAI_AGAIN': return 'the host name could not be resolved'
		case 'ETIMEDOUT': return 'the connection timed out'
		case '28P01': return `${said} (check the password)`
		case '28000': return `${said} (check the user name, and that pg_hba.conf allows this connection)`
		case '3D000': return `${said} (create it, or check the database name)`
		default: return said
	}
}

/** connects, turning every failure into an exit-1 error that names the target without its password */
export const connectClient = async (config: pg.ClientConfig, params: ConnectionParameters): Promise<pg.Client> => {
	registerSecret(typeof config.password === 'string' ? config.password : undefined)
	const client = new pg.Client({ connectionTimeoutMillis: 15_000, ...config })
	// a dropped connection emits 'error'; the failing query reports it, so do not crash here
	client.on('error', () => undefined)
	try {
		await client.connect()
		return client
	} catch (error) {
		await client.end().catch(() => undefined)
		throw new StrataError('CONNECTION_FAILED', redact(`Cannot connect to PostgreSQL (${describeConnection(params)}): ${connectionReason(error)}`))
	}
}

/** how a URL should look; worded so that redaction has nothing to mask in it */
const URL_SHAPE = 'postgresql://user@host:port/database, with the password as user:password'

/**
 * Reads a database URL with pg-connection-string, the parser pg itself applies to the same
 * string, so the host, user and database we describe (and the password we register for
 * redaction) are the ones pg connects with — spaces, `@` in the password, percent-encoding,
 * `?host=/socket/dir` included. It resolves anything without `scheme://` against a base URL
 * (`postgres//u:p@h/db` would become host "base", database = the whole string), so the scheme
 * is checked here first. Messages echo the input only through `redact`.
 */
const parseUrl = (url: string, source: string): ConnectionParameters => {
	registerConnectionSecrets(url)
	const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]
	if (scheme === undefined) {
		if (/^\s*[a-z_]+\s*=/i.test(url)) {
			throw new StrataError('INVALID_DATABASE_URL', `The database setting from ${source} is a key/value connection string (${redact(url)}); strata takes a URL: ${URL_SHAPE}.`)
		}
		// a mistyped URL is echoed (masked) to show the typo; a value with no URL shape at all may be a bare password
		const urlLike = /^[a-z][a-z0-9+.-]*:\/|^postgres/i.test(url)
		if (!urlLike) registerSecret(url)
		throw new StrataError('INVALID_DATABASE_URL', `The database URL from ${source} is not a valid URL (expected ${URL_SHAPE})${urlLike ? `: ${redact(url)}` : '; the value is not shown, in case it is a password.'}`)
	}
	if (!/^postgres(ql)?$/i.test(scheme)) {
		throw new StrataError('INVALID_DATABASE_URL', `The database URL from ${source} must start with postgresql:// (got ${redact(scheme)}://…).`)
	}
	let parsed: ReturnType<typeof parseConnectionString>
	try {
		parsed = parseConnectionString(url)
	} catch (error) {
		throw new StrataError('INVALID_DATABASE_URL', `The database URL from ${source} is not a valid URL (${redact((error as Error).message)}; expected ${URL_SHAPE}): ${redact(url)}`)
	}
	registerSecret(parsed.password)
	const user = parsed.user || process.env.PGUSER || process.env.USER
	return {
		host: parsed.host || undefined,
		port: Number(parsed.port || 5432),
		database: parsed.database || user,
		user,
	}
}

/** whether the database a command would use is local — known before connecting */
export const targetIsLocal = (project: DatabaseProject, args: DatabaseArgs): { isLocal: boolean; description: string } => {
	const target = resolveDatabaseTarget(project, args)
	if (target.kind === 'embedded') return { isLocal: true, description: 'the embedded PostgreSQL' }
	const params = parseUrl(target.url, target.source)
	return { isLocal: isLocalHost(params.host), description: describeConnection(params) }
}

/**
 * Session settings for every strata connection. client_connection_check_interval (PG 14+) makes
 * the server notice a killed client during a long statement, so its transaction is rolled back
 * and the migration lock released at once instead of when the statement ends.
 */
const prepareSession = async (client: pg.Client): Promise<void> => {
	await client.query(`SET client_connection_check_interval = 1000`).catch(() => undefined)
}

/**
 * Ends a session so that its effects are settled when this returns: a statement still running
 * (a long UPDATE) is cut off, its transaction rolled back and its session-level advisory lock
 * freed. Closing the socket alone leaves that to the server noticing the lost client.
 */
export const endSession = async (client: pg.Client): Promise<void> => {
	const pid = (client as unknown as { processID?: number }).processID
	let side: pg.Client | undefined
	try {
		side = await reconnectLike(client)()
		// PostgreSQL 14+ waits (here up to 5 s) until the backend has exited; older servers only signal it
		await side.query('SELECT pg_terminate_backend($1, 5000)', [pid]).catch(() => side!.query('SELECT pg_terminate_backend($1)', [pid]))
	} catch {
		// no second connection: closing the socket below still ends the session, a moment later
	} finally {
		await side?.end().catch(() => undefined)
	}
	await client.end().catch(() => undefined)
}

/**
 * An interrupt (Ctrl-C, SIGINT, SIGTERM) closes the database at once: the session ends (its
 * transaction rolled back, the migration lock freed) and an embedded cluster this command
 * started is stopped. Close runs once, whoever calls it first.
 */
const interruptible = (database: Database, close: (interrupted: boolean) => Promise<void>): Database => {
	let closing: Promise<void> | undefined
	const closeOnce = (interrupted: boolean) => (closing ??= close(interrupted))
	const unregister = onInterrupt(() => closeOnce(true))
	return {
		...database,
		close: async () => {
			unregister()
			await closeOnce(interruptRequested())
		},
	}
}

/** a command interrupted while connecting (an embedded start takes seconds) goes no further */
const unlessInterrupted = async (database: Database): Promise<Database> => {
	if (interruptRequested()) {
		await database.close()
		throwIfInterrupted()
	}
	return database
}

export const openDatabase = async (project: DatabaseProject, args: DatabaseArgs, output: Announcer): Promise<Database> => {
	const target = resolveDatabaseTarget(project, args)
	const applicationName = (args.applicationName ?? 'strata').slice(0, 63)
	if (target.kind === 'url') {
		const params = parseUrl(target.url, target.source)
		const client = await connectClient({ connectionString: target.url, application_name: applicationName }, params)
		await prepareSession(client)
		return unlessInterrupted(interruptible({
			client,
			description: describeConnection(params),
			isLocal: isLocalHost(params.host),
			embedded: false,
			close: async () => undefined,
		}, async interrupted => {
			if (interrupted) await endSession(client)
			else await client.end().catch(() => undefined)
		}))
	}

	const announce = (text: string) => (output.note ? output.note(text) : output.warn(text))
	const cluster: EmbeddedCluster = await startEmbedded({ dataDir: target.dataDir, announce })
	const params = { host: '127.0.0.1', port: cluster.port, database: 'postgres', user: EMBEDDED_USER }
	let client: pg.Client
	try {
		client = await connectClient({ ...params, password: EMBEDDED_PASSWORD, application_name: applicationName }, params)
		await prepareSession(client)
	} catch (error) {
		await cluster.stop()
		throw error
	}
	return unlessInterrupted(interruptible({
		client,
		description: `embedded PostgreSQL (${path.relative(project.root, cluster.dataDir) || cluster.dataDir}, port ${cluster.port})`,
		isLocal: true,
		embedded: true,
		close: async () => undefined,
	}, async interrupted => {
		if (interrupted) await endSession(client)
		else await client.end().catch(() => undefined)
		await cluster.stop()
	}))
}

/**
 * A connection to a database named by a URL, for the programmatic API (src/api/): the same URL
 * checks, redaction, connection errors and session settings as the CLI's, without the
 * embedded database or interrupt handling, which belong to the command line.
 */
export const connectUrl = async (url: string, applicationName: string, source = 'the connection string'): Promise<{ client: pg.Client; description: string; isLocal: boolean }> => {
	const params = parseUrl(url, source)
	const client = await connectClient({ connectionString: url, application_name: applicationName.slice(0, 63) }, params)
	await prepareSession(client)
	return { client, description: describeConnection(params), isLocal: isLocalHost(params.host) }
}

/** host, port, database and user of a client someone else connected — never its password — and whether it is local */
export const describeClient = (client: pg.Client): { description: string; isLocal: boolean } => {
	const { host, port, database, user } = client as unknown as { host?: string; port?: number; database?: string; user?: string }
	return { description: describeConnection({ host, port: port ?? 5432, database, user }), isLocal: isLocalHost(host) }
}
