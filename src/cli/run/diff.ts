/**
 * `migrations:diff [project] <name>`: diff the declared schema against the one the migrations
 * build, ask about renames and fill values, show the steps, confirm, write the file.
 * Planning (diffSchemas) and writing are apart: nothing is written before the confirmation,
 * and Ctrl-C at any question leaves nothing behind.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { select } from '@inquirer/prompts'
import { PLAN_WARNING, planMigration, refuseUnwritable, writeMigration, type MigrationPlan, type PlanMigrationOptions } from '../../api/diff.js'
import { planExpandContract, writeExpandContract, type ExpandContractPlan } from '../../api/expandContract.js'
import { parseFillFlags, parseRenameFlags, parseRenamesFile } from '../../diff/answers.js'
import { describeFill } from '../../diff/fills.js'
import { parseUsingFlags } from '../../diff/conversions.js'
import type { RenameAnswers } from '../../diff/renames.js'
import { ExitCode, StrataError } from '../../errors.js'
import { findingJson } from '../../lint/report.js'
import { printLintFindings } from '../lintOutput.js'
import { validateLabel } from '../../migrations/files.js'
import { projectAndName, resolveProject, type ProjectContext } from '../context.js'
import { createOutput, type Output } from '../output.js'
import { canPrompt } from '../terminal.js'
import { describeInterruptOutcome, throwIfInterrupted } from '../interrupt.js'
import { type DatabaseCommandArgs } from './status.js'

export interface DiffArgs extends DatabaseCommandArgs {
	readonly name?: string
	readonly yes?: boolean
	readonly dryRun?: boolean
	readonly execute?: boolean
	readonly recreateViews?: boolean
	/** repeatable: yargs gives a string, or an array when repeated (not `array: true`, which would swallow the name) */
	readonly rename?: string | string[]
	readonly renames?: string
	readonly fill?: string | string[]
	readonly copy?: string | string[]
	/** conversions for type changes: Entity.field=<SQL expression> (repeatable) */
	readonly using?: string | string[]
	readonly allowFailing?: boolean
	readonly destructive?: boolean
	/** mark the migration for the online strategy (default: the project's `online` setting) */
	readonly online?: boolean
	/** write an expand/contract pair for a change that is not backward compatible (default: the project's `expandContract` setting) */
	readonly expandContract?: boolean
}

const list = (value: string | readonly string[] | undefined): string[] => (value === undefined ? [] : [value].flat())


const printSteps = (output: Output, plan: MigrationPlan) => {
	const { color } = output
	for (const step of plan.steps) {
		const text = `${step.message} ${color.dim(`[${step.modification}]`)}`
		if (step.destructive) {
			output.info(color.red(`- ${text} — destructive${step.destructiveReason ? `: ${step.destructiveReason}` : ''}`))
		} else output.info(color.blue(`- ${text}`))
		// makeRelationNotNull names its fill in its own message; the column steps do not
		const fill = step.modification === 'makeRelationNotNull' ? undefined : describeFill(plan.modifications[step.index]!)
		if (fill !== undefined) output.info(`    ${fill}`)
		for (const warning of plan.warnings.filter(it => it.index === step.index)) output.info(color.yellow(`    ! ${warning.message} [${warning.code}]`))
	}
}

const printPair = (output: Output, planned: ExpandContractPlan) => {
	const { color } = output
	for (const half of [planned.pair!.expand, planned.pair!.contract]) {
		output.info(color.bold(`${half.phase === 'expand' ? 'Expand' : 'Contract'} migration ${half.fileName}${half.phase === 'expand' ? ' (before the deploy)' : ' (after the deploy)'}:`))
		for (const step of half.steps) {
			const text = `${step.message} ${color.dim(`[${step.modification}]`)}`
			output.info(step.destructive ? color.red(`- ${text} — destructive${step.destructiveReason ? `: ${step.destructiveReason}` : ''}`) : color.blue(`- ${text}`))
		}
	}
	for (const applied of planned.plan.renames) {
		output.info(color.green(`Renamed ${applied.kind === 'entity' ? applied.from : `${applied.entityName}.${applied.from}`} → ${applied.to[0]} (data kept; both names work until the contract)`))
	}
	for (const warning of planned.warnings) output.warn(warning)
	for (const half of [planned.pair!.expand, planned.pair!.contract]) if (half.contemberWarning) output.warn(half.contemberWarning)
}

