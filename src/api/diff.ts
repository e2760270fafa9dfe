/**
 * A new migration from the declared schema: the schema the migration files build is diffed with
 * the declared one, renames, fill values and type conversions are taken from the answers given
 * (or asked through callbacks), and the result is a plan to review before `writeMigration`
 * writes it. Offline.
 */
import type { JsonValue } from '../schema/model.js'
import { fillAnswersFromFlags, type RawFill } from '../diff/answers.js'
import { diffSchemas, type DiffResult } from '../diff/diffSchemas.js'
import { checkCopyAnswers, type FillAnswer, type MissingFill } from '../diff/fills.js'
import { withConversions, type ConversionAnswers } from '../diff/conversions.js'
import { candidateKey, resolveRenames, type RenameAnswers, type RenameCandidate } from '../diff/renames.js'
import { refuseUncastableTypeChanges, uncastableTypeChanges } from '../diff/uncastable.js'
import { StrataError } from '../errors.js'
import type { StrataExtension } from '../lint/extension.js'
import { lintMigrations, type LintReport } from '../lint/lintMigrations.js'
import { migrationFileName, nextVersion, serializeMigration, validateLabel, writeMigrationFile } from '../migrations/files.js'
import { cachedReplay, saveReplayCache } from '../migrations/replayCache.js'
import { readSnapshot, replayWithSnapshot } from '../migrations/snapshot.js'
import { parseMigrationTexts, readMigrationTexts } from '../migrations/store.js'
import { contemberCannotRun, markedExtension, strataOnlyFeaturesUsed } from '../migrations/strataOnly.js'
import { foldModifications, type FoldStep } from '../modifications/fold.js'
import type { Modification, Warning } from '../modifications/types.js'
import type { DescribedModification } from '../migrations/describe.js'
import { FORMAT_VERSION_LATEST } from '../modifications/versions.js'
import type { Schema } from '../schema/model.js'
import { loadProjectSchema, type StrataProject } from './project.js'

export interface PlanMigrationOptions {
	/** the migration's label: `add-tags` gives `<version>-add-tags.json` */
	readonly name: string
	/** the declared schema; default: the project's, loaded from its schema path */
	readonly declared?: Schema
	/** `Entity` or `Entity.field` (the removed name) → the new name, or null for drop + create */
	readonly renames?: RenameAnswers
	/** `Entity.field` → `{ value }` (a fill value for existing rows) or `{ copy: 'otherField' }` */
	readonly fills?: Readonly<Record<string, FillAnswer>>
	/** fill values as text (`--fill Entity.field=value`, `--copy Entity.field=other`), typed for the column they name */
	readonly fillFlags?: readonly RawFill[]
	/** `Entity.field` → the SQL expression converting the old value of a type change (`$column` is the old column) */
	readonly conversions?: ConversionAnswers
	/** mark the migration online (default: the project's `online` setting) */
	readonly online?: boolean
	/** drop and recreate changed views instead of CREATE OR REPLACE VIEW */
	readonly recreateViews?: boolean
	/** asked for each rename candidate the answers leave open; undefined leaves it open */
	readonly askRename?: (candidate: RenameCandidate) => Promise<string | null | undefined>
	/** asked for each NOT NULL step still without a fill value; undefined leaves it (the step may fail on a table with rows) */
	readonly askFill?: (missing: MissingFill, declared: Schema) => Promise<FillAnswer | undefined>
	/** asked for each type change PostgreSQL cannot cast; undefined leaves it (and the plan is refused) */
	readonly askConversion?: (retype: { readonly field: string; readonly from: string; readonly to: string }) => Promise<string | undefined>
	/** overrides the patch-size thresholds of the ACL and validation differs */
	readonly maxPatchSize?: number
}

/** what a step of the plan does, for a person: describe's step without its SQL (`index` from 0, as in /modifications/N) */
export type PlannedStep = Pick<DescribedModification, 'index' | 'modification' | 'message' | 'destructive' | 'destructiveReason' | 'warnings'>

