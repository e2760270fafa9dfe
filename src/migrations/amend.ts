/**
 * `migrations:amend` planning (pure). Folds the declared schema's new edits into an existing
 * migration so that the amended content equals a fresh diff from the schema before the target
 * to the schema the target should now produce — edits that were reverted cancel out.
 *
 *   before   = replay of everything before the target
 *   current  = replay of every migration (what the local database holds when all ran)
 *   delta    = diff(current → declared): the only SQL that runs on the local database
 *   newAfter = (before + target) + delta: what the target should now leave behind
 *   amended  = diff(before → newAfter): the new content of the target
 * then `before + amended + later migrations` must replay to exactly the declared schema.
 */
import { diffSchemas } from '../diff/diffSchemas.js'
import { StrataError, ValidationError, type Problem } from '../errors.js'
import { applyModifications } from '../modifications/fold.js'
import type { Modification } from '../modifications/types.js'
import { FORMAT_VERSION_LATEST } from '../modifications/versions.js'
import { schemaDifferences } from '../schema/compare.js'
import type { Schema } from '../schema/model.js'
import { validateSchema } from '../schema/validate.js'
import { migrationChecksum } from './checksum.js'
import { findMigration, type MigrationFile } from './files.js'
import { replay } from './replay.js'

type DiffOptions = NonNullable<Parameters<typeof diffSchemas>[2]>

export interface AmendPlan {
	readonly target: MigrationFile
	/** migrations after the target, oldest first */
	readonly later: readonly MigrationFile[]
	/** replay of every migration: what the local database holds when everything ran */
	readonly current: Schema
	/** current → declared: what runs on the local database */
	readonly delta: readonly Modification[]
	/** the target's new modifications */
	readonly amended: readonly Modification[]
	readonly checksum: string
	readonly diff: ReturnType<typeof diffSchemas>
}

export type AmendResult = { readonly kind: 'nothing-to-do'; readonly target: MigrationFile } | ({ readonly kind: 'amend' } & AmendPlan)

/** the migration to amend: the named one, or the latest */
export const amendTarget = (files: readonly MigrationFile[], name?: string): MigrationFile => {
	if (name !== undefined) return findMigration([...files], name)
	const latest = files[files.length - 1]
	if (!latest) throw new StrataError('NO_MIGRATION', 'No migration to amend: the migrations directory has no migration files.')
	return latest
}

/** Refuses files strata cannot rewrite without changing the meaning of what they hold. */
export const assertAmendableFormat = (target: MigrationFile): void => {
	if (target.formatVersion < FORMAT_VERSION_LATEST) {
		throw new StrataError('INCOMPATIBLE_FORMAT_VERSION',
			`Cannot amend ${target.name}: it has formatVersion ${target.formatVersion}, older than the ${FORMAT_VERSION_LATEST} strata writes, `
			+ 'and rewriting it would change how its existing modifications replay. Create a new migration with migrations:diff instead.')
	}
}

const problemKey = (problem: Problem) => `${problem.path}\u0000${problem.message}`

const failure = (target: MigrationFile, reason: string, cause?: unknown) =>
	new StrataError('CANNOT_AMEND', `Cannot amend ${target.name}: ${reason}`, undefined, { cause })

/** the rename answers whose old entity / field exists in `schema` */
const renamesFrom = (schema: Schema, renames: NonNullable<DiffOptions['renames']>): NonNullable<DiffOptions['renames']> =>
	Object.fromEntries(Object.entries(renames).filter(([key]) => {
		const dot = key.indexOf('.')
		if (dot < 0) return schema.model.entities[key] !== undefined
		const entity = Object.entries(renames).find(([from, to]) => !from.includes('.') && to === key.slice(0, dot))?.[0] ?? key.slice(0, dot)
		return schema.model.entities[entity]?.fields[key.slice(dot + 1)] !== undefined || schema.model.entities[key.slice(0, dot)]?.fields[key.slice(dot + 1)] !== undefined
	}))

export const planAmend = (files: readonly MigrationFile[], declared: Schema, targetName?: string, diffOptions?: DiffOptions): AmendResult => {
	const target = amendTarget(files, targetName)
	assertAmendableFormat(target)
	const index = files.findIndex(file => file.version === target.version)
	const earlier = files.slice(0, index)
	const later = files.slice(index + 1)

	const before = replay([...earlier])
	const afterTarget = replay([target], { initial: before })
	const current = replay([...later], { initial: afterTarget })
	const diff = diffSchemas(current, declared, diffOptions)
	if (diff.modifications.length === 0) return { kind: 'nothing-to-do', target }

	let newAfter: Schema
	try {
		newAfter = applyModifications(afterTarget, diff.modifications, FORMAT_VERSION_LATEST)
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error)
		throw failure(target, `the new edits do not apply at its place in the history (before ${later.map(f => f.name).join(', ')}): ${reason}\nCreate a new migration with migrations:diff instead.`, error)
	}
	// renames of things the target itself created are plain creations in the amended target
	const amendedOptions = diffOptions?.renames ? { ...diffOptions, renames: renamesFrom(before, diffOptions.renames) } : diffOptions
	const amended = diffSchemas(before, newAfter, amendedOptions).modifications

	// the amended target and every later migration must replay on top, ending at the declared schema
	let schema = applyModifications(before, amended, FORMAT_VERSION_LATEST)
	let known = new Set(validateSchema(afterTarget).map(problemKey))
	const check = (file: MigrationFile, current: Schema) => {
		const problems = validateSchema(current)
		const fresh = problems.filter(problem => !known.has(problemKey(problem)))
		if (fresh.length > 0) {
			throw new ValidationError(`Cannot amend ${target.name}: ${file.name} would produce an invalid schema`, fresh.map(p => ({ ...p, file: file.name })), 'CANNOT_AMEND')
		}
		known = new Set(problems.map(problemKey))
	}
	check(target, schema)
	for (const file of later) {
		try {
			schema = replay([file], { initial: schema })
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error)
			throw failure(target, `the later migration ${file.name} no longer applies on top of the amended one: ${reason}`, error)
		}
		check(file, schema)
	}
	const differences = schemaDifferences(declared, schema)
	if (differences.length > 0) {
		throw failure(target, `replaying it and the later migrations would not give the declared schema (${later.map(f => f.name).join(', ')} interfere with the new edits):\n${differences.map(it => `  - ${it}`).join('\n')}\nCreate a new migration with migrations:diff instead.`)
	}
	return {
		kind: 'amend',
		target,
		later,
		current,
		delta: diff.modifications,
		amended,
		checksum: migrationChecksum({ formatVersion: FORMAT_VERSION_LATEST, modifications: amended }),
		diff,
	}
}
