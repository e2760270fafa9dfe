/**
 * Shared by the diff-level conformance tests: which modification shapes Contember 2.0.x cannot
 * read (strata never writes them), and replay equivalence of two modification lists.
 */
import { withoutEmptyRelationOrderBy } from '../../src/diff/helpers.js'
import { applyModifications } from '../../src/modifications/fold.js'
import type { Modification } from '../../src/modifications/types.js'
import { FORMAT_VERSION_LATEST } from '../../src/modifications/versions.js'
import { schemaDifferences } from '../../src/schema/compare.js'
import type { Schema } from '../../src/schema/model.js'

/** why Contember 2.0.x cannot read the modification, or undefined when it can */
export const unreadableByContember20 = (modification: Modification): string | undefined => {
	if (modification.modification === 'patchTrigger') return 'patchTrigger does not exist in 2.0.x (strata writes updateTrigger)'
	if (modification.modification === 'removeUniqueConstraint' && 'unique' in modification) {
		return 'removeUniqueConstraint { unique } is read only after 2.0.x (strata writes { fields })'
	}
	return undefined
}

/** the differences between the schemas the two lists build from `original` (empty: equivalent) */
export const replayDifferences = (original: Schema, expected: readonly Modification[], actual: readonly Modification[]): string[] =>
	schemaDifferences(
		withoutEmptyRelationOrderBy(applyModifications(original, expected, FORMAT_VERSION_LATEST)),
		withoutEmptyRelationOrderBy(applyModifications(original, actual, FORMAT_VERSION_LATEST)),
	)
