/**
 * Replay: the schema a migration history describes, by folding each file's modifications
 * (with the file's own formatVersion) over the empty schema. Pure.
 */
import { InternalError, StrataError, type Problem } from '../errors.js'
import { applyModification } from '../modifications/fold.js'
import { withTransientEntities } from '../modifications/updaters.js'
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
	withTransientEntities(() => selectFiles(files, options).reduce(applyFile, options.initial ?? emptySchema))

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

const problemKey = (problem: Problem) => `${problem.code}|${problem.path}|${problem.message}`

/**
 * Replays and validates the history; replay failures throw (MigrationReplayError), validation
 * problems are returned.
 *
 * By default the final schema is validated, with the skips still active at the end, and each
 * problem is attributed to the first migration after which it appears (found by bisection over
 * the intermediate schemas, which share structure and cost nothing to keep). That is thousands of
 * times cheaper than validating after every migration on long histories. With `each`, the schema
 * is validated after every migration, as Contember's CLI does, which also finds problems that a
 * later migration fixed.
 */
export const validateHistory = (
	files: readonly Pick<MigrationFile, 'name' | 'version' | 'formatVersion' | 'modifications' | 'skippedErrors'>[],
	options: ReplayOptions & { readonly each?: boolean } = {},
): HistoryValidation => {
	const selected = selectFiles(files, options)
	const initial = options.initial ?? emptySchema
	const schemas: Schema[] = []
	selected.reduce((schema, file) => {
		const next = applyFile(schema, file)
		schemas.push(next)
		return next
	}, initial)
	const schema = schemas[schemas.length - 1] ?? initial
	const problems: Problem[] = []
	const seen = new Set<string>()
	const add = (problem: Problem, index: number | undefined) => {
		const key = problemKey(problem)
		if (seen.has(key)) return
		seen.add(key)
		const file = index === undefined ? undefined : `${selected[index]!.name}.json`
		problems.push({ ...problem, ...(file ? { file } : {}), message: `the schema after ${file ? 'this migration' : 'the replay'} is invalid: ${problem.message}` })
	}
	const unskipped = (index: number | undefined): Problem[] => {
		const found = validateSchema(index === undefined ? initial : schemas[index]!)
		const skips = index === undefined ? [] : activeSkips(selected, index)
		return found.filter(problem => !isSkipped(problem, skips))
	}

	if (options.each) {
		selected.forEach((_file, index) => unskipped(index).forEach(problem => add(problem, index)))
		if (selected.length === 0) unskipped(undefined).forEach(problem => add(problem, undefined))
		return { schema, problems }
	}
	if (selected.length === 0) {
		unskipped(undefined).forEach(problem => add(problem, undefined))
		return { schema, problems }
	}
	const cache = new Map<number, Set<string>>()
	const keysAt = (index: number) => {
		let keys = cache.get(index)
		if (!keys) cache.set(index, (keys = new Set(validateSchema(schemas[index]!).map(problemKey))))
		return keys
	}
	for (const problem of unskipped(selected.length - 1)) {
		const key = problemKey(problem)
		// the first index whose schema has the problem, assuming it stayed from there on
		let low = 0
		let high = selected.length - 1
		while (low < high) {
			const middle = (low + high) >> 1
			if (keysAt(middle).has(key)) high = middle
			else low = middle + 1
		}
		add(problem, low)
	}
	return { schema, problems }
}
