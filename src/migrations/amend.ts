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
 *
 * The amended diff is asked the questions the target already answered (amendAnswers.ts): its
 * renames and fill values are carried, followed through the delta, so that the file keeps the
 * data on every database, not only on the local one where just the delta runs. Answers given
 * to amend go to the delta when they fit there, otherwise to the amended diff.
 */
import { fillAnswersFromFlags, type RawFill } from '../diff/answers.js'
import { checkCopyAnswers } from '../diff/fills.js'
import { diffSchemas, type DiffResult } from '../diff/diffSchemas.js'
import type { FillAnswers, MissingFill } from '../diff/fills.js'
import type { RenameAnswers, RenameCandidate } from '../diff/renames.js'
import { StrataError, ValidationError, type Problem } from '../errors.js'
import { applyModifications } from '../modifications/fold.js'
import type { Modification } from '../modifications/types.js'
import { FORMAT_VERSION_LATEST } from '../modifications/versions.js'
import { schemaDifferences } from '../schema/compare.js'
import type { Schema } from '../schema/model.js'
import { validateSchema } from '../schema/validate.js'
import { amendedRenameAnswers, carriedConversions, carriedFills, carriedRenames, followNames, renamesApply, splitRenameAnswers, type CarriedConversion, type CarriedFill, type CarriedRename, type DroppedAnswer } from './amendAnswers.js'
import { attachConversions, unusedConversion, type ConversionAnswers } from '../diff/conversions.js'
import { refuseUncastableTypeChanges } from '../diff/uncastable.js'
import { migrationChecksum } from './checksum.js'
import { findMigration, type MigrationFile } from './files.js'
import { replay } from './replay.js'
import { validateForSql } from './validated.js'
import { own } from '../schema/model.js'

/** answers given to amend (flags, an answers file, the terminal), as migrations:diff takes them */
export interface AmendAnswers {
	readonly renames?: RenameAnswers
	/** `--fill` / `--copy` as given: typed for the column they name, which only the plan knows */
	readonly fillFlags?: readonly RawFill[]
	/** fill values already typed (answers from the terminal); they win over the flags */
	readonly fills?: FillAnswers
	/** conversions of type changes (`--using`), for the new edits or the amended content */
	readonly conversions?: ConversionAnswers
}

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
	/** the delta's diff (its unanswered rename candidates and fills are asked about the local run) */
	readonly diff: DiffResult
	/** the answers the target held, kept in the amended content, and those it cannot keep */
	readonly carried: { readonly renames: readonly CarriedRename[]; readonly fills: readonly CarriedFill[]; readonly conversions: readonly CarriedConversion[]; readonly dropped: readonly DroppedAnswer[] }
	/** rename candidates of the amended content nobody answered: something the target removed, and something new */
	readonly renameCandidates: readonly RenameCandidate[]
	/** every NOT NULL step of the delta or the amended content that meets existing rows: what --fill may name */
	readonly fillable: readonly MissingFill[]
	/** of those, the ones still without a value */
	readonly missingFills: readonly MissingFill[]
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
	const sqlSteps = target.modifications.flatMap((mod, index) => (mod.modification === 'executeSql' ? [index] : []))
	if (sqlSteps.length > 0) {
		// the amended content is a fresh diff: it has no place for hand-written steps, which would be lost
		throw new StrataError('CANNOT_AMEND',
			`Cannot amend ${target.name}: it holds hand-written SQL steps (#${sqlSteps.join(', #')}), and the amended content is a fresh diff with no place for them. `
			+ 'Create a new migration with migrations:diff instead (or roll this one back with migrations:rollback, edit it by hand, and execute it again).')
	}
	if (target.formatVersion < FORMAT_VERSION_LATEST) {
		throw new StrataError('INCOMPATIBLE_FORMAT_VERSION',
			`Cannot amend ${target.name}: it has formatVersion ${target.formatVersion}, older than the ${FORMAT_VERSION_LATEST} strata writes, `
			+ 'and rewriting it would change how its existing modifications replay. Create a new migration with migrations:diff instead.')
	}
}

