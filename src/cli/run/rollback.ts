/**
 * `migrations:rollback [--steps N | --to <migration>]`: reverts the newest executed migrations on
 * the local database, newest first, in one transaction with their ledger rows. The inverse is
 * computed (src/migrations/rollback.ts); each file stays on disk and is pending again.
 * Development only: refuses non-local databases unless --allow-remote.
 */
import { readLedger, type LedgerRow } from '../../db/ledger.js'
import { executeRollback } from '../../db/rollback.js'
import { readStepProgress } from '../../db/ledgerSteps.js'
import { ExitCode, StrataError } from '../../errors.js'
import { findMigration } from '../../migrations/files.js'
import { forOption, migrationRef } from '../../migrations/naming.js'
import { parseMigration } from '../../migrations/parse.js'
import { planRollback, type RollbackPlan } from '../../migrations/rollback.js'
import { splitSqlStatements } from '../../sql/splitStatements.js'
import { resolveProject } from '../context.js'
import { describeInterruptOutcome, throwIfInterrupted } from '../interrupt.js'
import { createOutput, type Output, UsageError } from '../output.js'
import { canPrompt } from '../terminal.js'
import { parseDuration } from './execute.js'
import { withDevSession, type DevSessionArgs } from './rebase.js'
import { ledgerSchemaOf } from './status.js'

export interface RollbackArgs extends DevSessionArgs {
	readonly steps?: string
	readonly to?: string
	readonly yes?: boolean
	readonly acceptDataLoss?: boolean
	readonly lockTimeout?: string
	readonly dbSchema?: string
}

/** how many of the executed migrations (ledger order) to roll back */
const countToRollBack = (rows: readonly LedgerRow[], argv: RollbackArgs): number => {
	if (argv.to !== undefined) {
		let index: number
		try {
			// only executed migrations can be kept: the resolver sees the ledger rows
			const { name } = findMigration(rows.map(migrationRef), argv.to)
			index = rows.findIndex(row => row.name === name)
		} catch (error) {
			throw forOption(`--to ${argv.to} (executed migrations only)`, error)
		}
		if (index === rows.length - 1) throw new StrataError('NOTHING_TO_ROLL_BACK', `--to ${argv.to}: it is the newest executed migration; nothing after it to roll back.`)
		return rows.length - 1 - index
	}
	const raw = argv.steps ?? '1'
	if (!/^[1-9]\d*$/.test(raw)) throw new UsageError(`--steps must be a whole number of migrations, 1 or more; got "${raw}".`)
	const count = Number(raw)
	if (count > rows.length) throw new StrataError('NOTHING_TO_ROLL_BACK', `--steps ${count}: only ${rows.length} migration${rows.length === 1 ? ' is' : 's are'} executed.`)
	return count
}

const printPlan = (plan: RollbackPlan, output: Output) => {
	const { color } = output
	for (const step of plan.steps) {
		output.info(color.bold(`Roll back ${step.migration.name}:`))
		for (const down of step.down) {
			const count = splitSqlStatements(down.sql).length
			output.info(color.blue(`  - run the "down" SQL of its SQL step #${down.index} (${count} statement${count === 1 ? '' : 's'})`))
		}
		for (const inverse of step.described) {
			const line = `  - ${inverse.message} [${inverse.modification}]`
			output.info(inverse.destructiveReason !== undefined ? color.red(`${line} — loses data: ${inverse.destructiveReason}`) : color.blue(line))
		}
		if (step.down.length + step.inverse.length === 0) output.info(color.dim('  - nothing to undo in the schema (only its ledger row is removed)'))
		for (const missing of step.missingFills) output.warn(`${missing.message}: the rollback fails if the table has rows.`)
	}
}

export const run = async (argv: RollbackArgs): Promise<number | void> => {
	const output = createOutput(argv)
	describeInterruptOutcome(() => 'nothing was changed.')
	if (argv.steps !== undefined && argv.to !== undefined) throw new UsageError('Pass --steps or --to, not both.')
	const context = await resolveProject(argv)
	const ledgerSchema = ledgerSchemaOf(argv, context)
	const schemaName = argv.dbSchema ?? 'public'
	const lockTimeoutMs = parseDuration(argv.lockTimeout, 10_000, 'lock-timeout')
	return withDevSession(argv, context, output, ledgerSchema, 'migrations:rollback', async ({ client }) => {
		const rows = await readLedger(client, ledgerSchema)
		if (rows.length === 0) throw new StrataError('NOTHING_TO_ROLL_BACK', 'No migration is executed on this database: nothing to roll back.')
		const count = countToRollBack(rows, argv)
		const targets = rows.slice(rows.length - count)
		const partial = [...(await readStepProgress(client, ledgerSchema)).entries()].filter(([, progress]) => progress.done < progress.total)
		if (partial.length > 0) {
			throw new StrataError('PARTIAL_MIGRATION', `A migration run in steps is partly applied (${partial.map(([version]) => version).join(', ')}): run migrations:execute to finish it before rolling back.`)
		}
		const executed = rows.map(row => parseMigration(row.name, row.migration))
		const plan = planRollback(executed, count)
		if (!output.jsonMode) printPlan(plan, output)
		if (plan.irreversible.length > 0) {
			throw new StrataError('IRREVERSIBLE', `Not rolled back: strata cannot undo ${plan.irreversible.length === 1 ? 'this' : 'these'}:\n`
				+ plan.irreversible.map(it => `  - ${it.migration}: ${it.reason}`).join('\n') + '\nNothing was changed.')
		}
		if (plan.dataLoss.length > 0 && !(argv.acceptDataLoss && argv.yes)) {
			throw new StrataError('DATA_LOSS_REFUSED', `Not rolled back: undoing it loses data:\n`
				+ plan.dataLoss.map(it => `  - ${it.migration}: ${it.message}: ${it.reason}`).join('\n')
				+ '\nPass --yes --accept-data-loss to roll back anyway. Nothing was changed.')
		}
		if (!argv.yes) {
			if (!canPrompt(output)) throw new StrataError('CONFIRMATION_REQUIRED', 'migrations:rollback asks for confirmation, but there is no terminal to ask on. Pass --yes to roll back without asking.')
			const { select } = await import('@inquirer/prompts')
			const answer = await select({ message: `Roll back ${targets.map(row => row.name).join(', ')}?`, choices: [{ name: 'Roll back', value: 'yes' }, { name: 'Abort', value: 'abort' }] })
			if (answer === 'abort') {
				output.info('Aborted; nothing was changed.')
				return ExitCode.ok
			}
		}
		throwIfInterrupted()
		const statements: string[] = []
		try {
			await executeRollback(client, plan, { ledgerSchema, schemaName, lockTimeoutMs, onStatement: sql => statements.push(sql) })
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error)
			throw new StrataError('ROLLBACK_FAILED', `The rollback failed and was undone: nothing was changed.\n  ${reason}${statements.length > 0 ? `\n  statement: ${statements[statements.length - 1]}` : ''}`, ExitCode.migrationFailed, { cause: error })
		}
		const names = plan.steps.map(step => step.migration.name)
		if (output.jsonMode) output.json({ rolledBack: names, statements, dataLoss: plan.dataLoss })
		else output.info(`Rolled back ${names.join(', ')} (${statements.length} statement${statements.length === 1 ? '' : 's'}); ${names.length === 1 ? 'its file is' : 'their files are'} pending again.`)
		return ExitCode.ok
	})
}
