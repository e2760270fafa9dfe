/**
 * Replay: the schema a migration history describes, by folding each file's modifications
 * (with the file's own formatVersion) over the empty schema. Pure.
 *
 * A modification that creates an object which already exists, or removes or changes one that
 * does not, stops the replay (Contember would overwrite silently, and a fresh database would then
 * fail). The error names the earlier modification that created (or removed) the object; it is
 * found by replaying once more up to the failure, so the normal path pays nothing for it.
 */
import { InternalError, StrataError, type Problem } from '../errors.js'
import {
	ConflictCode, objectExists, objectLabel, objectPath, SchemaObjectExistsError, SchemaObjectMissingError,
	type SchemaObject, withToleratedConflicts,
} from '../modifications/conflicts.js'
import { applyModification } from '../modifications/fold.js'
import { withTransientEntities } from '../modifications/updaters.js'
import { emptySchema, own, type Schema } from '../schema/model.js'
import { validateSchema } from '../schema/validate.js'
import type { Modification } from '../modifications/types.js'
import type { MigrationFile, SkippedError } from './format.js'
import { versionOf } from './naming.js'

export interface ReplayOptions {
	/** the schema to start from (default: the empty schema), e.g. a snapshot's */
	readonly initial?: Schema
	/** replay files with version ≤ this (a version or a name) */
	readonly until?: string
	/** replay files with version < this (a version or a name): the schema a migration starts from */
	readonly before?: string
	/**
	 * Called after each file with the schema so far. The schema is only valid during the call
	 * (replay updates its records in place afterwards): inspect it, do not keep it.
	 */
	readonly afterFile?: (schema: Schema, file: Replayable, index: number) => void
}

/** the modification that last created (or removed) the object a conflict is about */
export interface ReplayOrigin {
	readonly file: string
	readonly modificationIndex: number
	readonly modificationId: string
}

/** An "already exists" / "not found" conflict: what, where a `skippedErrors` entry would name it, and since when. */
export interface ReplayConflict {
	readonly code: (typeof ConflictCode)[keyof typeof ConflictCode]
	readonly object: SchemaObject
	/** dotted schema path, as `skippedErrors[].path` names it */
	readonly path: string
	/** undefined: the object was there (or missing) from the schema the replay started from */
	readonly origin?: ReplayOrigin
}

/** A modification of a migration file cannot be applied to the schema the earlier ones built. */
export class MigrationReplayError extends StrataError {
	constructor(
		readonly file: string,
		readonly modificationIndex: number,
		readonly modificationId: string,
		readonly reason: string,
		cause?: unknown,
		readonly conflict?: ReplayConflict,
	) {
		super(
			conflict?.code ?? 'REPLAY_FAILED',
			`Migration ${file} cannot be replayed: modification #${modificationIndex} (${modificationId}) failed: ${reason}`,
			undefined,
			{ cause },
		)
	}
}

export type Replayable = Pick<MigrationFile, 'name' | 'version' | 'formatVersion'> & { readonly modifications: readonly Modification[] } & Partial<Pick<MigrationFile, 'skippedErrors'>>

export const selectFiles = <F extends Pick<MigrationFile, 'version'>>(files: readonly F[], options: Pick<ReplayOptions, 'until' | 'before'> = {}): F[] => {
	const until = options.until === undefined ? undefined : versionOf(options.until)
	const before = options.before === undefined ? undefined : versionOf(options.before)
	return files.filter(file => (until === undefined || file.version <= until) && (before === undefined || file.version < before))
}

