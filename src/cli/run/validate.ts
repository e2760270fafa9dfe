/**
 * `project:validate [project]`: the declared schema, every migration file and the replayed
 * schema are valid, and the declared schema holds no change that no migration holds.
 * Exit 1 otherwise, listing every problem.
 */
import { existsSync } from 'node:fs'
import { InternalError, StrataError, ValidationError, type Problem } from '../../errors.js'
import type { MigrationFile } from '../../migrations/files.js'
import { parseMigrationTexts, readMigrationTexts } from '../../migrations/store.js'
import { cachedReplay, saveReplayCache } from '../../migrations/replayCache.js'
import { MigrationReplayError, validateHistory } from '../../migrations/replay.js'
import { ConflictCode } from '../../modifications/conflicts.js'
import { foldModifications } from '../../modifications/fold.js'
import type { Modification } from '../../modifications/types.js'
import { FORMAT_VERSION_LATEST } from '../../modifications/versions.js'
import { diffSchemas } from '../../diff/diffSchemas.js'
import { schemaDifferences } from '../../schema/compare.js'
import { loadDeclaredSchema, projectSchemaOptions } from '../../schema/loader.js'
import type { Schema } from '../../schema/model.js'
import { resolveProject } from '../context.js'
import { createOutput } from '../output.js'
import type { ProjectCommandArgs } from '../commands/options.js'

export interface ValidateArgs extends ProjectCommandArgs {
	readonly eachMigration?: boolean
}

const problemsOf = (error: unknown, fallback: Omit<Problem, 'message'>): Problem[] => {
	if (error instanceof ValidationError) return [...error.problems]
	if (error instanceof StrataError) return [{ ...fallback, message: error.message, code: error.code }]
	throw error
}

const hint = 'create a migration with "strata migrations:diff <name>"'

/** Which entities and parts differ, when the differ itself cannot say (see pendingChanges). */
const differingParts = (replayed: Schema, declared: Schema, declaredSource: string): Problem[] => {
	const byPart = new Map<string, string[]>()
	for (const difference of schemaDifferences(declared, replayed, [], 10_000)) {
		const segments = difference.split(':')[0]!.split('.')
		const part = segments[0] === 'model' && (segments[1] === 'entities' || segments[1] === 'enums') && segments[2] ? segments.slice(0, 3).join('.') : segments[0]!
		byPart.set(part, [...(byPart.get(part) ?? []), difference])
	}
	return [...byPart].map(([part, differences]) => ({
		file: declaredSource,
		path: part,
		message: `differs from the schema the migrations build (${differences.length} difference${differences.length === 1 ? '' : 's'}, e.g. ${differences[0]}); ${hint}`,
		code: 'MIGRATIONS_NOT_IN_SYNC',
	}))
}

/** What the declared schema has that the migrations do not, as the modifications a new migration would hold. */
const pendingChanges = (replayed: Schema, declared: Schema, declaredSource: string): Problem[] => {
	let modifications: Modification[]
	try {
		modifications = diffSchemas(replayed, declared).modifications
	} catch (error) {
		// a differ bug (failed round trip) must not hide which parts differ; it is still reported
		if (!(error instanceof InternalError)) throw error
		return [...differingParts(replayed, declared, declaredSource), { path: '', message: error.message, code: error.code }]
	}
	if (modifications.length === 0) return []
	let descriptions: string[]
	try {
		descriptions = foldModifications(replayed, modifications, { formatVersion: FORMAT_VERSION_LATEST }).steps.map(step => `${step.description.message} [${step.modification.modification}]`)
	} catch {
		descriptions = modifications.map(it => it.modification)
	}
	return descriptions
		.map((message): Problem => ({ file: declaredSource, path: '', message: `not in any migration: ${message}`, code: 'PENDING_CHANGE' }))
		.concat([{ file: declaredSource, path: '', message: `${modifications.length} change${modifications.length === 1 ? '' : 's'} of the declared schema ${modifications.length === 1 ? 'is' : 'are'} in no migration; ${hint}`, code: 'MIGRATIONS_NOT_IN_SYNC' }])
}

/**
 * A replay failure as a problem; an object created twice also says how an already executed
 * migration (which cannot be edited) can keep replaying as Contember replays it.
 */
