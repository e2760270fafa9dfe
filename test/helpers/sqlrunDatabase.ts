/**
 * A fresh PostgreSQL database for SQLRUN's suites (hostile-input table, conformance SQL runs,
 * live histories): TEST_DATABASE_URL, else the local server. Never skips: an unreachable server
 * fails the suite.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export interface ScratchDatabase {
	readonly url: string
	readonly client: pg.Client
	close(): Promise<void>
}

const adminUrl = () => process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'

const withDatabase = (url: string, database: string) => {
	const parsed = new URL(url)
	parsed.pathname = `/${database}`
	return parsed.toString()
}

/** creates `strata_sqlrun_<label>_<random>`, connects to it; close() drops it */
export const createScratchDatabase = async (label: string): Promise<ScratchDatabase> => {
	const name = `strata_sqlrun_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`
	const admin = new pg.Client({ connectionString: adminUrl() })
	try {
		await admin.connect()
	} catch (error) {
		throw new Error(`No PostgreSQL reachable at ${new URL(adminUrl()).host} (set TEST_DATABASE_URL): ${(error as Error).message}`)
	}
	try {
		await admin.query(`CREATE DATABASE "${name}"`)
	} finally {
		await admin.end()
	}
	const url = withDatabase(adminUrl(), name)
	const client = new pg.Client({ connectionString: url })
	client.on('notice', () => {}) // identifier truncation notices etc. are asserted explicitly where they matter
	await client.connect()
	return {
		url,
		client,
		close: async () => {
			await client.end()
			const dropper = new pg.Client({ connectionString: adminUrl() })
			await dropper.connect()
			try {
				await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
			} finally {
				await dropper.end()
			}
		},
	}
}