const normalisePath = (path: string | undefined): string => (path ?? '').replace(/^\//, '').replace(/\//g, '.')

/**
 * The `skippedErrors` entries of `files` with `code` that are active for `files[index]`: its own,
 * plus earlier ones whose `skipUntil` version is at or after it (Contember's MigrationsValidator
 * rule; a skip without skipUntil covers its own file only).
 */
const skipsActiveAt = (files: readonly Pick<MigrationFile, 'version' | 'skippedErrors'>[], index: number, entries = files.map(file => file.skippedErrors ?? [])): SkippedError[] => {
	const version = files[index]!.version
	const earlier = entries.slice(0, index).flatMap(skips => skips.filter(skip => skip.skipUntil !== undefined && versionOf(skip.skipUntil) >= version))
	return [...earlier, ...(entries[index] ?? [])]
}

type Tolerance = ((object: SchemaObject) => boolean) | undefined

/**
 * Per file, the "already exists" conflicts its `skippedErrors` accept (Contember's overwrite then
 * applies). Histories without such a skip, nearly all of them, get a constant `undefined`.
 */
const conflictTolerance = (files: readonly Replayable[]): ((index: number) => Tolerance) => {
	const entries = files.map(file => (file.skippedErrors ?? []).filter(skip => skip.code === ConflictCode.exists))
	if (entries.every(skips => skips.length === 0)) return () => undefined
	return index => {
		const skips = skipsActiveAt(files, index, entries)
		if (skips.length === 0) return undefined
		return object => skips.some(skip => skip.path === undefined || normalisePath(skip.path) === objectPath(object))
	}
}

const applyTolerating = (schema: Schema, file: Replayable, index: number, tolerate: Tolerance): Schema => {
	const modification = file.modifications[index]!
	return tolerate
		? withToleratedConflicts(tolerate, () => applyModification(schema, modification, file.formatVersion))
		: applyModification(schema, modification, file.formatVersion)
}

/**
 * Replays `files` again up to (excluding) the failing modification and returns the last
 * modification after which `object` changed between existing and not existing: for an "already
 * exists" conflict the one that created it, for a "not found" conflict the one that removed it.
 */
const originOf = (files: readonly Replayable[], initial: Schema, failedFile: number, failedModification: number, object: SchemaObject): ReplayOrigin | undefined =>
	withTransientEntities(() => {
		const tolerance = conflictTolerance(files)
		let schema = initial
		let present = objectExists(schema, object)
		let origin: ReplayOrigin | undefined
		for (let fileIndex = 0; fileIndex <= failedFile; fileIndex++) {
			const file = files[fileIndex]!
			const tolerate = tolerance(fileIndex)
			const count = fileIndex === failedFile ? failedModification : file.modifications.length
			for (let index = 0; index < count; index++) {
				schema = applyTolerating(schema, file, index, tolerate)
				const now = objectExists(schema, object)
				if (now !== present) origin = { file: `${file.name}.json`, modificationIndex: index, modificationId: file.modifications[index]!.modification }
				present = now
			}
		}
		return origin
	})

const originText = (conflict: ReplayConflict): string => {
	const what = conflict.code === ConflictCode.exists ? 'created' : 'removed'
	if (!conflict.origin) return conflict.code === ConflictCode.exists ? '; it exists in the schema this replay starts from' : ''
	const { file, modificationIndex, modificationId } = conflict.origin
	return `; ${objectLabel(conflict.object)} was ${what} by ${file}, modification #${modificationIndex} (${modificationId})`
}

const replayFailure = (files: readonly Replayable[], initial: Schema, fileIndex: number, index: number, error: unknown): Error => {
	const file = files[fileIndex]!
	const name = `${file.name}.json`
	const modificationId = file.modifications[index]!.modification
	const reason = error instanceof Error ? error.message : String(error)
	if (error instanceof SchemaObjectExistsError || error instanceof SchemaObjectMissingError) {
		const origin = originOf(files, initial, fileIndex, index, error.object)
		const conflict: ReplayConflict = { code: error.conflictCode, object: error.object, path: objectPath(error.object), ...(origin ? { origin } : {}) }
		return new MigrationReplayError(name, index, modificationId, `${reason}${originText(conflict)}`, error, conflict)
	}
	if (error instanceof StrataError) return new MigrationReplayError(name, index, modificationId, reason, error)
	return new InternalError(`Replaying ${name}, modification #${index} (${modificationId}) crashed: ${reason}`, { cause: error })
}

/**
 * Folds the files (up to and including `lastIndex`) over `initial`. No transient session of its
 * own: callers open one, and an `afterFile` callback must not keep the schema it gets past its
 * own call (the next file may update its entities record in place).
 */
const foldFiles = (files: readonly Replayable[], initial: Schema, afterFile?: ReplayOptions['afterFile'], lastIndex = files.length - 1): Schema => {
	const tolerance = conflictTolerance(files)
	let schema = initial
	files.forEach((file, fileIndex) => {
		if (fileIndex > lastIndex) return
		const tolerate = tolerance(fileIndex)
		for (let index = 0; index < file.modifications.length; index++) {
			try {
				schema = applyTolerating(schema, file, index, tolerate)
			} catch (error) {
				throw replayFailure(files, initial, fileIndex, index, error)
			}
		}
		afterFile?.(schema, file, fileIndex)
	})
	return schema
}

/**
 * The schema after `files` (sorted by version), each replayed with its own formatVersion.
 * Throws MigrationReplayError naming the file, the modification index and id, and why; for a
 * conflict also the modification that created (or removed) the object.
 */
export const replay = (files: readonly Replayable[], options: ReplayOptions = {}): Schema =>
	withTransientEntities(() => foldFiles(selectFiles(files, options), options.initial ?? emptySchema, options.afterFile))

// ---------------------------------------------------------------------------------------------
// validation of the replayed schema, honouring skippedErrors

const isSkipped = (problem: Problem, skips: readonly SkippedError[]): boolean =>
	skips.some(skip => skip.code === problem.code && (skip.path === undefined || normalisePath(skip.path) === normalisePath(problem.path)))

/** rules that look at other entities: a schema holding only the changed entities would misreport them */
const CROSS_ENTITY_CODES = new Set([
	'RELATION_UNDEFINED_TARGET', 'RELATION_UNDEFINED_INVERSE', 'RELATION_UNDEFINED_OWNING', 'RELATION_SIDES_DISAGREE',
	'VIEW_UNDEFINED_DEPENDENCY', 'VIEW_INVALID_RELATION', 'ORDER_BY_INVALID_PATH', 'MODEL_NAME_COLLISION', 'MODEL_TABLE_NAME_COLLISION',
])

/**
 * The problems a file introduced into the entities and enums it changed, without validating the
 * whole schema (on a 2,000-file history that costs a minute). Replay shares every untouched
 * entity and enum between consecutive schemas, so what changed is what is not identical. Every
 * name, type, predicate and view body a file's modifications bring in lives in a changed entity
 * or enum, and the rules about those (identifiers, lengths, column types, raw SQL) look at that
 * entity alone, so they find here exactly what validating the whole schema would. Rules that
 * relate entities are left to the final schema: they are about references, not SQL text; so are
 * ACL, validation and actions, which never reach SQL.
 */
const changedPartProblems = (before: Schema, after: Schema): Problem[] => {
	const entities = Object.fromEntries(Object.entries(after.model.entities).filter(([name, entity]) => own(before.model.entities, name) !== entity))
	const changedEnums = new Set(Object.entries(after.model.enums).filter(([name, values]) => own(before.model.enums, name) !== values).map(([name]) => name))
	if (Object.keys(entities).length === 0 && changedEnums.size === 0) return []
	return validateSchema({ ...after, model: { ...after.model, entities } }).filter(problem =>
		problem.path.startsWith('model.') && !CROSS_ENTITY_CODES.has(problem.code ?? '')
		&& (!problem.path.startsWith('model.enums.') || changedEnums.has(problem.path.split('.')[2]!)))
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
	options: ReplayOptions & {
		readonly each?: boolean
		/** also validate the schema right after these files (by name), catching problems a later file removes again */
		readonly alsoAfter?: ReadonlySet<string>
	} = {},
): HistoryValidation => {
	const selected = selectFiles(files, options)
	const initial = options.initial ?? emptySchema
	const problems: Problem[] = []
	const seen = new Set<string>()
	const add = (problem: Problem, index: number | undefined) => {
		const key = problemKey(problem)
		if (seen.has(key)) return
		seen.add(key)
		const file = index === undefined ? undefined : `${selected[index]!.name}.json`
		problems.push({ ...problem, ...(file ? { file } : {}), message: `the schema after ${file ? 'this migration' : 'the replay'} is invalid: ${problem.message}` })
	}
	// most histories skip nothing; then no file needs the (quadratic) search for active skips
	const skipEntries = selected.map(file => file.skippedErrors ?? [])
	const anySkips = skipEntries.some(entries => entries.length > 0)
	const skipsAt = (index: number): SkippedError[] => (anySkips ? skipsActiveAt(selected, index, skipEntries) : [])
	const unskipped = (schema: Schema, index: number | undefined): Problem[] => {
		const skips = index === undefined ? [] : skipsAt(index)
		return validateSchema(schema).filter(problem => !isSkipped(problem, skips))
	}

	// One transient fold (see updaters.ts), so the replay copies no entities record per step: what
	// needs the schema between files looks at it right after that file, or replays again below.
	const afterEach: { problem: Problem; index: number }[] = []
	const afterNamed: { problem: Problem; index: number }[] = []
	let before: Schema = initial
	const schema = withTransientEntities(() =>
		foldFiles(selected, initial, (current, file, index) => {
			if (options.each) for (const problem of unskipped(current, index)) afterEach.push({ problem, index })
			else if (options.alsoAfter?.has(file.name)) {
				const skips = skipsAt(index)
				for (const problem of changedPartProblems(before, current).filter(it => !isSkipped(it, skips))) afterNamed.push({ problem, index })
			}
			// the schema before a file alsoAfter names; the fold updates the entities record in place, so a copy of it
			const next = selected[index + 1]
			if (next && !options.each && options.alsoAfter?.has(next.name)) before = { ...current, model: { ...current.model, entities: { ...current.model.entities } } }
		}))

	if (selected.length === 0) {
		for (const problem of unskipped(schema, undefined)) add(problem, undefined)
		return { schema, problems }
	}
	if (options.each) {
		for (const { problem, index } of afterEach) add(problem, index)
		return { schema, problems }
	}
	// the schema after file `index`, replayed again: only needed when the final schema has problems
	const keysAt = new Map<number, Set<string>>()
	const problemKeysAfter = (index: number) => {
		let keys = keysAt.get(index)
		if (!keys) {
			const schemaAfter = withTransientEntities(() => foldFiles(selected, initial, undefined, index))
			keysAt.set(index, (keys = new Set(validateSchema(schemaAfter).map(problemKey))))
		}
		return keys
	}
	for (const problem of unskipped(schema, selected.length - 1)) {
		const key = problemKey(problem)
		// the first index whose schema has the problem, assuming it stayed from there on
		let low = 0
		let high = selected.length - 1
		while (low < high) {
			const middle = (low + high) >> 1
			if (problemKeysAfter(middle).has(key)) high = middle
			else low = middle + 1
		}
		add(problem, low)
	}
	for (const { problem, index } of afterNamed) add(problem, index)
	return { schema, problems }
}
