/**
 * `migrations:amend [migration]`: fold the declared schema's new edits into an existing
 * migration (the latest by default), on disk and — when it ran there — in the local database,
 * where only the delta SQL runs and the ledger row is rewritten, in one transaction under the
 * migration lock. Development only: refuses non-local databases unless --allow-remote.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { amendInSession } from '../../api/dev.js'
import { parseFillFlags, parseRenameFlags, parseRenamesFile } from '../../diff/answers.js'
import { parseUsingFlags } from '../../diff/conversions.js'
import type { FillAnswer } from '../../diff/fills.js'
import { candidateKey, resolveRenames, type RenameAnswers, type RenameCandidate } from '../../diff/renames.js'
import { ExitCode, StrataError } from '../../errors.js'
import { planAmend, type AmendAnswers, type AmendPlan } from '../../migrations/amend.js'
import { describeFill } from '../../migrations/amendAnswers.js'
import { journalExists } from '../../migrations/devJournal.js'
import { FORMAT_VERSION_LATEST, readMigrations, type MigrationFile } from '../../migrations/files.js'
import { replay } from '../../migrations/replay.js'
import { foldModifications } from '../../modifications/fold.js'
import { loadDeclaredSchema, projectSchemaOptions } from '../../schema/loader.js'
import type { Schema } from '../../schema/model.js'
import { fillPositionals, resolveProject } from '../context.js'
import { createOutput, type Output } from '../output.js'
import { canPrompt } from '../terminal.js'
import { describeInterruptOutcome, isPromptCancel, throwIfInterrupted } from '../interrupt.js'
import { parseDuration } from './execute.js'
import { withDevSession } from './rebase.js'
import { ledgerSchemaOf, type DatabaseCommandArgs } from './status.js'

export interface AmendArgs extends DatabaseCommandArgs {
	readonly migration?: string
	readonly yes?: boolean
	readonly removeEmpty?: boolean
	readonly keepEmpty?: boolean
	readonly allowRemote?: boolean
	readonly lockWait?: string
	readonly lockTimeout?: string
	readonly rename?: string[]
	readonly renames?: string
	readonly fill?: string[]
	readonly copy?: string[]
	/** conversions of type changes: Entity.field=<SQL expression> (repeatable) */
	readonly using?: string[]
}

const readRenameAnswers = async (argv: AmendArgs, root: string): Promise<RenameAnswers> => {
	let renames: RenameAnswers = {}
	if (argv.renames) {
		const path = resolve(root, argv.renames)
		const text = await readFile(path, 'utf8').catch((error: Error) => {
			throw new StrataError('INVALID_RENAMES_FILE', `Cannot read the renames file ${path}: ${error.message}`)
		})
		renames = parseRenamesFile(path, text)
	}
	return { ...renames, ...parseRenameFlags(argv.rename ?? []) }
}

/**
 * Rename and fill-value answers, as migrations:diff takes them: flags and the answers file, then
 * in a terminal the questions still open — renames in the new edits, renames the amended
 * migration could hold (the target removed one thing and something new is there), and the NOT
 * NULL steps of either without a value for existing rows. What the migration already holds is
 * carried by the plan and not asked again.
 */
const gatherAnswers = async (argv: AmendArgs, root: string, files: readonly MigrationFile[], declared: Schema, interactive: boolean): Promise<AmendAnswers> => {
	let answers: AmendAnswers = { renames: await readRenameAnswers(argv, root), fillFlags: parseFillFlags(argv.fill ?? [], argv.copy ?? []), conversions: parseUsingFlags(argv.using ?? []) }
	if (!interactive) return answers
	const { promptFill, promptRenameResolver } = await import('../../diff/prompts.js')
	const resolver = promptRenameResolver()
	answers = { ...answers, renames: await resolveRenames(replay([...files]), declared, resolver, answers.renames) }
	const opened = planAmend(files, declared, argv.migration, answers)
	if (opened.kind === 'nothing-to-do') return answers
	const renames: Record<string, string | null> = { ...answers.renames }
	for (const candidate of opened.renameCandidates) {
		const answer = await resolver.resolve(candidate)
		if (answer !== undefined) renames[candidateKey(candidate)] = answer
	}
	answers = { ...answers, renames }
	const plan = planAmend(files, declared, argv.migration, answers)
	if (plan.kind === 'nothing-to-do') return answers
	const fills: Record<string, FillAnswer> = {}
	for (const missing of plan.missingFills) {
		const answer = await promptFill(missing, declared)
		if (answer) fills[missing.key] = answer
	}
	return { ...answers, fills }
}

