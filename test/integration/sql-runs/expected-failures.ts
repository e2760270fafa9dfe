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

export const expectedFailures: Record<string, { stage: Stage; reason: string }> = {}
