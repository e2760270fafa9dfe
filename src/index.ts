/**
 * strata's programmatic API: the same functions the CLI calls. Re-exports only, no logic.
 * Everything here is pure except the file store (readMigrations, writeMigrationFile) and the
 * schema loader; the database layer is not part of this entry point.
 */
export * from './errors.js'

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
