/**
 * Conformance cases whose SQL run cannot pass, each with the stage it fails at and why.
 * conformance.test.ts asserts this list exactly: a listed case that starts passing (or fails
 * elsewhere) turns the suite red until this file is updated.
 *
 * build    — `original` cannot be created on PostgreSQL (the fixture itself is not runnable)
 * generate — strata refuses to generate the case's SQL against the live catalog
 * run      — PostgreSQL rejects the case's SQL
 * catalog  — the SQL runs but the catalog differs from what `updated` says
 */
export type Stage = 'build' | 'generate' | 'run' | 'catalog'

const ginOnText = 'fixture: a plain GIN index on a text column needs an operator class (e.g. pg_trgm\'s gin_trgm_ops); PostgreSQL has no default one, so the statement Contember\'s case expects cannot run'
const uniqueMethod = (method: string) => `fixture: access method "${method}" does not support unique indexes; the case pins the SQL shape only, PostgreSQL rejects it`
const brokenViewSql = 'fixture: the view SQL of `original` has a stray ")" ("select 1 as id, \'foo@localhost\' as email)"), so the view cannot be created'
const joiningEntityInPlace =
	'by design (Contember\'s shape, pinned by the conformance SQL): the junction table is reused in place, so its foreign keys stay ' +
	'non-deferrable and no index is added on the joining columns, unlike a many-has-one created by createRelation; everything else matches'

export const expectedFailures: Record<string, { stage: Stage; reason: string }> = {
	'convertManyHasManyToJoiningEntity > convert many has many to joining entity': { stage: 'catalog', reason: joiningEntityInPlace },
	'convertManyHasManyToJoiningEntity > convert unidirectional many has many to joining entity': { stage: 'catalog', reason: joiningEntityInPlace },
	'createAndDropIndex > create index with GIN method': { stage: 'run', reason: ginOnText },
	'createAndDropIndex > change index method from btree to gin': { stage: 'run', reason: ginOnText },
	'createUnique > create unique index #2': { stage: 'build', reason: brokenViewSql },
	'createUnique > create unique index #3': { stage: 'build', reason: brokenViewSql },
	'createUnique > create unique index with GIN method': { stage: 'run', reason: uniqueMethod('gin') },
	'createUnique > create unique index with GiST method': { stage: 'run', reason: uniqueMethod('gist') },
	'createUnique > change unique index method from gin to gist': { stage: 'build', reason: uniqueMethod('gin') },
	'createUnique > change from regular unique index to method-specific unique index': { stage: 'run', reason: uniqueMethod('gin') },
}
