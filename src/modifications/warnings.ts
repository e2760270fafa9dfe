/**
 * The catalogue of warning codes that `describe` attaches to modification steps. Codes are
 * stable (documented in docs/warnings.md); messages may change. A warning never blocks on its
 * own: it tells the reviewer that a step can fail at runtime or hurt a live database.
 */
import type { Warning } from './types.js'

export const WarningCode = {
	/** a NOT NULL column or relation is added to an existing table without fillValue/copyValue */
	notNullWithoutFill: 'S001',
	/** a new unique constraint or unique index on an existing table fails when rows are duplicated */
	uniqueMayFail: 'S002',
	/** enum values are removed; the domain check fails when rows still hold them */
	enumValueRemoved: 'S003',
	/** the table is rewritten or an ACCESS EXCLUSIVE lock is held for a long time */
	tableRewrite: 'S004',
	/** a relation conversion fails when existing rows conflict with the new shape */
	conversionMayFail: 'S005',
	/** an existing column or relation becomes NOT NULL; fails when rows hold NULL */
	setNotNullMayFail: 'S006',
	/** CREATE OR REPLACE VIEW fails when the view's output columns change (SQLSTATE 42P16) */
	viewReplaceMayFail: 'S007',
	/** a column type changes in a way that can fail the cast or lose precision */
	typeNarrowing: 'S008',
	/** the dropped object is still used by something else (a view, a column of that enum) and the drop will fail */
	dependentObjects: 'S009',
	/** a name changes only in the schema; code or SQL written against the old name breaks */
	renameBreaksClients: 'S010',
	/** a materialized view is created WITH DATA: its query runs inside the migration */
	materializedViewPopulate: 'S011',
	/** migrations:diff: the step uses a feature Contember 2.0.x lacks (list columns, collations, index methods…) */
	newerThanContember20: 'S012',
	/** a hand-written SQL step (executeSql) holds DDL: strata does not follow it, db:drift will see it */
	sqlStepChangesStructure: 'S013',
} as const
export type WarningCode = (typeof WarningCode)[keyof typeof WarningCode]

export const warning = (code: WarningCode, message: string): Warning => ({ code, message })
