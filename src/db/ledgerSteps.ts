/**
 * The ledger's record of online migrations' steps (`<schema>.migration_steps`, ledger shape 2).
 * An online migration runs as several transactions and statements outside any: its plan is
 * stored before its first step runs, each step is marked done when it finished (in the step's
 * own transaction when it has one), and the migration is recorded in `migrations` with its last
 * step. A run killed in between leaves rows saying exactly which steps ran; the next run
 * continues the stored plan from the first step not done.
 */
import type pg from 'pg'
import type { OnlineStep, PlannedStatement } from '../online/onlinePlan.js'
import { ledgerShapeVersion, table } from './ledger.js'

/** a planned step as the ledger holds it */
export interface StoredStep extends OnlineStep {
	/** from 0, in the order the steps run */
	readonly step: number
	readonly done: boolean
}

/** how far an online migration got: its steps done and planned */
export interface StepProgress {
	readonly done: number
	readonly total: number
	/** the checksum of the file the plan was made from */
	readonly checksum: string
}

/** the shape that has migration_steps */
const STEPS_SHAPE = 2

const hasStepsTable = async (client: pg.Client, schema: string): Promise<boolean> => {
	const shape = await ledgerShapeVersion(client, schema)
	if (shape === undefined || shape < STEPS_SHAPE) return false
	const found = await client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [table(schema, 'migration_steps')])
	return found.rows[0]!.found
}

/** per version, the progress of online migrations that have a stored plan (finished ones included) */
export const readStepProgress = async (client: pg.Client, schema: string): Promise<Map<string, StepProgress>> => {
	if (!(await hasStepsTable(client, schema))) return new Map()
	const rows = await client.query<{ version: string; done: number; total: number; checksum: string }>(
		`SELECT "version", count(*) FILTER (WHERE "executed_at" IS NOT NULL)::int AS "done", count(*)::int AS "total", min("checksum") AS "checksum"
		FROM ${table(schema, 'migration_steps')} GROUP BY "version"`)
	return new Map(rows.rows.map(row => [row.version, { done: row.done, total: row.total, checksum: row.checksum }]))
}

/** the stored plan of one migration, in order (empty when none was stored), and the checksum of the file it was made from */
export const readStoredPlan = async (client: pg.Client, schema: string, version: string): Promise<{ steps: StoredStep[]; checksum?: string }> => {
	const rows = await client.query<{ step: number; checksum: string; statements: PlannedStatement[]; transactional: boolean; builds: string | null; done: boolean }>(
		`SELECT "step", "checksum", "statements", "transactional", "builds", "executed_at" IS NOT NULL AS "done"
		FROM ${table(schema, 'migration_steps')} WHERE "version" = $1 ORDER BY "step"`, [version])
	const steps = rows.rows.map(row => ({
		step: row.step, statements: row.statements, transactional: row.transactional, done: row.done, ...(row.builds !== null ? { builds: row.builds } : {}),
	}))
	return { steps, ...(rows.rows[0] ? { checksum: rows.rows[0].checksum } : {}) }
}

/** stores a migration's plan, every step not yet done (one statement: all of it or nothing) */
export const storePlan = async (client: pg.Client, schema: string, migration: { version: string; name: string; checksum: string }, steps: readonly OnlineStep[]): Promise<void> => {
	if (steps.length === 0) return
	const values: unknown[] = []
	const rows = steps.map((step, index) => {
		const p = values.length
		values.push(migration.version, index, migration.name, migration.checksum, step.statements[0]!.modificationIndex, JSON.stringify(step.statements), step.transactional, step.builds ?? null)
		return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}::json, $${p + 7}, $${p + 8})`
	})
	await client.query(
		`INSERT INTO ${table(schema, 'migration_steps')} ("version", "step", "name", "checksum", "modification_index", "statements", "transactional", "builds") VALUES ${rows.join(',\n')}`,
		values)
}

/** marks one step done; inside the step's transaction when it has one */
export const markStepDone = async (client: pg.Client, schema: string, version: string, step: number, durationMs: number): Promise<void> => {
	await client.query(
		`UPDATE ${table(schema, 'migration_steps')} SET "executed_at" = clock_timestamp(), "duration_ms" = $3 WHERE "version" = $1 AND "step" = $2`,
		[version, step, Math.round(durationMs)])
}