const pairJson = (planned: ExpandContractPlan, paths: readonly string[]) => ({
	name: planned.plan.name,
	pair: [planned.pair!.expand, planned.pair!.contract].map((half, index) => ({
		phase: half.phase,
		name: half.name,
		version: half.version,
		path: paths[index] ?? null,
		modifications: half.modifications,
		strata: half.strata,
		lint: half.lint.findings.map(findingJson),
	})),
	warnings: [...planned.plan.warnings, ...planned.warnings.map(message => ({ code: 'not-backward-compatible', message }))],
})

const readRenameAnswers = async (argv: DiffArgs, root: string): Promise<RenameAnswers> => {
	let answers: Record<string, string | null> = {}
	if (argv.renames) {
		const path = resolve(root, argv.renames)
		let text: string
		try {
			text = await readFile(path, 'utf8')
		} catch (error) {
			throw new StrataError('INVALID_RENAMES_FILE', `Cannot read the renames file ${path}: ${(error as Error).message}`)
		}
		answers = { ...parseRenamesFile(path, text) }
	}
	return { ...answers, ...parseRenameFlags(list(argv.rename)) }
}

export const run = async (argv: DiffArgs): Promise<number | void> => {
	const output = createOutput(argv)
	const { project, name } = projectAndName(argv)
	const label = validateLabel(name)
	// one word is the name: argv.project would hold it, so the project comes from projectAndName only
	const context = await resolveProject({ ...argv, project })
	const interactive = canPrompt(output) && !argv.yes
	// Ctrl-C at a question (or a signal) is reported by the CLI as an interrupt, exit 130
	describeInterruptOutcome(() => 'nothing was written.')
	// `diff --execute` hands argv on to migrations:execute: the project must be the one resolved above, not the name
	return diffAndWrite({ ...argv, project }, output, context, label, interactive)
}

