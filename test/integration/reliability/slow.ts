/**
 * A migration slow enough to be interrupted mid-statement: a NOT NULL column with a fill value
 * on a table the test fills with many rows (one UPDATE over all of them).
 */
import type pg from 'pg'
import { executeMigrations } from '../../../src/db/executor.js'
import { createColumn, createEntity, migration } from '../db/fixtures.js'

export const ROWS = 100_000

export const slowHistory = () => [
	{ name: '2024-05-01-100000-big', modifications: [createEntity('Big', 'big'), createColumn('Big', 'n', { type: 'Integer', columnType: 'integer' })] },
	{ name: '2024-05-02-100000-fill', modifications: [createColumn('Big', 'label', { nullable: false, fillValue: 'filled' })] },
	{ name: '2024-05-03-100000-other', modifications: [createEntity('Other', 'other')] },
]

/** runs the first migration in-process and fills the table */
export const prepareSlowDatabase = async (client: pg.Client, rows = ROWS): Promise<void> => {
	const [first] = slowHistory()
	await executeMigrations(client, [migration(first!.name, first!.modifications)], { ledgerSchema: 'strata' })
	await client.query(`INSERT INTO big (id, n) SELECT gen_random_uuid(), g FROM generate_series(1, ${rows}) g`)
}

export interface BoundaryState {
	readonly ledger: string[]
	readonly hasLabel: boolean
	readonly hasOther: boolean
}

export const boundaryState = async (client: pg.Client): Promise<BoundaryState> => {
	const ledger = (await client.query<{ name: string }>('SELECT name FROM strata.migrations ORDER BY version')).rows.map(row => row.name)
	const hasLabel = (await client.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'big' AND column_name = 'label'`)).rowCount === 1
	const hasOther = (await client.query(`SELECT to_regclass('public.other') IS NOT NULL AS present`)).rows[0].present as boolean
	return { ledger, hasLabel, hasOther }
}

/** the schema matches the ledger exactly: each migration entirely or not at all */
export const atBoundary = (state: BoundaryState): boolean => {
	const names = slowHistory().map(it => it.name)
	const recorded = (name: string) => state.ledger.includes(name)
	const prefix = state.ledger.every((name, i) => name === names[i])
	return prefix && recorded(names[0]!) && recorded(names[1]!) === state.hasLabel && recorded(names[2]!) === state.hasOther
}

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** waits until `check` holds (polling), or fails after `timeoutMs` */
export const waitFor = async (check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> => {
	const started = Date.now()
	while (!(await check())) {
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`)
		await sleep(50)
	}
}

/** the fill UPDATE of the slow migration is running right now */
export const fillRunning = async (client: pg.Client): Promise<boolean> =>
	((await client.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'strata migrations:execute' AND datname = current_database() AND state = 'active' AND query ILIKE '%UPDATE "big"%'`)).rowCount ?? 0) > 0

export const strataSessions = async (client: pg.Client): Promise<number> =>
	Number((await client.query(`SELECT count(*) FROM pg_stat_activity WHERE application_name = 'strata migrations:execute' AND datname = current_database()`)).rows[0].count)
