/**
 * Replay: the schema a migration history describes, by folding each file's modifications
 * (with the file's own formatVersion) over the empty schema. Pure.
 */
import { InternalError, StrataError, type Problem } from '../errors.js'
import { applyModification } from '../modifications/fold.js'
import { emptySchema, type Schema } from '../schema/model.js'
import { validateSchema } from '../schema/validate.js'
import type { MigrationFile, SkippedError } from './format.js'
import { versionOf } from './naming.js'

export interface ReplayOptions {
	/** the schema to start from (default: the empty schema), e.g. a snapshot's */
	readonly initial?: Schema
	/** replay files with version ≤ this (a version or a name) */
	readonly until?: string
	/** replay files with version < this (a version or a name): the schema a migration starts from */
	readonly before?: string
}

/** A modification of a migration file cannot be applied to the schema the earlier ones built. */
export class MigrationReplayError extends StrataError {
	constructor(
		readonly file: string,
		readonly modificationIndex: number,
		readonly modificationId: string,
		readonly reason: string,
		cause?: unknown,
	) {
		super(
			'REPLAY_FAILED',
			`Migration ${file} cannot be replayed: modification #${modificationIndex} (${modificationId}) failed: ${reason}`,
			undefined,
			{ cause },
		)
	}
}

type Replayable = Pick<MigrationFile, 'name' | 'version' | 'formatVersion' | 'modifications'>

export const selectFiles = <F extends Pick<MigrationFile, 'version'>>(files: readonly F[], options: Pick<ReplayOptions, 'until' | 'before'> = {}): F[] => {
	const until = options.until === undefined ? undefined : versionOf(options.until)
	const before = options.before === undefined ? undefined : versionOf(options.before)
	return files.filter(file => (until === undefined || file.version <= until) && (before === undefined || file.version < before))
}

const applyFile = (schema: Schema, file: Replayable): Schema => {
	let current = schema
	file.modifications.forEach((modification, index) => {
		try {
			current = applyModification(current, modification, file.formatVersion)
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error)
			if (error instanceof StrataError) throw new MigrationReplayError(`${file.name}.json`, index, modification.modification, reason, error)
			throw new InternalError(`Replaying ${file.name}.json, modification #${index} (${modification.modification}) crashed: ${reason}`, { cause: error })
		}
	})
	return current
}

/**
 * The schema after `files` (sorted by version), each replayed with its own formatVersion.
 * Throws MigrationReplayError naming the file, the modification index and id, and why.
 */
export const replay = (files: readonly Replayable[], options: ReplayOptions = {}): Schema =>
	selectFiles(files, options).reduce(applyFile, options.initial ?? emptySchema)

// ---------------------------------------------------------------------------------------------
// validation of the replayed schema, honouring skippedErrors

const normalisePath = (path: string | undefined): string => (path ?? '').replace(/^\//, '').replace(/\//g, '.')

const isSkipped = (problem: Problem, skips: readonly SkippedError[]): boolean =>
	skips.some(skip => skip.code === problem.code && (skip.path === undefined || normalisePath(skip.path) === normalisePath(problem.path)))

/**
 * The skips active for `files[index]`: its own, plus earlier ones whose `skipUntil` version is at
 * or after it (Contember's MigrationsValidator rule; a skip without skipUntil covers its own file).
 */
const activeSkips = (files: readonly Pick<MigrationFile, 'version' | 'skippedErrors'>[], index: number): SkippedError[] => {
	const version = files[index]!.version
	const earlier = files.slice(0, index).flatMap(file => (file.skippedErrors ?? []).filter(skip => skip.skipUntil !== undefined && versionOf(skip.skipUntil) >= version))
	return [...earlier, ...(files[index]!.skippedErrors ?? [])]
}

export interface HistoryValidation {
	readonly schema: Schema
	/** schema problems not covered by skippedErrors, each naming the first migration that produced it */
	readonly problems: Problem[]
}

/**
 * Replays and validates the history. With `each` (what `project:validate` does, like Contember)
 * the schema is validated after every migration; otherwise only the final schema is.
 * Replay failures throw (MigrationReplayError); validation problems are returned.
 */
export const validateHistory = (
	files: readonly Pick<MigrationFile, 'name' | 'version' | 'formatVersion' | 'modifications' | 'skippedErrors'>[],
	options: ReplayOptions & { readonly each?: boolean } = {},
): HistoryValidation => {
	const selected = selectFiles(files, options)
	const problems: Problem[] = []
	const seen = new Set<string>()
	const report = (schema: Schema, index: number | undefined) => {
		const skips = index === undefined ? [] : activeSkips(selected, index)
		for (const problem of validateSchema(schema)) {
			if (isSkipped(problem, skips)) continue
			const key = `${problem.code}|${problem.path}|${problem.message}`
			if (seen.has(key)) continue
			seen.add(key)
			const file = index === undefined || !options.each ? undefined : `${selected[index]!.name}.json`
			problems.push({ ...problem, ...(file ? { file } : {}), message: file ? `the schema after this migration is invalid: ${problem.message}` : `the replayed schema is invalid: ${problem.message}` })
		}
	}
	let schema = options.initial ?? emptySchema
	selected.forEach((file, index) => {
		schema = applyFile(schema, file)
		if (options.each || index === selected.length - 1) report(schema, index)
	})
	if (selected.length === 0) report(schema, undefined)
	return { schema, problems }
}
