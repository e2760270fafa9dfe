/**
 * `migrations:amend [migration]`: fold the declared schema's new edits into an existing
 * migration (the latest by default), on disk and — when it ran there — in the local database,
 * where only the delta SQL runs and the ledger row is rewritten, in one transaction under the
 * migration lock. Development only: refuses non-local databases unless --allow-remote.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { deleteLedgerRow, inTransaction, runModificationsLive, updateLedgerRow } from '../../db/bootstrap.js'
import { readLedger } from '../../db/ledger.js'
import { computeStatus, migrationContent } from '../../db/status.js'
import { parseFillFlags, parseRenameFlags, parseRenamesFile } from '../../diff/answers.js'
import { parseUsingFlags } from '../../diff/conversions.js'
import type { StrataExtension } from '../../lint/extension.js'
import { markedExtension } from '../../migrations/strataOnly.js'
import type { FillAnswer } from '../../diff/fills.js'
import { candidateKey, resolveRenames, type RenameAnswers, type RenameCandidate } from '../../diff/renames.js'
import { ExitCode, StrataError } from '../../errors.js'
import { planAmend, type AmendAnswers, type AmendPlan } from '../../migrations/amend.js'
import { describeFill } from '../../migrations/amendAnswers.js'
import { abandonJournal, completeJournal, journalExists, writeJournal, type DevJournal } from '../../migrations/devJournal.js'
import { FORMAT_VERSION_LATEST, readMigrations, serializeMigration, type MigrationFile } from '../../migrations/files.js'
import { replay } from '../../migrations/replay.js'
import { readSnapshot } from '../../migrations/snapshot.js'
import { foldModifications } from '../../modifications/fold.js'
import { loadDeclaredSchema, projectSchemaOptions } from '../../schema/loader.js'
import type { Schema } from '../../schema/model.js'
import { quoteIdentifier } from '../../sql/quote.js'
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
	return withDevSession(argv, context, output, ledgerSchema, 'migrations:amend', async (client, journalScope) => {
		// planned again under the lock: the ledger and files are now what the change applies to
		const files = await readMigrations(context.migrationsDir)
		const plan = planAmend(files, declared, argv.migration, answers)
		if (plan.kind === 'nothing-to-do') return nothingToDo(plan.target.name)
		const { target } = plan
		const rows = await readLedger(client, ledgerSchema)
		const status = computeStatus(files, rows)
		if (status.errors.length > 0) {
			throw new StrataError('LEDGER_MISMATCH', `Cannot amend ${target.name}: the local ledger does not match the migration files:\n`
				+ status.errors.map(entry => `  - ${entry.name}: ${entry.message}`).join('\n') + '\nSee "strata migrations:status".')
		}
		const executed = new Set(rows.map(row => row.version))
		const laterPending = plan.later.filter(file => !executed.has(file.version))
		if (laterPending.length > 0) {
			throw new StrataError('LATER_MIGRATIONS_PENDING', `Cannot amend ${target.name}: later migration${laterPending.length === 1 ? ' is' : 's are'} not executed locally: ${laterPending.map(file => file.name).join(', ')}.\n`
				+ 'Run "strata migrations:execute" first, so that the local database matches every migration after the one being amended.')
		}
		const executedLocally = executed.has(target.version)

		if (!output.jsonMode) {
			if (plan.delta.length > 0) {
				output.info('New edits:')
				printDelta(plan, output)
			} else output.info(`No new schema edits: the answers given change ${target.name} only (nothing runs on the local database).`)
			printAnswers(plan, output)
			output.info(`Amending ${target.name}${executedLocally && plan.delta.length > 0 ? ' (executed locally: the edits run on the local database)' : ''}`)
		}
		const emptyChoice = plan.amended.length === 0 ? await decideEmpty(argv, output, target.name) : undefined
		if (!argv.yes) {
			const { select } = await import('@inquirer/prompts')
			const answer = await select({ message: 'Amend it?', choices: [{ name: 'Amend', value: 'amend' }, { name: 'Abort', value: 'abort' }] }).catch((error: unknown) => {
				if (isPromptCancel(error)) throw error
				return 'abort'
			})
			if (answer === 'abort') {
				output.info('Aborted; nothing was changed.')
				return ExitCode.userError
			}
		}

		const remove = emptyChoice === 'remove'
		// the extensions marker follows what the amended content uses; online and lint suppressions stay
		const strata = markedExtension<StrataExtension>(target.strata, plan.amended)
		const content = { formatVersion: FORMAT_VERSION_LATEST, modifications: [...plan.amended], ...(target.skippedErrors ? { skippedErrors: target.skippedErrors } : {}), ...(strata ? { strata } : {}) }
		const journal: DevJournal = {
			operation: 'amend',
			description: remove ? `remove ${target.name}` : `amend ${target.name}`,
			state: 'prepared',
			files: [{ path: target.path, before: await readFile(target.path, 'utf8'), after: remove ? null : serializeMigration(content) }],
			...(executedLocally ? { probe: { version: target.version, checksumAfter: remove ? null : plan.checksum } } : {}),
		}
		// from here the journal keeps files and database together: an interrupt either rolls both back or completes both
		throwIfInterrupted()
		await writeJournal(journalScope, journal)
		const statements: string[] = []
		if (executedLocally) {
			try {
				await inTransaction(client, async () => {
					await client.query(`SET LOCAL lock_timeout = ${Math.max(0, lockTimeoutMs)}`)
					await client.query(`SET LOCAL search_path TO ${quoteIdentifier('public')}`)
					await runModificationsLive(client, plan.current, plan.delta, FORMAT_VERSION_LATEST, 'public', sql => statements.push(sql))
					if (remove) await deleteLedgerRow(client, ledgerSchema, target.version)
					else await updateLedgerRow(client, ledgerSchema, { version: target.version, formatVersion: FORMAT_VERSION_LATEST, checksum: plan.checksum, content: JSON.stringify(migrationContent(content)) })
				})
			} catch (error) {
				await abandonJournal(journalScope, journal)
				const reason = error instanceof Error ? error.message : String(error)
				throw new StrataError('AMEND_FAILED', `Applying the edits to the local database failed, so nothing was changed (database and ${target.name} are as before):\n  ${reason}${statements.length > 0 ? `\n  statement: ${statements[statements.length - 1]}` : ''}`, ExitCode.migrationFailed, { cause: error })
			}
		}
		await completeJournal(journalScope, journal)
		describeInterruptOutcome(() => `${target.name} was ${remove ? 'removed' : 'amended'} before the interrupt took effect (files and local database together).`)

		const snapshot = await readSnapshot(context.migrationsDir)
		const staleSnapshot = snapshot?.covers.some(cover => cover.version === target.version) ?? false
		if (output.jsonMode) {
			output.json({ migration: target.name, action: remove ? 'removed' : emptyChoice === 'keep' ? 'kept-empty' : 'amended', executedLocally, checksum: remove ? null : plan.checksum, statements, ...answersJson(plan) })
			return ExitCode.ok
		}
		if (executedLocally) output.info(`Applied ${statements.length} statement${statements.length === 1 ? '' : 's'} to the local database and ${remove ? 'removed' : 'updated'} its ledger row.`)
		output.info(remove ? `Removed ${target.name} (it became empty).` : `Amended ${target.name}.`)
		if (staleSnapshot) output.warn('migrations/snapshot.json covers this migration and is now stale; run "strata migrations:snapshot".')
		return ExitCode.ok
	})
}