const replayProblemMessage = (error: MigrationReplayError): string => {
	const message = `${error.modificationId} cannot be applied: ${error.reason}`
	if (error.conflict?.code !== ConflictCode.exists) return message
	const skip = JSON.stringify({ code: error.conflict.code, path: error.conflict.path })
	return `${message}. Remove the duplicate; only if ${error.file} was already executed somewhere, add ${skip} to its skippedErrors (the later definition then wins, as in Contember)`
}

export const run = async (argv: ValidateArgs): Promise<number | void> => {
	const output = createOutput(argv)
	const { color } = output
	const context = await resolveProject(argv)
	const problems: Problem[] = []
	const stage = (ok: boolean, text: string) => {
		if (!output.jsonMode) output.info(`${ok ? color.green('✓') : color.red('✗')} ${text}`)
	}

	let declared: { schema: Schema; source: string } | undefined
	try {
		const loaded = await loadDeclaredSchema(projectSchemaOptions(context))
		declared = loaded
		stage(true, `declared schema is valid (${loaded.source})`)
	} catch (error) {
		const found = problemsOf(error, { file: context.schemaPath ?? 'schema', path: '' })
		problems.push(...found)
		stage(false, `declared schema: ${found.length} problem${found.length === 1 ? '' : 's'}`)
	}

	let fileCount: number | undefined
	let files: MigrationFile[] | undefined
	let read: Awaited<ReturnType<typeof readMigrationTexts>> | undefined
	let replayed: Schema | undefined
	try {
		// "0 files are valid" would hide a mistyped migrationsDir or a project not started yet
		if (!existsSync(context.migrationsDir)) throw new StrataError('MIGRATIONS_DIR_MISSING', `The migrations directory ${context.migrationsDir} does not exist; ${hint}.`)
		read = await readMigrationTexts(context.migrationsDir)
		// the files of a history replayed and validated before (same bytes, same strata) are valid as they were
		const cached = argv.eachMigration ? undefined : cachedReplay(context.root, context.migrationsDir, read, { validated: true })
		if (cached) {
			replayed = cached.schema
			if (cached.outcome === 'extended') await saveReplayCache(context.root, read, cached.schema, true)
		} else {
			files = parseMigrationTexts(context.migrationsDir, read)
		}
		fileCount = read.texts.length
		stage(true, `${fileCount} migration file${fileCount === 1 ? ' is' : 's are'} valid (${context.migrationsDir})`)
	} catch (error) {
		const found = problemsOf(error, { file: context.migrationsDir, path: '' })
		problems.push(...found)
		stage(false, `migration files: ${found.length} problem${found.length === 1 ? '' : 's'}; the history is not replayed`)
	}

	if (replayed) stage(true, 'replayed schema is valid')
	else if (files && read) {
		try {
			const history = validateHistory(files, { each: argv.eachMigration === true })
			problems.push(...history.problems)
			stage(history.problems.length === 0, history.problems.length === 0 ? 'replayed schema is valid' : `replayed schema: ${history.problems.length} problem${history.problems.length === 1 ? '' : 's'}`)
			if (history.problems.length === 0) {
				replayed = history.schema
				await saveReplayCache(context.root, read, history.schema, true)
			}
		} catch (error) {
			if (!(error instanceof MigrationReplayError)) throw error
			problems.push({ file: error.file, modificationIndex: error.modificationIndex, path: `/modifications/${error.modificationIndex}`, message: replayProblemMessage(error), code: error.code })
			stage(false, `replay failed in ${error.file}`)
		}
	}

	if (declared && replayed) {
		const pending = pendingChanges(replayed, declared.schema, declared.source)
		problems.push(...pending)
		stage(pending.length === 0, pending.length === 0 ? 'the migrations hold every change of the declared schema' : 'the declared schema has changes that no migration holds')
	}

	if (output.jsonMode) output.json({ valid: problems.length === 0, migrationsDir: context.migrationsDir, migrations: fileCount ?? null, declaredSchema: declared?.source ?? null, problems })
	if (problems.length === 0) return
	if (output.jsonMode) throw new StrataError('PROJECT_INVALID', `The project is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}; see the JSON output).`)
	throw new ValidationError(`The project is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}):`, problems, 'PROJECT_INVALID')
}