export interface MigrationPlan {
	/** `<version>-<label>` */
	readonly name: string
	readonly fileName: string
	readonly version: string
	readonly formatVersion: number
	/** nothing differs: there is nothing to write */
	readonly empty: boolean
	readonly modifications: readonly Modification[]
	readonly strata?: StrataExtension
	/** the file as `writeMigration` writes it */
	readonly content: string
	readonly steps: readonly PlannedStep[]
	/** every warning: the steps', Contember compatibility, open renames and fill values, strata-only features */
	readonly warnings: readonly (Warning & { readonly index?: number; readonly modification?: string })[]
	readonly destructive: readonly PlannedStep[]
	/** renames that were applied (data kept) */
	readonly renames: readonly RenameCandidate[]
	/** rename candidates nobody answered: diffed as drop + create */
	readonly renameCandidates: readonly RenameCandidate[]
	/** enums that look renamed: their columns are retyped in place */
	readonly enumRenames: readonly { readonly from: string; readonly to: string }[]
	/** NOT NULL steps without a fill value that were not left on purpose: `writeMigration` refuses them unless `allowFailing` */
	readonly missingFills: readonly MissingFill[]
	/** the strata-only features used, which Contember cannot read */
	readonly strataOnly: readonly string[]
	readonly lint: LintReport
	/** said on the way (a stale snapshot that was not used) */
	readonly notices: readonly string[]
	/** the schema before (what the files build) and after (what the plan builds) */
	readonly schemaBefore: Schema
	readonly schemaAfter: Schema
}

/** the codes of the plan's own warnings (the steps' warnings carry S0xx codes) */
export const PLAN_WARNING = { renameCandidate: 'rename-candidate', missingFill: 'missing-fill', strataOnly: 'strata-only' } as const

const maxPatchSizeFromEnv = (): number | undefined => {
	const raw = process.env.STRATA_MIGRATIONS_MAX_PATCH_SIZE
	if (raw === undefined || raw === '') return undefined
	if (!/^\d+$/.test(raw)) throw new StrataError('INVALID_ENV', `STRATA_MIGRATIONS_MAX_PATCH_SIZE must be a whole number, got "${raw}".`)
	return Number(raw)
}

/**
 * The schema the migrations build. Replay starts from migrations/snapshot.json when it is fresh
 * (a stale one is reported, never used), else from the replay cache when it covers the files.
 */
export const replayedProjectSchema = async (project: StrataProject): Promise<{ schema: Schema; versions: string[]; notices: string[] }> => {
	const snapshot = await readSnapshot(project.migrationsDir)
	const read = await readMigrationTexts(project.migrationsDir)
	const versions = read.listing.files.map(it => it.version)
	if (!snapshot) {
		const cached = cachedReplay(project.root, project.migrationsDir, read, { validated: false })
		if (cached) return { schema: cached.schema, versions, notices: [] }
	}
	const files = parseMigrationTexts(project.migrationsDir, read)
	const replayed = replayWithSnapshot(files, snapshot)
	const notices = replayed.staleReasons.length > 0 ? [`migrations/snapshot.json is stale and was not used (${replayed.staleReasons.join('; ')}); run "strata migrations:snapshot" to refresh it.`] : []
	if (!replayed.usedSnapshot) await saveReplayCache(project.root, read, replayed.schema, false)
	return { schema: replayed.schema, versions, notices }
}

const where = (candidate: RenameCandidate) => (name: string) => (candidate.kind === 'entity' ? name : `${candidate.entityName}.${name}`)

const stepOf = (step: FoldStep): PlannedStep => ({
	index: step.index,
	modification: step.modification.modification,
	message: step.description.message,
	destructive: step.description.destructive,
	...(step.description.destructiveReason ? { destructiveReason: step.description.destructiveReason } : {}),
	warnings: step.description.warnings,
})

