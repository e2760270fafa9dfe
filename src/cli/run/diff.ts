/**
 * `migrations:diff [project] <name>`: diff the declared schema against the one the migrations
 * build, ask about renames and fill values, show the steps, confirm, write the file.
 * Planning (diffSchemas) and writing are apart: nothing is written before the confirmation,
 * and Ctrl-C at any question leaves nothing behind.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { select } from '@inquirer/prompts'
import { fillAnswersFromFlags, parseFillFlags, parseRenameFlags, parseRenamesFile } from '../../diff/answers.js'
import { diffSchemas, type DiffResult } from '../../diff/diffSchemas.js'
import { checkCopyAnswers, describeFill, type FillAnswer } from '../../diff/fills.js'
import { promptFill, promptRenameResolver } from '../../diff/prompts.js'
import { refuseUncastableTypeChanges, uncastableTypeChanges } from '../../diff/uncastable.js'
import { parseUsingFlags, withConversions, type ConversionAnswers } from '../../diff/conversions.js'
import { contemberCannotRun, markedExtension, strataOnlyFeaturesUsed } from '../../migrations/strataOnly.js'
import type { Modification } from '../../modifications/types.js'
import type { StrataExtension } from '../../lint/extension.js'
import { candidateKey, resolveRenames, type RenameAnswers } from '../../diff/renames.js'
import { ExitCode, StrataError } from '../../errors.js'
import { lintMigrations, type LintReport } from '../../lint/lintMigrations.js'
import { findingJson } from '../../lint/report.js'
import { printLintFindings } from '../lintOutput.js'
import { foldModifications } from '../../modifications/fold.js'
import { FORMAT_VERSION_LATEST } from '../../modifications/versions.js'
import { migrationFileName, nextVersion, serializeMigration, validateLabel, writeMigrationFile } from '../../migrations/files.js'
import { cachedReplay, saveReplayCache } from '../../migrations/replayCache.js'
import { parseMigrationTexts, readMigrationTexts } from '../../migrations/store.js'
import { readSnapshot, replayWithSnapshot } from '../../migrations/snapshot.js'
import { loadDeclaredSchema, projectSchemaOptions } from '../../schema/loader.js'
import type { Schema } from '../../schema/model.js'
import { projectAndName, resolveProject } from '../context.js'
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
}

const list = (value: string | readonly string[] | undefined): string[] => (value === undefined ? [] : [value].flat())

const RENAME_CODE = 'rename-candidate'
const FILL_CODE = 'missing-fill'
const STRATA_ONLY_CODE = 'strata-only'

/**
 * The type changes with their conversions: from --using, then, in a terminal, asked for each
 * change PostgreSQL cannot cast (an empty answer leaves it, and the diff is refused below).
 */
const convertedTypeChanges = async (original: Schema, modifications: readonly Modification[], given: ConversionAnswers, interactive: boolean): Promise<Modification[]> => {
	const answers: Record<string, string> = { ...given }
	if (interactive) {
		for (const retype of uncastableTypeChanges(original, withConversions(original, modifications, FORMAT_VERSION_LATEST, answers), FORMAT_VERSION_LATEST)) {
			const { promptConversion } = await import('../../diff/prompts.js')
			const expression = await promptConversion(retype)
			if (expression !== undefined) answers[retype.field] = expression
		}
	}
	return withConversions(original, modifications, FORMAT_VERSION_LATEST, answers)
}

const maxPatchSize = (): number | undefined => {
	const raw = process.env.STRATA_MIGRATIONS_MAX_PATCH_SIZE
	if (raw === undefined || raw === '') return undefined
	if (!/^\d+$/.test(raw)) throw new StrataError('INVALID_ENV', `STRATA_MIGRATIONS_MAX_PATCH_SIZE must be a whole number, got "${raw}".`)
	return Number(raw)
}

const renameHint = (result: DiffResult) =>
	result.renameCandidates.map(candidate => {
		const where = (name: string) => (candidate.kind === 'entity' ? name : `${candidate.entityName}.${name}`)
		return {
			code: RENAME_CODE,
			message: `${where(candidate.from)} was removed and ${candidate.to.map(where).join(' / ')} added: treated as drop + create (the data of ${where(candidate.from)} is lost). ` +
				`If it is a rename, pass --rename ${candidateKey(candidate)}:${candidate.to[0]} (or --renames answers.json, or answer in a terminal).`,
		}
	})

