/**
 * strata's programmatic API: the same functions the CLI calls. Re-exports only, no logic.
 * The project-level functions (src/api/: load, validate, plan and write a migration, describe,
 * lint, status, execute, drift, amend, rebase, snapshot, the migration lock) come first; the
 * pure core they are built on (schema, modifications, SQL, replay, differ) follows.
 */
export * from './errors.js'
export * from './api/index.js'
// the errors the API throws besides StrataError (both are StrataErrors), and the types its options and results name
export { MigrationExecutionError, type MigrationFailureDetails } from './db/failure.js'
export { BrokenMigrationsError } from './db/executor.js'
export type { LedgerRow } from './db/ledger.js'
export type { ProgressListener, StatementProgress } from './db/progressWatch.js'
export type { OnlineStepState } from './db/onlineRunner.js'
export type { TableSize } from './migrations/describeLocks.js'
export type { StrataExtension } from './lint/extension.js'

// the schema: model types, the definition DSL, validation, comparison, naming conventions
export * from './schema/model.js'
export * from './schema/define/index.js'
export { validateSchema, assertValidSchema } from './schema/validate.js'
export { schemaDifferences, schemasEqual, canonicalJson } from './schema/compare.js'
export * from './schema/naming.js'
export { loadDeclaredSchema, type LoadSchemaOptions, type LoadedSchema } from './schema/loader.js'
export { schemaToTypeScript } from './schema/codegen/index.js'

// modifications: the registry, the handler contract, folding, format versions
export { modificationIds, modificationHandlers, getModificationHandler, isModificationId, type ModificationId } from './modifications/registry.js'
export type { Modification, ModificationHandler, Description, Warning, DescribeContext, SqlContext } from './modifications/types.js'
export { applyModification, applyModifications, foldModifications, stepModification, ModificationFailedError, type ModificationStep, type FoldOptions } from './modifications/fold.js'
export * from './modifications/versions.js'

// SQL
export { SqlBuilder } from './sql/builder.js'
export { quoteIdentifier, quoteString, quoteLiteral, dollarQuote } from './sql/quote.js'
export { offlineMetadata, createDatabaseMetadata, type DatabaseMetadata, type CatalogSnapshot } from './sql/metadata.js'

// migration files, replay, description
export * from './migrations/files.js'
export { replay, validateHistory, selectFiles, MigrationReplayError, type ReplayOptions, type HistoryValidation } from './migrations/replay.js'
export { describeMigration, migrationSqlScript, type DescribedModification, type DescribeOptions } from './migrations/describe.js'

// the differ
export { diffSchemas, type DiffOptions, type DiffResult } from './diff/diffSchemas.js'

// the drift check's pieces (docs/drift.md)
export { detectDrift, driftDirection, expectedCatalog, readLiveCatalog, compareCatalogs, applyIgnores, normaliseType, type DriftItem, type DriftKind, type DriftResult, type Catalog, type DetectDriftOptions } from './db/drift.js'
// what execution reports
export type { ExecuteEvent, ExecutedMigration, LockRetry } from './db/executor.js'
export type { StatusEntry, MigrationState, ExecutableMigration } from './db/status.js'
export type { AmendPlan } from './migrations/amend.js'
export type { LintReport, LintFinding } from './lint/lintMigrations.js'
export type { Snapshot, SnapshotVerification } from './migrations/snapshot.js'
export type { DescribedModification as DescribedStep } from './migrations/describe.js'