/** the given fill answers, each for a NOT NULL step of this diff that can carry one */
const checkedFills = (given: Readonly<Record<string, FillAnswer>>, missing: readonly MissingFill[], declared: Schema): Record<string, FillAnswer> => {
	for (const key of Object.keys(given)) {
		const target = missing.find(it => it.key === key)
		if (!target) {
			const needed = missing.filter(it => it.fillable).map(it => it.key)
			throw new StrataError('INVALID_FILL', `fills.${key}: this migration needs no fill value for ${key}${needed.length ? ` (it needs one for ${needed.join(', ')})` : ''}.`)
		}
		if (!target.fillable) throw new StrataError('INVALID_FILL', `fills.${key}: ${target.modification} cannot carry a fill value.`)
	}
	checkCopyAnswers(given, missing, declared)
	return { ...given }
}

/**
 * Plans the next migration: what it holds, its warnings, destructive steps and lint findings.
 * Writes nothing but the replay cache under `.strata/`.
 *
 * @throws StrataError `INVALID_LABEL`, `INVALID_FILL`, `UNCASTABLE_TYPE_CHANGE`, … and ValidationError for an invalid declared schema or history
 */
export const planMigration = async (project: StrataProject, options: PlanMigrationOptions): Promise<MigrationPlan> => {
	const label = validateLabel(options.name)
	const declared = options.declared ?? await loadProjectSchema(project)
	const { schema: original, versions, notices } = await replayedProjectSchema(project)
	const diffOptions = { recreateViews: options.recreateViews ?? false, maxPatchSize: options.maxPatchSize ?? maxPatchSizeFromEnv() }

	let renames: RenameAnswers = { ...options.renames }
	if (options.askRename) renames = await resolveRenames(original, declared, { resolve: options.askRename }, renames)
	let result: DiffResult = diffSchemas(original, declared, { ...diffOptions, renames })
	const fromFlags = fillAnswersFromFlags(options.fillFlags ?? [], result.missingFills, declared.model.enums)
	const fills = checkedFills({ ...fromFlags, ...options.fills }, result.missingFills, declared)
	// answered "leave it": the user accepts that the step may fail
	const leftUnfilled = new Set<string>()
	if (options.askFill) {
		for (const missing of result.missingFills) {
			if (!missing.fillable || fills[missing.key]) continue
			const answer = await options.askFill(missing, declared)
			if (answer) fills[missing.key] = answer
			else leftUnfilled.add(missing.key)
		}
	}
	if (Object.keys(fills).length > 0) result = diffSchemas(original, declared, { ...diffOptions, renames, fills })

	const conversions: Record<string, string> = { ...options.conversions }
	if (options.askConversion && result.modifications.length > 0) {
		for (const retype of uncastableTypeChanges(original, withConversions(original, result.modifications, FORMAT_VERSION_LATEST, conversions), FORMAT_VERSION_LATEST)) {
			const expression = await options.askConversion(retype)
			if (expression !== undefined) conversions[retype.field] = expression
		}
	}
	const modifications = result.modifications.length > 0 ? withConversions(original, result.modifications, FORMAT_VERSION_LATEST, conversions) : []
	refuseUncastableTypeChanges(original, modifications, FORMAT_VERSION_LATEST)
	const { steps, schema: schemaAfter } = foldModifications(original, modifications, { formatVersion: FORMAT_VERSION_LATEST })
	const version = nextVersion(versions)
	const fileName = migrationFileName(version, label)
	const name = fileName.replace(/\.json$/, '')
	// the key is written only when something is in it, so a plain migration is exactly what it was before
	const strata = markedExtension<StrataExtension>((options.online ?? project.config.online ?? false) ? { online: true } : undefined, modifications)
	const strataOnly = [...strataOnlyFeaturesUsed(modifications).keys()]
	const contemberWarning = strataOnly.length > 0 ? contemberCannotRun(fileName, strataOnly) : undefined
	const lint = lintMigrations([{ name, version, formatVersion: FORMAT_VERSION_LATEST, modifications, ...(strata ? { strata } : {}) }], original)
	const planned = steps.map(stepOf)
	const warnings = [
		...planned.flatMap(step => step.warnings.map(warning => ({ index: step.index, modification: step.modification, ...warning }))),
		...result.compatibility,
		...result.renameCandidates.map(candidate => ({
			code: PLAN_WARNING.renameCandidate,
			message: `${where(candidate)(candidate.from)} was removed and ${candidate.to.map(where(candidate)).join(' / ')} added: treated as drop + create (the data of ${where(candidate)(candidate.from)} is lost). `
				+ `If it is a rename, pass --rename ${candidateKey(candidate)}:${candidate.to[0]} (or --renames answers.json, or answer in a terminal).`,
		})),
		...result.missingFills.map(missing => ({
			code: PLAN_WARNING.missingFill,
			message: missing.fillable
				? `${missing.message}. Pass --fill ${missing.key}=<value> or --copy ${missing.key}=<otherField> (or answer in a terminal), or --allow-failing if the table is empty.`
				: `${missing.message}.`,
		})),
		...(contemberWarning ? [{ code: PLAN_WARNING.strataOnly, message: contemberWarning }] : []),
	]
	return {
		name, fileName, version, formatVersion: FORMAT_VERSION_LATEST,
		empty: modifications.length === 0,
		modifications,
		...(strata ? { strata } : {}),
		content: serializeMigration({ formatVersion: FORMAT_VERSION_LATEST, modifications, ...(strata ? { strata } : {}) }),
		steps: planned,
		warnings,
		destructive: planned.filter(step => step.destructive),
		renames: result.renames,
		renameCandidates: result.renameCandidates,
		enumRenames: result.enumRenames,
		missingFills: result.missingFills.filter(it => it.fillable && !leftUnfilled.has(it.key)),
		strataOnly,
		lint,
		notices,
		schemaBefore: original,
		schemaAfter,
	}
}