const where = (candidate: RenameCandidate) => (name: string) => (candidate.kind === 'entity' ? name : `${candidate.entityName}.${name}`)

/** what the amended migration keeps from the old one, and every question still open */
const printAnswers = (plan: AmendPlan, output: Output) => {
	const { color } = output
	const name = plan.target.name
	for (const rename of plan.carried.renames) output.info(color.green(`  kept from ${name}: rename ${rename.key} → ${rename.to} (data kept)`))
	for (const fill of plan.carried.fills) output.info(color.green(`  kept from ${name}: fill ${fill.key} ${describeFill(fill.answer)} for existing rows`))
	for (const kept of plan.carried.conversions) output.info(color.green(`  kept from ${name}: convert ${kept.key} using ${kept.conversion}`))
	for (const dropped of plan.carried.dropped) output.warn(`${name} held "${dropped.answer}", which the amended migration does not keep: ${dropped.reason}.`)
	for (const candidate of plan.diff.renameCandidates) {
		output.warn(`${where(candidate)(candidate.from)} was removed and ${candidate.to.map(where(candidate)).join(' / ')} added: treated as drop + create. If it is a rename, pass --rename ${candidateKey(candidate)}:${candidate.to[0]}.`)
	}
	for (const candidate of plan.renameCandidates) {
		output.warn(`${name} drops ${where(candidate)(candidate.from)} and ${candidate.to.map(where(candidate)).join(' / ')} is new: on other databases its data is lost. If it is a rename, pass --rename ${candidateKey(candidate)}:${candidate.to[0]}.`)
	}
	for (const missing of plan.missingFills) {
		output.warn(`${missing.message}; pass --fill ${missing.key}=<value> or --copy ${missing.key}=<field> if the table has rows.`)
	}
}

/** the same for --json */
const answersJson = (plan: AmendPlan) => ({
	carried: {
		renames: plan.carried.renames,
		fills: plan.carried.fills.map(fill => ({ key: fill.key, ...('copy' in fill.answer ? { copyValue: fill.answer.copy } : { fillValue: fill.answer.value }) })),
		conversions: plan.carried.conversions,
		dropped: plan.carried.dropped,
	},
	unanswered: {
		renames: [...plan.diff.renameCandidates, ...plan.renameCandidates].map(candidate => ({ key: candidateKey(candidate), to: candidate.to })),
		fills: plan.missingFills.map(missing => missing.key),
	},
})

const printDelta = (plan: AmendPlan, output: Output) => {
	const { color } = output
	const { steps } = foldModifications(plan.current, plan.delta, { formatVersion: FORMAT_VERSION_LATEST })
	for (const step of steps) {
		const text = `  ${step.description.message} [${step.modification.modification}]`
		output.info(step.description.destructive ? color.red(`${text} — destructive${step.description.destructiveReason ? `: ${step.description.destructiveReason}` : ''}`) : text)
		for (const warning of step.description.warnings) output.info(color.yellow(`    ! ${warning.message} [${warning.code}]`))
	}
}

/** remove or keep a migration the edits emptied: flags first, then a prompt; never a silent choice */
const decideEmpty = async (argv: AmendArgs, output: Output, name: string): Promise<'remove' | 'keep'> => {
	if (argv.removeEmpty) return 'remove'
	if (argv.keepEmpty) return 'keep'
	if (argv.yes || !canPrompt(output)) {
		throw new StrataError('EMPTY_AMEND_UNDECIDED',
			`Amending ${name} leaves it empty (the edits revert it). Say what to do: --remove-empty (delete the file and its ledger row) or --keep-empty (keep an empty migration).`)
	}
	const { select } = await import('@inquirer/prompts')
	return select({
		message: `${name} is now empty (the edits revert it). What should happen to it?`,
		choices: [
			{ name: 'Remove the migration (file and local ledger row)', value: 'remove' as const },
			{ name: 'Keep it empty', value: 'keep' as const },
		],
	})
}