const problemKey = (problem: Problem) => `${problem.path}\u0000${problem.message}`

const failure = (target: MigrationFile, reason: string, cause?: unknown) =>
	new StrataError('CANNOT_AMEND', `Cannot amend ${target.name}: ${reason}`, undefined, { cause })

const byKey = (fills: readonly MissingFill[]): MissingFill[] => [...new Map(fills.map(it => [it.key, it])).values()]

const pick = (answers: FillAnswers, keys: readonly MissingFill[]): FillAnswers =>
	Object.fromEntries(keys.filter(it => it.fillable && answers[it.key] !== undefined).map(it => [it.key, answers[it.key]!]))

/** the before-target name of an entity named `name` after the target and the delta (itself when it is new) */
const entityBefore = (before: Schema, name: string, modifications: readonly Modification[]) =>
	Object.keys(before.model.entities).find(it => followNames({ entity: it }, modifications)?.entity === name) ?? name

/** a candidate the target made (it removed `from`), not the delta: the delta's candidates are asked about the local run */
const removedByTarget = (before: Schema, target: readonly Modification[], delta: readonly Modification[]) => (candidate: RenameCandidate) => {
	if (candidate.kind === 'entity') return followNames({ entity: candidate.from }, target) === undefined
	const entity = entityBefore(before, candidate.entityName!, [...target, ...delta])
	return own(own(before.model.entities, entity)?.fields, candidate.from) !== undefined && followNames({ entity, field: candidate.from }, target) === undefined
}

const invalidRename = (target: MigrationFile, given: RenameAnswers, check: (answers: RenameAnswers) => string | undefined) => {
	for (const [key, to] of Object.entries(given)) {
		const reason = check({ [key]: to })
		if (reason !== undefined) {
			return new StrataError('INVALID_RENAME', `Rename ${key} → ${to} does not apply: neither the new edits nor ${target.name} with them remove ${key} and add ${to} (${reason})`)
		}
	}
	return Object.keys(given).length > 0
		? new StrataError('INVALID_RENAME', `The renames given do not apply together to ${target.name}: ${check(given)}`)
		: failure(target, `the renames it holds do not apply to the new edits: ${check(given)}\nCreate a new migration with migrations:diff instead.`)
}