const fillHint = (result: DiffResult) =>
	result.missingFills.map(missing => ({
		code: FILL_CODE,
		message: missing.fillable
			? `${missing.message}. Pass --fill ${missing.key}=<value> or --copy ${missing.key}=<otherField> (or answer in a terminal), or --allow-failing if the table is empty.`
			: `${missing.message}.`,
	}))

const printSteps = (output: Output, steps: ReturnType<typeof foldModifications>['steps'], compatibility: DiffResult['compatibility']) => {
	const { color } = output
	for (const step of steps) {
		const text = `${step.description.message} ${color.dim(`[${step.modification.modification}]`)}`
		if (step.description.destructive) {
			output.info(color.red(`- ${text} — destructive${step.description.destructiveReason ? `: ${step.description.destructiveReason}` : ''}`))
		} else output.info(color.blue(`- ${text}`))
		// makeRelationNotNull names its fill in its own message; the column steps do not
		const fill = step.modification.modification === 'makeRelationNotNull' ? undefined : describeFill(step.modification)
		if (fill !== undefined) output.info(`    ${fill}`)
		for (const warning of [...step.description.warnings, ...compatibility.filter(it => it.index === step.index)]) output.info(color.yellow(`    ! ${warning.message} [${warning.code}]`))
	}
}

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

/**
 * The schema the migrations build. Replay starts from migrations/snapshot.json when it is fresh
 * (a stale one is reported, never used), else from the replay cache when it covers the files.
 */
const replayedSchema = async (context: Awaited<ReturnType<typeof resolveProject>>, output: Output): Promise<{ schema: Schema; versions: string[] }> => {
	const snapshot = await readSnapshot(context.migrationsDir)
	const read = await readMigrationTexts(context.migrationsDir)
	const versions = read.listing.files.map(it => it.version)
	if (!snapshot) {
		const cached = cachedReplay(context.root, context.migrationsDir, read, { validated: false })
		if (cached) return { schema: cached.schema, versions }
	}
	const files = parseMigrationTexts(context.migrationsDir, read)
	// DEV hook (issue 6, src/migrations/snapshot.ts)
	const replayed = replayWithSnapshot(files, snapshot)
	if (replayed.staleReasons.length > 0) output.warn(`migrations/snapshot.json is stale and was not used (${replayed.staleReasons.join('; ')}); run "strata migrations:snapshot" to refresh it.`)
	if (!replayed.usedSnapshot) await saveReplayCache(context.root, read, replayed.schema, false)
	return { schema: replayed.schema, versions }
}