const diffAndWrite = async (argv: DiffArgs, output: Output, context: ProjectContext, label: string, interactive: boolean): Promise<number> => {
	const { color } = output
	// the questions are loaded only in a terminal
	const prompts = interactive ? await import('../../diff/prompts.js') : undefined
	const renameResolver = prompts?.promptRenameResolver()
	const planOptions: PlanMigrationOptions = {
		name: label,
		renames: await readRenameAnswers(argv, context.root),
		fillFlags: parseFillFlags(list(argv.fill), list(argv.copy)),
		conversions: parseUsingFlags(list(argv.using)),
		...(argv.online !== undefined ? { online: argv.online } : {}),
		recreateViews: argv.recreateViews ?? false,
		...(renameResolver ? { askRename: candidate => renameResolver.resolve(candidate) } : {}),
		...(prompts ? { askFill: prompts.promptFill, askConversion: prompts.promptConversion } : {}),
	}
	const expandContract = argv.expandContract ?? context.config.expandContract ?? false
	const pairPlan = expandContract ? await planExpandContract(context, planOptions) : undefined
	const plan = pairPlan?.plan ?? await planMigration(context, planOptions)
	for (const notice of plan.notices) output.warn(notice)

	if (plan.empty) {
		if (output.jsonMode) output.json({ name: null, version: null, formatVersion: plan.formatVersion, modifications: [], destructive: [], warnings: [] })
		else output.info('Nothing to do: the migrations already build the declared schema.')
		return ExitCode.ok
	}
	const hints = plan.warnings.filter(warning => warning.code === PLAN_WARNING.renameCandidate || warning.code === PLAN_WARNING.missingFill)
	const contemberWarning = plan.warnings.find(warning => warning.code === PLAN_WARNING.strataOnly)
	if (!output.jsonMode && pairPlan?.pair) {
		printPair(output, pairPlan)
		for (const hint of hints) output.warn(hint.message)
	}
	else if (!output.jsonMode) {
		if (pairPlan) output.info(color.green('--expand-contract: the change is backward compatible; one ordinary migration is written.'))
		for (const warning of pairPlan?.warnings ?? []) output.warn(warning)
		output.info(color.bold(`Migration ${plan.fileName}:`))
		printSteps(output, plan)
		for (const applied of plan.renames) {
			output.info(color.green(`Renamed ${applied.kind === 'entity' ? applied.from : `${applied.entityName}.${applied.from}`} → ${applied.to[0]} (data kept)`))
		}
		for (const { from, to } of plan.enumRenames) {
			output.info(color.green(`Enum ${from} → ${to}: its columns are retyped to ${to} in place (values kept), then ${from} is dropped`))
		}
		for (const hint of hints) output.warn(hint.message)
		if (contemberWarning) output.warn(contemberWarning.message)
	}

	const json = (path: string | null, paths: readonly string[] = []) => (pairPlan?.pair ? pairJson(pairPlan, paths) : {
		name: plan.name,
		version: plan.version,
		formatVersion: plan.formatVersion,
		path,
		modifications: plan.modifications,
		...(plan.strata ? { strata: plan.strata } : {}),
		destructive: plan.destructive.map(step => ({ index: step.index, modification: step.modification, message: step.message, reason: step.destructiveReason })),
		warnings: plan.warnings,
		lint: plan.lint.findings.map(findingJson),
	})

	if (argv.dryRun) {
		if (output.jsonMode) output.json(json(null))
		else {
			printLintFindings(output, plan.lint)
			output.note('Dry run: nothing was written.')
		}
		return ExitCode.ok
	}
	const writeOptions = { destructive: argv.destructive !== false, allowFailing: argv.allowFailing === true }
	refuseUnwritable(plan, writeOptions)

	let executeAfter = argv.execute ?? false
	if (!argv.yes) {
		if (!interactive) {
			throw new StrataError('CONFIRMATION_REQUIRED', 'migrations:diff asks for confirmation, but there is no terminal to ask on. Pass --yes to write without asking, or --dry-run to only look.')
		}
		const { select } = await import('@inquirer/prompts')
		const answer = await select<'yes' | 'execute' | 'abort'>({
			message: 'Do you want to continue?',
			choices: [
				{ name: argv.execute ? 'Yes, write and execute' : 'Yes', value: 'yes' },
				...(argv.execute ? [] : [{ name: 'Yes and execute immediately', value: 'execute' as const }]),
				{ name: 'Abort', value: 'abort' },
			],
		})
		if (answer === 'abort') {
			output.info('Aborted; nothing was written.')
			return ExitCode.ok
		}
		if (answer === 'execute') executeAfter = true
	}

	throwIfInterrupted()
	const paths = pairPlan ? await writeExpandContract(context, pairPlan, writeOptions) : [await writeMigration(context, plan, writeOptions)]
	if (output.jsonMode) output.json(json(paths[0]!, paths))
	else {
		for (const path of paths) output.info(`${path} created`)
		if (pairPlan?.pair) {
			output.info(`Run ${pairPlan.pair.expand.fileName} before deploying the new application, and ${pairPlan.pair.contract.fileName} after it is deployed everywhere (docs/zero-downtime.md).`)
			printLintFindings(output, pairPlan.pair.expand.lint)
			printLintFindings(output, pairPlan.pair.contract.lint)
		} else printLintFindings(output, plan.lint)
	}

	if (executeAfter) {
		const execute = await import('./execute.js')
		// the user has just confirmed (or passed --yes); migrations:execute runs with the same database options
		const code = await execute.run({ ...argv, yes: true, dryRun: false, json: false })
		return typeof code === 'number' ? code : ExitCode.ok
	}
	return ExitCode.ok
}