export const planAmend = (files: readonly MigrationFile[], declared: Schema, targetName?: string, answers: AmendAnswers = {}): AmendResult => {
	const target = amendTarget(files, targetName)
	assertAmendableFormat(target)
	const index = files.findIndex(file => file.version === target.version)
	const earlier = files.slice(0, index)
	const later = files.slice(index + 1)
	// the target is being replaced (amending is how a broken latest migration gets fixed); the delta's SQL comes from the declared schema, validated when loaded
	validateForSql(files, new Set(later.map(file => file.name)))

	const before = replay([...earlier])
	const afterTarget = replay([target], { initial: before })
	const current = replay([...later], { initial: afterTarget })
	const given = answers.renames ?? {}
	const split = splitRenameAnswers(given, target.modifications, { original: current, updated: declared })
	const bareDelta = diffSchemas(current, declared, { renames: split.local })
	const answered = Object.keys(given).length + Object.keys(answers.fills ?? {}).length + (answers.fillFlags?.length ?? 0) + Object.keys(answers.conversions ?? {}).length > 0
	if (bareDelta.modifications.length === 0 && !answered) return { kind: 'nothing-to-do', target }

	let newAfter: Schema
	try {
		newAfter = applyModifications(afterTarget, bareDelta.modifications, FORMAT_VERSION_LATEST)
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error)
		throw failure(target, `the new edits do not apply at its place in the history (before ${later.map(f => f.name).join(', ')}): ${reason}\nCreate a new migration with migrations:diff instead.`, error)
	}
	// what the target answered, followed to the names the amended diff sees; what it created stays a plain creation
	const renamed = carriedRenames(before, target.modifications, bareDelta.modifications, newAfter)
	const renames = amendedRenameAnswers(renamed.renames, split.rest)
	if (renamesApply(before, newAfter, renames) !== undefined) {
		throw invalidRename(target, split.rest, extra => renamesApply(before, newAfter, amendedRenameAnswers(renamed.renames, extra)))
	}
	const bareAmended = diffSchemas(before, newAfter, { renames })
	const fillable = byKey([...bareDelta.missingFills, ...bareAmended.missingFills])
	const flagFills = fillAnswersFromFlags(answers.fillFlags ?? [], fillable, declared.model.enums)
	// a --copy source must be castable into its column, as diff requires (each side against its own schema)
	checkCopyAnswers(flagFills, bareDelta.missingFills, declared)
	checkCopyAnswers(flagFills, bareAmended.missingFills, newAfter)
	const givenFills = { ...flagFills, ...answers.fills }
	const filled = carriedFills(target.modifications, bareDelta.modifications, newAfter, new Set(bareAmended.missingFills.filter(it => it.fillable).map(it => it.key)))
	const deltaFills = pick(givenFills, bareDelta.missingFills)
	const amendedFills = { ...Object.fromEntries(filled.fills.map(it => [it.key, it.answer])), ...pick(givenFills, bareAmended.missingFills) }
	const diff = Object.keys(deltaFills).length > 0 ? diffSchemas(current, declared, { renames: split.local, fills: deltaFills }) : bareDelta
	const amendedDiff = diffSchemas(before, newAfter, { renames, fills: amendedFills })
	// conversions: given ones go where their field's type changes (the delta, the amended content or both); the target's own are kept
	const convertedDelta = attachConversions(current, diff.modifications, FORMAT_VERSION_LATEST, answers.conversions ?? {})
	const carried = carriedConversions(target.modifications, bareDelta.modifications)
	const amendedAnswers = { ...Object.fromEntries(carried.conversions.map(it => [it.key, it.conversion])), ...answers.conversions }
	const convertedAmended = attachConversions(before, amendedDiff.modifications, FORMAT_VERSION_LATEST, amendedAnswers)
	const unusedGiven = Object.keys(answers.conversions ?? {}).find(key => convertedDelta.unused.includes(key) && convertedAmended.unused.includes(key))
	if (unusedGiven !== undefined) throw unusedConversion(unusedGiven, [...new Set([...convertedDelta.retyped, ...convertedAmended.retyped])])
	const conversionsDropped = carried.conversions.filter(it => convertedAmended.unused.includes(it.key))
		.map(it => ({ answer: `convert ${it.key} using ${it.conversion}`, reason: `the amended migration no longer changes the type of ${it.key}` }))
	const keptConversions = carried.conversions.filter(it => !convertedAmended.unused.includes(it.key))
	// a type change PostgreSQL cannot cast fails on every database: refused as migrations:diff refuses it
	refuseUncastableTypeChanges(current, convertedDelta.modifications, FORMAT_VERSION_LATEST, { asksInTerminal: false })
	refuseUncastableTypeChanges(before, convertedAmended.modifications, FORMAT_VERSION_LATEST, { asksInTerminal: false })
	const delta = convertedDelta.modifications
	const amended = convertedAmended.modifications
	if (delta.length === 0 && JSON.stringify(amended) === JSON.stringify(target.modifications)) return { kind: 'nothing-to-do', target }

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
		delta,
		amended,
		checksum: migrationChecksum({ formatVersion: FORMAT_VERSION_LATEST, modifications: amended }),
		diff,
		carried: { renames: renamed.renames, fills: filled.fills, conversions: keptConversions, dropped: [...renamed.dropped, ...filled.dropped, ...carried.dropped, ...conversionsDropped] },
		renameCandidates: amendedDiff.renameCandidates.filter(removedByTarget(before, target.modifications, diff.modifications)),
		fillable,
		missingFills: byKey([...diff.missingFills, ...amendedDiff.missingFills].filter(it => it.fillable)),
	}
}