const diffAndWrite = async (argv: DiffArgs, output: Output, context: Awaited<ReturnType<typeof resolveProject>>, label: string, interactive: boolean): Promise<number> => {
	const { color } = output
	const declared = (await loadDeclaredSchema(projectSchemaOptions(context))).schema
	const { schema: original, versions } = await replayedSchema(context, output)
	const options = { recreateViews: argv.recreateViews ?? false, maxPatchSize: maxPatchSize() }

	let renames = await readRenameAnswers(argv, context.root)
	if (interactive) renames = await resolveRenames(original, declared, promptRenameResolver(), renames)

	let result = diffSchemas(original, declared, { ...options, renames })
	const fills: Record<string, FillAnswer> = { ...fillAnswersFromFlags(parseFillFlags(list(argv.fill), list(argv.copy)), result.missingFills, declared.model.enums) }
	checkCopyAnswers(fills, result.missingFills, declared)
	// answered "leave it" in the terminal: the user accepts that the step may fail
	const leftUnfilled = new Set<string>()
	if (interactive) {
		for (const missing of result.missingFills) {
			if (!missing.fillable || fills[missing.key]) continue
			const answer = await promptFill(missing, declared)
			if (answer) fills[missing.key] = answer
			else leftUnfilled.add(missing.key)
		}
	}
	if (Object.keys(fills).length > 0) result = diffSchemas(original, declared, { ...options, renames, fills })

	if (result.modifications.length === 0) {
		if (output.jsonMode) output.json({ name: null, version: null, formatVersion: FORMAT_VERSION_LATEST, modifications: [], destructive: [], warnings: [] })
		else output.info('Nothing to do: the migrations already build the declared schema.')
		return ExitCode.ok
	}

	result = { ...result, modifications: await convertedTypeChanges(original, result.modifications, parseUsingFlags(list(argv.using)), interactive) }
	refuseUncastableTypeChanges(original, result.modifications, FORMAT_VERSION_LATEST)
	const { steps } = foldModifications(original, result.modifications, { formatVersion: FORMAT_VERSION_LATEST })
	const version = nextVersion(versions)
	const fileName = migrationFileName(version, label)
	// the key is written only when something is in it, so a plain migration is exactly what it was before
	const marked = markedExtension<StrataExtension>((argv.online ?? context.config.online ?? false) ? { online: true } : undefined, result.modifications)
	const strata = marked ? { strata: marked } : {}
	const strataOnly = [...strataOnlyFeaturesUsed(result.modifications).keys()]
	const contemberWarning = strataOnly.length > 0 ? contemberCannotRun(fileName, strataOnly) : undefined
	const lint = lintMigrations([{ name: fileName.replace(/\.json$/, ''), version, formatVersion: FORMAT_VERSION_LATEST, modifications: result.modifications, ...strata }], original)
	const blocking = result.missingFills.filter(it => it.fillable && !leftUnfilled.has(it.key))
	const warnings = [
		...steps.flatMap(step => step.description.warnings.map(warning => ({ index: step.index, modification: step.modification.modification, ...warning }))),
		...result.compatibility,
		...renameHint(result),
		...fillHint(result),
		...(contemberWarning ? [{ code: STRATA_ONLY_CODE, message: contemberWarning }] : []),
	]
	const destructive = steps
		.filter(step => step.description.destructive)
		.map(step => ({ index: step.index, modification: step.modification.modification, message: step.description.message, reason: step.description.destructiveReason }))

	if (!output.jsonMode) {
		output.info(color.bold(`Migration ${fileName}:`))
		printSteps(output, steps, result.compatibility)
		for (const applied of result.renames) {
			output.info(color.green(`Renamed ${applied.kind === 'entity' ? applied.from : `${applied.entityName}.${applied.from}`} → ${applied.to[0]} (data kept)`))
		}
		for (const { from, to } of result.enumRenames) {
			output.info(color.green(`Enum ${from} → ${to}: its columns are retyped to ${to} in place (values kept), then ${from} is dropped`))
		}
		for (const hint of [...renameHint(result), ...fillHint(result)]) output.warn(hint.message)
		if (contemberWarning) output.warn(contemberWarning)
	}

	const json = (path: string | null) => ({
		name: fileName.replace(/\.json$/, ''),
		version,
		formatVersion: FORMAT_VERSION_LATEST,
		path,
		modifications: result.modifications,
		...strata,
		destructive,
		warnings,
		lint: lint.findings.map(findingJson),
	})

	if (argv.dryRun) {
		if (output.jsonMode) output.json(json(null))
		else {
			printLintFindings(output, lint)
			output.note('Dry run: nothing was written.')
		}
		return ExitCode.ok
	}
	if (argv.destructive === false && destructive.length > 0) {
		throw new StrataError(
			'DESTRUCTIVE_REFUSED',
			`Not written (--no-destructive): ${destructive.length} step${destructive.length === 1 ? '' : 's'} would lose data:\n` +
				destructive.map(it => `  - #${it.index} ${it.message}${it.reason ? `: ${it.reason}` : ''}`).join('\n') +
				'\nIf a removal is really a rename, pass --rename (see docs/diff.md).',
		)
	}
	if (blocking.length > 0 && !argv.allowFailing) {
		throw new StrataError(
			'MISSING_FILL_VALUE',
			`Not written: ${blocking.length} NOT NULL step${blocking.length === 1 ? '' : 's'} would fail on a table with rows:\n` +
				blocking.map(it => `  - ${it.message}`).join('\n') +
				`\nGive values with ${blocking.map(it => `--fill ${it.key}=<value>`).join(' ')} (or --copy Entity.field=otherField, or answer in a terminal), or pass --allow-failing if the tables are empty.`,
		)
	}

	let executeAfter = argv.execute ?? false
	if (!argv.yes) {
		if (!interactive) {
			throw new StrataError('CONFIRMATION_REQUIRED', 'migrations:diff asks for confirmation, but there is no terminal to ask on. Pass --yes to write without asking, or --dry-run to only look.')
		}
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
	const path = await writeMigrationFile(context.migrationsDir, fileName, serializeMigration({ formatVersion: FORMAT_VERSION_LATEST, modifications: result.modifications, ...strata }))
	if (output.jsonMode) output.json(json(path))
	else {
		output.info(`${path} created`)
		printLintFindings(output, lint)
	}

	if (executeAfter) {
		const execute = await import('./execute.js')
		// the user has just confirmed (or passed --yes); migrations:execute runs with the same database options
		const code = await execute.run({ ...argv, yes: true, dryRun: false, json: false })
		return typeof code === 'number' ? code : ExitCode.ok
	}
	return ExitCode.ok
}
