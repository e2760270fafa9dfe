/**
 * `migrations:rollback [--steps N | --to <migration>]`: reverts the newest executed migrations on
 * the local database, newest first, in one transaction with their ledger rows. The inverse is
 * computed (src/migrations/rollback.ts); each file stays on disk and is pending again.
 * Development only: refuses non-local databases unless --allow-remote.
 */
import { ExitCode, StrataError } from '../../errors.js'
import { rollbackInSession } from '../../api/rollback.js'
import type { RollbackPlan } from '../../migrations/rollback.js'
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

/** --steps as given: a whole number of migrations, 1 or more */
const stepsOf = (argv: RollbackArgs): number | undefined => {
	if (argv.steps === undefined) return undefined
	if (!/^[1-9]\d*$/.test(argv.steps)) throw new UsageError(`--steps must be a whole number of migrations, 1 or more; got "${argv.steps}".`)
	return Number(argv.steps)
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
	const steps = stepsOf(argv)
	return withDevSession(argv, context, output, ledgerSchema, 'migrations:rollback', async session => {
		const outcome = await rollbackInSession(session, {
			...(steps !== undefined ? { steps } : {}), ...(argv.to !== undefined ? { to: argv.to } : {}),
			schemaName, lockTimeoutMs, acceptDataLoss: argv.acceptDataLoss === true && argv.yes === true,
			onPlan: plan => { if (!output.jsonMode) printPlan(plan, output) },
			confirm: async plan => {
				if (argv.yes) return true
				if (!canPrompt(output)) throw new StrataError('CONFIRMATION_REQUIRED', 'migrations:rollback asks for confirmation, but there is no terminal to ask on. Pass --yes to roll back without asking.')
				const { select } = await import('@inquirer/prompts')
				const answer = await select({ message: `Roll back ${plan.steps.map(step => step.migration.name).reverse().join(', ')}?`, choices: [{ name: 'Roll back', value: 'yes' }, { name: 'Abort', value: 'abort' }] })
				return answer === 'yes'
			},
			beforeChange: throwIfInterrupted,
		})
		if (outcome.aborted) {
			output.info('Aborted; nothing was changed.')
			return ExitCode.ok
		}
		const names = outcome.rolledBack
		if (output.jsonMode) output.json({ rolledBack: names, statements: outcome.statements, dataLoss: outcome.dataLoss })
		else output.info(`Rolled back ${names.join(', ')} (${outcome.statements.length} statement${outcome.statements.length === 1 ? '' : 's'}); ${names.length === 1 ? 'its file is' : 'their files are'} pending again.`)
		return ExitCode.ok
	})
}
