/**
 * diffSchemas: the modifications that turn `original` (replayed from the migrations) into
 * `updated` (declared). Pure: rename and fill-value answers come in as data (see renames.ts and
 * fills.ts for gathering them); the result lists what is still unanswered.
 *
 * 1. confirmed renames (updateEntityName / updateFieldName) first, so everything after sees
 *    the new names and keeps the data;
 * 2. the ordered differ list (order.ts), each differ's output applied before the next runs;
 * 3. fill values attached to the steps that need them;
 * 4. the round trip: the whole result replayed on `original` must give `updated`, else it is a
 *    strata bug (InternalError, exit 70) listing the differing paths. Legacy names of uniques
 *    and indexes are not compared (see src/schema/compare.ts);
 * 5. Contember 2.0.x compatibility warnings for the steps that use newer features (compatibility.ts).
 */
import { InternalError } from '../errors.js'
import { applyModifications } from '../modifications/fold.js'
import type { Modification } from '../modifications/types.js'
import { FORMAT_VERSION_LATEST } from '../modifications/versions.js'
import { schemaDifferences } from '../schema/compare.js'
import type { Schema } from '../schema/model.js'
import { contember20Warnings, type CompatibilityWarning } from './compatibility.js'
import { attachFills, type FillAnswers, findMissingFills, type MissingFill } from './fills.js'
import { schemasMatch, withoutEmptyRelationOrderBy } from './helpers.js'
import { differs } from './order.js'
import { findEnumRenames, planRenames, type RenameAnswers, type RenameCandidate } from './renames.js'
import type { DifferOptions } from './types.js'

export interface DiffOptions {
	/** drop and recreate changed views instead of CREATE OR REPLACE VIEW */
	readonly recreateViews?: boolean
	/** leave acl, validation, actions and settings alone (they are compared as equal) */
	readonly skipNonModelDiffers?: boolean
	readonly renames?: RenameAnswers
	readonly fills?: FillAnswers
	/** overrides the patch-size thresholds (ACL 1000, validation 100) */
	readonly maxPatchSize?: number
}

export interface DiffResult {
	readonly modifications: Modification[]
	/** rename candidates nobody answered: they were diffed as drop + create */
	readonly renameCandidates: RenameCandidate[]
	/** renames that were applied */
	readonly renames: RenameCandidate[]
	/** NOT NULL steps without a fill value: they fail on a non-empty table */
	readonly missingFills: MissingFill[]
	/** enums that look renamed; their columns were retyped, which keeps the values */
	readonly enumRenames: { from: string; to: string }[]
	/** steps using a feature Contember 2.0.x lacks (warning code S012) */
	readonly compatibility: CompatibilityWarning[]
}

export const differOptions = (options: DiffOptions): DifferOptions => ({
	recreateViews: options.recreateViews ?? false,
	maxAclPatchSize: options.maxPatchSize ?? 1000,
	maxValidationPatchSize: options.maxPatchSize ?? 100,
})

/** runs the differ list from `current`; returns the modifications and the schema they lead to */
export const runDiffers = (current: Schema, updated: Schema, options: DiffOptions): { modifications: Modification[]; schema: Schema } => {
	const modifications: Modification[] = []
	const config = differOptions(options)
	let working = current
	for (const differ of differs) {
		if (differ.nonModel && options.skipNonModelDiffers) continue
		const generated = differ.diff(working, updated, config)
		if (generated.length === 0) continue
		try {
			working = applyModifications(working, generated, FORMAT_VERSION_LATEST)
		} catch (error) {
			throw new InternalError(`The ${differ.name} differ generated modifications that do not apply: ${(error as Error).message}`, { cause: error })
		}
		modifications.push(...generated)
	}
	return { modifications, schema: working }
}

export const diffSchemas = (original: Schema, updated: Schema, options: DiffOptions = {}): DiffResult => {
	const renamePlan = planRenames(original, updated, options.renames ?? {})
	const diffed = runDiffers(renamePlan.schema, updated, options)
	const modifications = attachFills([...renamePlan.modifications, ...diffed.modifications], options.fills ?? {})
	const target = options.skipNonModelDiffers ? { ...updated, acl: original.acl, validation: original.validation, actions: original.actions, settings: original.settings } : updated
	const { missing, schema: replayed } = findMissingFills(original, modifications)
	const expected = withoutEmptyRelationOrderBy(target)
	const actual = withoutEmptyRelationOrderBy(replayed)
	const differences = schemasMatch(expected, actual) ? [] : schemaDifferences(expected, actual)
	if (differences.length > 0) {
		throw new InternalError(
			`The generated migration does not recreate the declared schema (${differences.length} difference${differences.length === 1 ? '' : 's'}):\n${differences.map(it => `  - ${it}`).join('\n')}`,
		)
	}
	return {
		modifications,
		renameCandidates: renamePlan.unanswered,
		renames: renamePlan.applied,
		missingFills: missing,
		enumRenames: findEnumRenames(original, updated),
		compatibility: contember20Warnings(modifications, renamePlan.schema, updated),
	}
}
