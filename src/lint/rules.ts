/** Every lint rule, in code order: the table `migrations:lint` runs and docs/online.md lists. */
import type { LintRule } from './rule.js'
import { largeTableLockRule } from './rules/largeTableLock.js'
import { tableRewriteRule } from './rules/tableRewrite.js'
import { notNullWithoutFillRule } from './rules/notNullWithoutFill.js'
import { typeNarrowingRule } from './rules/typeNarrowing.js'
import { uncastableTypeChangeRule } from './rules/uncastableTypeChange.js'
import { destructiveDropRule } from './rules/destructiveDrop.js'
import { indexWithoutConcurrentlyRule } from './rules/indexWithoutConcurrently.js'
import { constraintWithoutNotValidRule } from './rules/constraintWithoutNotValid.js'
import { notTransactionalRule } from './rules/notTransactional.js'
import { sqlStepChangesStructureRule } from './rules/sqlStepChangesStructure.js'

export const lintRules: readonly LintRule[] = [
	largeTableLockRule,
	tableRewriteRule,
	notNullWithoutFillRule,
	typeNarrowingRule,
	uncastableTypeChangeRule,
	destructiveDropRule,
	indexWithoutConcurrentlyRule,
	constraintWithoutNotValidRule,
	notTransactionalRule,
	sqlStepChangesStructureRule,
]