export interface WriteMigrationOptions {
	/** write even when NOT NULL steps have no fill value (for tables known to be empty) */
	readonly allowFailing?: boolean
	/** false refuses a plan with destructive steps */
	readonly destructive?: boolean
}

/**
 * Writes a planned migration into the project's migrations directory (atomically; an existing
 * file is never overwritten) and returns its path.
 *
 * @throws StrataError `NOTHING_TO_WRITE`, `DESTRUCTIVE_REFUSED`, `MISSING_FILL_VALUE`, `MIGRATION_EXISTS`
 */
export const writeMigration = async (project: StrataProject, plan: MigrationPlan, options: WriteMigrationOptions = {}): Promise<string> => {
	if (plan.empty) throw new StrataError('NOTHING_TO_WRITE', 'Nothing to write: the migrations already build the declared schema.')
	refuseUnwritable(plan, options)
	return writeMigrationFile(project.migrationsDir, plan.fileName, plan.content)
}

/** the refusals of a write, checked before anything is asked or written */
export const refuseUnwritable = (plan: Pick<MigrationPlan, 'destructive' | 'missingFills'>, options: WriteMigrationOptions): void => {
	if (options.destructive === false && plan.destructive.length > 0) {
		throw new StrataError('DESTRUCTIVE_REFUSED',
			`Not written (--no-destructive): ${plan.destructive.length} step${plan.destructive.length === 1 ? '' : 's'} would lose data:\n`
			+ plan.destructive.map(it => `  - #${it.index} ${it.message}${it.destructiveReason ? `: ${it.destructiveReason}` : ''}`).join('\n')
			+ '\nIf a removal is really a rename, pass --rename (see docs/diff.md).')
	}
	if (plan.missingFills.length > 0 && !options.allowFailing) {
		throw new StrataError('MISSING_FILL_VALUE',
			`Not written: ${plan.missingFills.length} NOT NULL step${plan.missingFills.length === 1 ? '' : 's'} would fail on a table with rows:\n`
			+ plan.missingFills.map(it => `  - ${it.message}`).join('\n')
			+ `\nGive values with ${plan.missingFills.map(it => `--fill ${it.key}=<value>`).join(' ')} (or --copy Entity.field=otherField, or answer in a terminal), or pass --allow-failing if the tables are empty.`)
	}
}

export type { ConversionAnswers, FillAnswer, MissingFill, RenameAnswers, RenameCandidate, JsonValue }
