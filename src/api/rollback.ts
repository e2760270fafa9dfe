/**
 * Rolling back the newest executed migrations on a development database: newest first, in one
 * transaction with their ledger rows. The inverse is computed from the migrations themselves;
 * each file stays on disk and is pending again.
 */
import { ExitCode, StrataError } from '../errors.js'
import { readLedger, type LedgerRow } from '../db/ledger.js'
import { readStepProgress } from '../db/ledgerSteps.js'
import { executeRollback } from '../db/rollback.js'
import { findMigration } from '../migrations/files.js'
import { forOption, migrationRef } from '../migrations/naming.js'
import { parseMigration } from '../migrations/parse.js'
import { planRollback, type RollbackPlan } from '../migrations/rollback.js'
import { devSession, type DevSession, type DevSessionOptions } from './dev.js'

export interface RollbackChoice {
	/** how many of the newest executed migrations to roll back (default 1) */
	readonly steps?: number
	/** roll back everything executed after this migration (name, version or unique label; executed ones only) */
	readonly to?: string
}

export interface RollbackOptions extends DevSessionOptions, RollbackChoice {
	/** roll back even when undoing loses data (a dropped column's values, a removed table's rows) */
	readonly acceptDataLoss?: boolean
	/** the PostgreSQL schema holding the tables (default `public`) */
	readonly schemaName?: string
	/** PostgreSQL lock_timeout for the rollback statements (default 10 000 ms) */
	readonly lockTimeoutMs?: number
	/** the plan, before any refusal (the CLI shows it) */
	readonly onPlan?: (plan: RollbackPlan) => void
	/** asked with the plan before anything changes; false ends with `aborted: true` */
	readonly confirm?: (plan: RollbackPlan) => Promise<boolean>
	/** just before the first change */
	readonly beforeChange?: () => void
}

export interface RollbackOutcome {
	/** the migrations rolled back, newest first */
	readonly rolledBack: readonly string[]
	/** the SQL that ran */
	readonly statements: readonly string[]
	readonly dataLoss: RollbackPlan['dataLoss']
	readonly aborted: boolean
	readonly plan: RollbackPlan
}

/** how many of the executed migrations (ledger order) to roll back */
const countToRollBack = (rows: readonly LedgerRow[], choice: RollbackChoice): number => {
	if (choice.steps !== undefined && choice.to !== undefined) throw new StrataError('INVALID_OPTION', 'Pass --steps or --to, not both.')
	if (choice.to !== undefined) {
		let index: number
		try {
			// only executed migrations can be kept: the resolver sees the ledger rows
			const { name } = findMigration(rows.map(migrationRef), choice.to)
			index = rows.findIndex(row => row.name === name)
		} catch (error) {
			throw forOption(`--to ${choice.to} (executed migrations only)`, error)
		}
		if (index === rows.length - 1) throw new StrataError('NOTHING_TO_ROLL_BACK', `--to ${choice.to}: it is the newest executed migration; nothing after it to roll back.`)
		return rows.length - 1 - index
	}
	const count = choice.steps ?? 1
	if (!Number.isInteger(count) || count < 1) throw new StrataError('INVALID_OPTION', `--steps must be a whole number of migrations, 1 or more; got ${count}.`)
	if (count > rows.length) throw new StrataError('NOTHING_TO_ROLL_BACK', `--steps ${count}: only ${rows.length} migration${rows.length === 1 ? ' is' : 's are'} executed.`)
	return count
}

/** the rollback itself, inside a development session (lock held, interrupted journal settled) */
export const rollbackInSession = async (session: DevSession, options: Omit<RollbackOptions, keyof DevSessionOptions>): Promise<RollbackOutcome> => {
	const { client, ledgerSchema } = session
	const rows = await readLedger(client, ledgerSchema)
	if (rows.length === 0) throw new StrataError('NOTHING_TO_ROLL_BACK', 'No migration is executed on this database: nothing to roll back.')
	const count = countToRollBack(rows, options)
	const partial = [...(await readStepProgress(client, ledgerSchema)).entries()].filter(([, progress]) => progress.done < progress.total)
	if (partial.length > 0) {
		throw new StrataError('PARTIAL_MIGRATION', `A migration run in steps is partly applied (${partial.map(([version]) => version).join(', ')}): run migrations:execute to finish it before rolling back.`)
	}
	const plan = planRollback(rows.map(row => parseMigration(row.name, row.migration)), count)
	options.onPlan?.(plan)
	if (plan.irreversible.length > 0) {
		throw new StrataError('IRREVERSIBLE', `Not rolled back: strata cannot undo ${plan.irreversible.length === 1 ? 'this' : 'these'}:\n`
			+ plan.irreversible.map(it => `  - ${it.migration}: ${it.reason}`).join('\n') + '\nNothing was changed.')
	}
	if (plan.dataLoss.length > 0 && !options.acceptDataLoss) {
		throw new StrataError('DATA_LOSS_REFUSED', `Not rolled back: undoing it loses data:\n`
			+ plan.dataLoss.map(it => `  - ${it.migration}: ${it.message}: ${it.reason}`).join('\n')
			+ '\nPass --yes --accept-data-loss to roll back anyway. Nothing was changed.')
	}
	const outcome = (rest: Partial<RollbackOutcome>): RollbackOutcome => ({ rolledBack: [], statements: [], dataLoss: plan.dataLoss, aborted: false, plan, ...rest })
	if (options.confirm && !(await options.confirm(plan))) return outcome({ aborted: true })
	options.beforeChange?.()
	const statements: string[] = []
	try {
		await executeRollback(client, plan, { ledgerSchema, schemaName: options.schemaName ?? 'public', lockTimeoutMs: options.lockTimeoutMs ?? 10_000, onStatement: sql => statements.push(sql) })
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error)
		throw new StrataError('ROLLBACK_FAILED', `The rollback failed and was undone: nothing was changed.\n  ${reason}${statements.length > 0 ? `\n  statement: ${statements[statements.length - 1]}` : ''}`, ExitCode.migrationFailed, { cause: error })
	}
	return outcome({ rolledBack: plan.steps.map(step => step.migration.name), statements })
}

/**
 * Rolls back the newest executed migrations (`steps`, or everything after `to`) on a local
 * database. Development only.
 *
 * @throws StrataError `NOTHING_TO_ROLL_BACK`, `IRREVERSIBLE`, `DATA_LOSS_REFUSED`, `PARTIAL_MIGRATION`, `ROLLBACK_FAILED`, `REMOTE_REFUSED`
 */
export const rollbackMigrations = (options: RollbackOptions): Promise<RollbackOutcome> =>
	devSession(options, 'migrations:rollback', session => rollbackInSession(session, options))
