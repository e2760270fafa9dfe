/**
 * Validation of a whole project: the declared schema, every migration file, the replayed
 * schema, and whether the migrations hold every change of the declared schema. Each stage is
 * reported, and every problem found, so one call shows everything that needs fixing.
 */
import { existsSync } from 'node:fs'
import { InternalError, StrataError, ValidationError, type Problem } from '../errors.js'
import { diffSchemas } from '../diff/diffSchemas.js'
import type { MigrationFile } from '../migrations/files.js'
import { MigrationReplayError, validateHistory } from '../migrations/replay.js'
import { cachedReplay, saveReplayCache } from '../migrations/replayCache.js'
import { parseMigrationTexts, readMigrationTexts } from '../migrations/store.js'
import { ConflictCode } from '../modifications/conflicts.js'
import { foldModifications } from '../modifications/fold.js'
import type { Modification } from '../modifications/types.js'
import { FORMAT_VERSION_LATEST } from '../modifications/versions.js'
import { schemaDifferences } from '../schema/compare.js'
import { loadDeclaredSchema, projectSchemaOptions } from '../schema/loader.js'
import type { Schema } from '../schema/model.js'
import type { StrataProject } from './project.js'

export interface ValidateProjectOptions {
	/** replay and validate the schema after every migration, not only at the end (slower; finds the first migration that breaks it) */
	readonly eachMigration?: boolean
}

/** one stage of validation and whether it passed, worded for a person */
export interface ValidationStage {
	readonly ok: boolean
	readonly message: string
}

export interface ProjectValidation {
	/** no problem anywhere */
	readonly valid: boolean
	readonly stages: readonly ValidationStage[]
	/** every problem: file, JSON path inside it, message and code */
	readonly problems: readonly Problem[]
	/** how many migration files were read; null when the directory could not be read */
	readonly migrations: number | null
	/** where the declared schema came from; null when it could not be loaded */
	readonly declaredSchema: string | null
	readonly migrationsDir: string
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

/**
 * Validates the project and returns every problem instead of stopping at the first. Offline.
 * A valid history's replay is cached under `.strata/` (as the CLI does), so the next call is fast.
 */
export const validateProject = async (project: StrataProject, options: ValidateProjectOptions = {}): Promise<ProjectValidation> => {
	const problems: Problem[] = []
	const stages: ValidationStage[] = []
	const stage = (ok: boolean, message: string) => stages.push({ ok, message })

	let declared: { schema: Schema; source: string } | undefined
	try {
		declared = await loadDeclaredSchema(projectSchemaOptions(project))
		stage(true, `declared schema is valid (${declared.source})`)
	} catch (error) {
		const found = problemsOf(error, { file: project.schemaPath ?? 'schema', path: '' })
		problems.push(...found)
		stage(false, `declared schema: ${found.length} problem${found.length === 1 ? '' : 's'}`)
	}

	let fileCount: number | null = null
	let files: MigrationFile[] | undefined
	let read: Awaited<ReturnType<typeof readMigrationTexts>> | undefined
	let replayed: Schema | undefined
	try {
		// "0 files are valid" would hide a mistyped migrationsDir or a project not started yet
		if (!existsSync(project.migrationsDir)) throw new StrataError('MIGRATIONS_DIR_MISSING', `The migrations directory ${project.migrationsDir} does not exist; ${hint}.`)
		read = await readMigrationTexts(project.migrationsDir)
		// the files of a history replayed and validated before (same bytes, same strata) are valid as they were
		const cached = options.eachMigration ? undefined : cachedReplay(project.root, project.migrationsDir, read, { validated: true })
		if (cached) {
			replayed = cached.schema
			if (cached.outcome === 'extended') await saveReplayCache(project.root, read, cached.schema, true)
		} else {
			files = parseMigrationTexts(project.migrationsDir, read)
		}
		fileCount = read.texts.length
		stage(true, `${fileCount} migration file${fileCount === 1 ? ' is' : 's are'} valid (${project.migrationsDir})`)
	} catch (error) {
		const found = problemsOf(error, { file: project.migrationsDir, path: '' })
		problems.push(...found)
		stage(false, `migration files: ${found.length} problem${found.length === 1 ? '' : 's'}; the history is not replayed`)
	}

	if (replayed) stage(true, 'replayed schema is valid')
	else if (files && read) {
		try {
			const history = validateHistory(files, { each: options.eachMigration === true })
			problems.push(...history.problems)
			stage(history.problems.length === 0, history.problems.length === 0 ? 'replayed schema is valid' : `replayed schema: ${history.problems.length} problem${history.problems.length === 1 ? '' : 's'}`)
			if (history.problems.length === 0) {
				replayed = history.schema
				await saveReplayCache(project.root, read, history.schema, true)
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
	return { valid: problems.length === 0, stages, problems, migrations: fileCount, declaredSchema: declared?.source ?? null, migrationsDir: project.migrationsDir }
}