export const run = async (given: AmendArgs): Promise<number | void> => {
	// `migrations:amend -- <migration>` must amend that migration, not silently the latest
	const argv = fillPositionals(given, ['migration'])
	const output = createOutput(argv)
	// Ctrl-C at a question, or a signal, is reported by the CLI as an interrupt (exit 130)
	describeInterruptOutcome(() => 'nothing was changed.')
	const context = await resolveProject(argv)
	const ledgerSchema = ledgerSchemaOf(argv, context)
	const lockTimeoutMs = parseDuration(argv.lockTimeout, 10_000, 'lock-timeout')
	const declared = (await loadDeclaredSchema(projectSchemaOptions(context))).schema
	const nothingToDo = (name: string) => {
		if (output.jsonMode) output.json({ migration: name, action: 'nothing-to-do' })
		else output.info('Nothing to do: the declared schema matches the migrations.')
		return ExitCode.ok
	}
	// refusals and "nothing to do" need no database, unless an interrupted run must be finished first
	const earlyFiles = await readMigrations(context.migrationsDir)
	const answers = await gatherAnswers(argv, context.root, earlyFiles, declared, canPrompt(output) && !argv.yes)
	if (!(await journalExists(context.root))) {
		const early = planAmend(earlyFiles, declared, argv.migration, answers)
		if (early.kind === 'nothing-to-do') return nothingToDo(early.target.name)
	}

	if (!argv.yes && !canPrompt(output)) {
		throw new StrataError('CONFIRMATION_REQUIRED', 'migrations:amend asks for confirmation, but there is no terminal to ask on. Pass --yes to amend without asking.')
	}
	return withDevSession(argv, context, output, ledgerSchema, 'migrations:amend', async session => {
		const outcome = await amendInSession(session, context, declared, answers, {
			migration: argv.migration,
			lockTimeoutMs,
			...(argv.removeEmpty ? { empty: 'remove' as const } : argv.keepEmpty ? { empty: 'keep' as const } : {}),
			decideEmpty: name => decideEmpty(argv, output, name),
			onPlan: (plan, executedLocally) => {
				if (output.jsonMode) return
				if (plan.delta.length > 0) {
					output.info('New edits:')
					printDelta(plan, output)
				} else output.info(`No new schema edits: the answers given change ${plan.target.name} only (nothing runs on the local database).`)
				printAnswers(plan, output)
				output.info(`Amending ${plan.target.name}${executedLocally && plan.delta.length > 0 ? ' (executed locally: the edits run on the local database)' : ''}`)
			},
			confirm: async () => {
				if (argv.yes) return true
				const { select } = await import('@inquirer/prompts')
				const answer = await select({ message: 'Amend it?', choices: [{ name: 'Amend', value: 'amend' }, { name: 'Abort', value: 'abort' }] }).catch((error: unknown) => {
					if (isPromptCancel(error)) throw error
					return 'abort'
				})
				return answer === 'amend'
			},
			// from here the journal keeps files and database together: an interrupt either rolls both back or completes both
			beforeChange: throwIfInterrupted,
		})
		if (outcome.action === 'nothing-to-do') return nothingToDo(outcome.migration)
		if (outcome.action === 'aborted') {
			output.info('Aborted; nothing was changed.')
			return ExitCode.userError
		}
		const remove = outcome.action === 'removed'
		describeInterruptOutcome(() => `${outcome.migration} was ${remove ? 'removed' : 'amended'} before the interrupt took effect (files and local database together).`)
		if (output.jsonMode) {
			output.json({ migration: outcome.migration, action: outcome.action, executedLocally: outcome.executedLocally, checksum: outcome.checksum, statements: outcome.statements, ...answersJson(outcome.plan!) })
			return ExitCode.ok
		}
		if (outcome.executedLocally) output.info(`Applied ${outcome.statements.length} statement${outcome.statements.length === 1 ? '' : 's'} to the local database and ${remove ? 'removed' : 'updated'} its ledger row.`)
		output.info(remove ? `Removed ${outcome.migration} (it became empty).` : `Amended ${outcome.migration}.`)
		if (outcome.snapshotStale) output.warn('migrations/snapshot.json covers this migration and is now stale; run "strata migrations:snapshot".')
		return ExitCode.ok
	})
}
