/**
 * Runs a rollback plan (src/migrations/rollback.ts) in one transaction: per migration, newest
 * first, the `down` SQL of its SQL steps, then the inverse schema steps (constraint and index
 * names from the live catalog), then its ledger rows. A failure rolls all of it back.
 */
import type pg from 'pg'
import type { RollbackPlan } from '../migrations/rollback.js'
import { FORMAT_VERSION_LATEST } from '../modifications/versions.js'
import { quoteIdentifier } from '../sql/quote.js'
import { splitSqlStatements } from '../sql/splitStatements.js'
import { deleteLedgerRow, inTransaction, runModificationsLive } from './bootstrap.js'
import { table } from './ledger.js'

export interface RollbackOptions {
	readonly ledgerSchema: string
	readonly schemaName: string
	readonly lockTimeoutMs: number
	/** each statement just before it runs */
	readonly onStatement?: (sql: string) => void
}

export const executeRollback = (client: pg.Client, plan: RollbackPlan, options: RollbackOptions): Promise<void> =>
	inTransaction(client, async () => {
		await client.query(`SET LOCAL lock_timeout = ${Math.max(0, options.lockTimeoutMs)}; SET LOCAL search_path TO ${quoteIdentifier(options.schemaName)}`)
		for (const step of plan.steps) {
			for (const down of step.down) {
				for (const statement of splitSqlStatements(down.sql)) {
					options.onStatement?.(statement)
					await client.query(statement)
				}
			}
			await runModificationsLive(client, step.after, step.inverse, FORMAT_VERSION_LATEST, options.schemaName, options.onStatement)
			await deleteLedgerRow(client, options.ledgerSchema, step.migration.version)
			await client.query(`DELETE FROM ${table(options.ledgerSchema, 'migration_steps')} WHERE "version" = $1`, [step.migration.version])
		}
	})
