/**
 * `migrations:rollback` planning (pure): the inverse of executed migrations, computed rather than
 * written by hand. For each migration, newest first, the schema after it is diffed back to the
 * schema before it; the migration's own renames are inverted into rename answers, so a renamed
 * table or field is renamed back with its data. Its SQL steps are undone by their `down` SQL
 * (run first, while the objects they touch still exist); one without `down` makes the migration
 * irreversible. What the inverse cannot undo without losing data (dropping what the migration
 * created, narrowing a type it widened) is listed, for the caller to require consent.
 *
 * The migrations are read from the ledger's stored content (what ran), not from the files.
 */
import { diffSchemas } from '../diff/diffSchemas.js'
import type { MissingFill } from '../diff/fills.js'
import type { RenameAnswers } from '../diff/renames.js'
import { uncastableTypeChanges } from '../diff/uncastable.js'
import { foldModifications } from '../modifications/fold.js'
import type { Modification } from '../modifications/types.js'
import { FORMAT_VERSION_LATEST } from '../modifications/versions.js'
import { schemaDifferences } from '../schema/compare.js'
import { emptySchema, type Schema } from '../schema/model.js'
import { followNames } from './amendAnswers.js'
import type { MigrationFile } from './files.js'
import { replay } from './replay.js'

export type ExecutedContent = Pick<MigrationFile, 'name' | 'version' | 'formatVersion' | 'modifications'>

export interface DataLoss {
	readonly migration: string
	/** the inverse step's index and id */
	readonly index: number
	readonly modification: string
	readonly message: string
	readonly reason: string
}

export interface Irreversible {
	readonly migration: string
	readonly reason: string
}

export interface RollbackStep {
	readonly migration: ExecutedContent
	/** the schema it leaves (what the database holds now, with the later ones rolled back) */
	readonly after: Schema
	/** the schema before it: what the inverse restores */
	readonly before: Schema
	/** its SQL steps' `down` SQL, last step first */
	readonly down: readonly { readonly index: number; readonly sql: string }[]
	/** the schema steps that turn `after` into `before` */
	readonly inverse: readonly Modification[]
	/** each of them described (message, destructive and why), for the preview */
	readonly described: readonly { readonly message: string; readonly modification: string; readonly destructiveReason?: string }[]
	/** NOT NULL columns or relations the inverse re-creates without a value for existing rows: it fails if the table has rows */
	readonly missingFills: readonly MissingFill[]
}

export interface RollbackPlan {
	/** newest first */
	readonly steps: readonly RollbackStep[]
	readonly dataLoss: readonly DataLoss[]
	readonly irreversible: readonly Irreversible[]
}

/**
 * The renames that undo the migration's own: updateEntityName X → Y becomes "Y" → X, and
 * updateFieldName E.a → b becomes "E'.b" → a, named as the schema after the migration names them.
 */
export const invertedRenames = (modifications: readonly Modification[]): RenameAnswers => {
	const answers: Record<string, string> = {}
	modifications.forEach((mod, index) => {
		const rest = modifications.slice(index + 1)
		if (mod.modification === 'updateEntityName') {
			const now = followNames({ entity: mod['newEntityName'] as string }, rest)
			if (now) answers[now.entity] = mod['entityName'] as string
		}
		if (mod.modification === 'updateFieldName') {
			const now = followNames({ entity: mod['entityName'] as string, field: mod['newFieldName'] as string }, rest)
			if (now?.field !== undefined) answers[`${now.entity}.${now.field}`] = mod['fieldName'] as string
		}
	})
	return answers
}

/** the inverse of one migration, from the schema after it back to the schema before it */
export const planInverse = (migration: ExecutedContent, before: Schema, after: Schema): { step: RollbackStep; dataLoss: DataLoss[]; irreversible: Irreversible[] } => {
	const irreversible: Irreversible[] = []
	const down = migration.modifications.flatMap((mod, index) => {
		if (mod.modification !== 'executeSql') return []
		const sql = mod['down']
		if (typeof sql !== 'string' || sql.trim() === '') {
			irreversible.push({ migration: migration.name, reason: `its SQL step #${index} has no "down" SQL, so strata cannot undo what it did` })
			return []
		}
		return [{ index, sql }]
	}).reverse()
	let diff
	try {
		diff = diffSchemas(after, before, { renames: invertedRenames(migration.modifications) })
	} catch (error) {
		irreversible.push({ migration: migration.name, reason: `strata cannot compute its inverse: ${error instanceof Error ? error.message : String(error)}` })
		return { step: { migration, after, before, down, inverse: [], described: [], missingFills: [] }, dataLoss: [], irreversible }
	}
	const inverse = diff.modifications
	// one fold: the schema it restores, and each step's description
	const folded = foldModifications(after, inverse, { formatVersion: FORMAT_VERSION_LATEST })
	const differences = schemaDifferences(before, folded.schema)
	if (differences.length > 0) irreversible.push({ migration: migration.name, reason: `its inverse would not restore the schema before it (${differences.slice(0, 3).join('; ')})` })
	for (const retype of uncastableTypeChanges(after, inverse, FORMAT_VERSION_LATEST)) {
		irreversible.push({ migration: migration.name, reason: `${retype.field} would go back from ${retype.from} to ${retype.to}, which PostgreSQL cannot cast` })
	}
	const dataLoss = folded.steps
		.filter(step => step.description.destructive)
		.map(step => ({
			migration: migration.name, index: step.index, modification: step.modification.modification,
			message: step.description.message, reason: step.description.destructiveReason ?? 'loses data',
		}))
	const described = folded.steps.map(step => ({
		message: step.description.message, modification: step.modification.modification,
		...(step.description.destructive ? { destructiveReason: step.description.destructiveReason ?? 'loses data' } : {}),
	}))
	return { step: { migration, after, before, down, inverse, described, missingFills: diff.missingFills.filter(it => it.fillable) }, dataLoss, irreversible }
}

/**
 * The inverse of the last `count` of the `executed` migrations (ledger order, oldest first),
 * newest first, each against the schema the ones before it build.
 */
export const planRollback = (executed: readonly ExecutedContent[], count: number): RollbackPlan => {
	const schemas: Schema[] = [emptySchema]
	for (const migration of executed) schemas.push(replay([migration as MigrationFile], { initial: schemas[schemas.length - 1]! }))
	const steps: RollbackStep[] = []
	const dataLoss: DataLoss[] = []
	const irreversible: Irreversible[] = []
	for (let index = executed.length - 1; index >= executed.length - count; index--) {
		const planned = planInverse(executed[index]!, schemas[index]!, schemas[index + 1]!)
		steps.push(planned.step)
		dataLoss.push(...planned.dataLoss)
		irreversible.push(...planned.irreversible)
	}
	return { steps, dataLoss, irreversible }
}
