/**
 * The catalogue of warning codes that `describe` attaches to modification steps. Codes are
 * stable (documented in docs/errors.md, generated from warningCatalog below); messages may change. A warning never blocks on its
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

/**
 * What docs/errors.md says of each warning: a short name and what it means and what to do. The
 * modifications raising it are read from their docs metadata; `raisedBy` names a raiser that is
 * not a modification.
 */
export const warningCatalog: Readonly<Record<WarningCode, { readonly name: string; readonly meaning: string; readonly raisedBy?: string }>> = {
	S001: { name: 'NOT NULL without fill value', meaning: 'A NOT NULL column (or owning relation) is added to a table that already exists (not created earlier in the same migration) and no `fillValue`/`copyValue` is given. PostgreSQL rejects the `ALTER TABLE … ADD … NOT NULL` as soon as the table has a row. Give a fill value (`--fill Entity.field=value`, `--copy`) or make the column nullable first.' },
	S002: { name: 'unique may fail on duplicates', meaning: 'A unique constraint or unique index is added to an existing table. Creating it fails when rows already hold duplicate values; it also scans the table under a lock. Deduplicate first.' },
	S003: { name: 'enum value removed', meaning: 'Values are removed from an enum. The new domain check is validated against every column using the enum and fails when a row still holds a removed value. Update those rows first.' },
	S004: { name: 'table rewrite / long lock', meaning: 'The step rewrites a table (type change, re-typing columns) or copies data while holding an ACCESS EXCLUSIVE lock; on a big table readers and writers wait for the whole time. Run it in a quiet window.' },
	S005: { name: 'conversion may fail', meaning: 'A relation changes its shape and the existing rows may not fit it (e.g. two rows pointing at the same target when a unique key is added).' },
	S006: { name: 'NOT NULL on existing data', meaning: 'An existing column or relation becomes NOT NULL. It fails when any row holds NULL. Fill the NULLs first or give a fill value.' },
	S007: { name: 'view replace may fail', meaning: '`CREATE OR REPLACE VIEW` is rejected by PostgreSQL (SQLSTATE 42P16) when the view\'s output columns change (renamed, removed, retyped, reordered). Regenerate with `--recreate-views` in that case.' },
	S008: { name: 'type narrowing', meaning: 'The column type changes in a way that can fail the cast for some rows or lose precision (e.g. text → integer, numeric(20,9) → numeric(10,2)).' },
	S009: { name: 'dependent objects', meaning: 'Something still uses the dropped object: a view declares the entity in its `dependencies`, or a column still has the enum type. strata never drops with CASCADE, so PostgreSQL refuses the drop. Remove the dependants first (earlier in the same migration is fine).' },
	S010: { name: 'rename visible to clients', meaning: 'An entity, table or field is renamed. API clients and hand-written SQL (views, index predicates) that use the old name break. When only the schema name changes (no `tableName`/`columnName`), the database keeps the old table/column name.' },
	S011: { name: 'materialized view populated', meaning: 'The view\'s query runs inside the migration (`WITH DATA`) and may take long. Use `noData` and refresh later when the query is heavy.' },
	S012: { name: 'needs Contember newer than 2.0.x', meaning: 'The step uses a feature Contember 2.0.x lacks: list columns, collations, index methods, operator classes, partial or covering indexes, per-column index options, unique indexes, `nulls not distinct`, enums used by list columns, or it drops a materialized view. 2.0.x reads the file but its SQL lacks the feature or fails. strata executes it correctly; a team that also applies the files with Contember needs a version newer than 2.0.x. Raised by the differ (`DiffResult.compatibility`), not by `describe`. See docs/diff.md, "Contember 2.0.x".', raisedBy: '`migrations:diff` (any step; `DiffResult.compatibility`, not `describe`)' },
	S013: { name: 'SQL step changes structure', meaning: 'The hand-written SQL holds DDL (its statement starts with CREATE, ALTER, DROP, RENAME, COMMENT ON, GRANT or REVOKE). strata runs it as written but does not follow it into the schema it replays: the next `migrations:diff` does not know, and `db:drift` reports the difference. Declare structure in the schema; keep SQL steps for data. Lint reports it as L010.' },
}

export const warning = (code: WarningCode, message: string): Warning => ({ code, message })
