/**
 * The execution plan of an online migration: its statements, in their online form
 * (onlineStatement.ts), cut into ordered steps. Pure.
 *
 * A step is either transactional — consecutive `batch` pieces, run in one transaction with the
 * ledger's record of the step — or one `concurrent` statement run alone, outside a transaction.
 * A VALIDATE is a transactional step of its own, so the statement that added the constraint
 * (and its stronger lock) is committed before the table is read. Between steps the database
 * holds a consistent, partly migrated state; the ledger records each finished step, which is
 * what makes a killed run resumable.
 */
import { OnlineRewriter } from './onlineStatement.js'

export interface PlannedStatement {
	/** the modification it comes from: its index in the file */
	readonly modificationIndex: number
	readonly modificationId: string
	readonly sql: string
}

export interface OnlineStep {
	readonly statements: readonly PlannedStatement[]
	/** false: one statement PostgreSQL refuses in a transaction block (CONCURRENTLY) */
	readonly transactional: boolean
	/** the index a non-transactional step builds (to clean up after an interrupted build) */
	readonly builds?: string
}

/** one modification's statements, as its SQL generator wrote them */
export interface GeneratedModification {
	readonly index: number
	readonly id: string
	readonly statements: readonly string[]
	/** each statement runs alone, outside any transaction (a SQL step with `transactional: false`) */
	readonly alone?: boolean
}

/**
 * The steps of a migration run in steps, in the order they run: with the online strategy
 * (`online`, the default) its statements in their online form; without it as generated, only
 * cut around the statements that run alone.
 */
export const planOnlineSteps = (version: string, modifications: readonly GeneratedModification[], options: { readonly online?: boolean } = {}): OnlineStep[] => {
	const steps: OnlineStep[] = []
	let batch: PlannedStatement[] = []
	const closeBatch = () => {
		if (batch.length > 0) steps.push({ statements: batch, transactional: true })
		batch = []
	}
	const rewriter = new OnlineRewriter(version)
	const online = options.online ?? true
	for (const modification of modifications) {
		for (const sql of modification.statements) {
			const origin = { modificationIndex: modification.index, modificationId: modification.id }
			if (modification.alone) {
				closeBatch()
				steps.push({ statements: [{ ...origin, sql }], transactional: false })
				continue
			}
			for (const segment of online ? rewriter.rewrite(sql) : [{ sql, mode: 'batch' as const }]) {
				const statement = { ...origin, sql: segment.sql }
				if (segment.mode === 'batch') {
					batch.push(statement)
					continue
				}
				closeBatch()
				steps.push(segment.mode === 'own'
					? { statements: [statement], transactional: true }
					: { statements: [statement], transactional: false, ...(segment.builds ? { builds: segment.builds } : {}) })
			}
		}
	}
	closeBatch()
	return steps
}
