/**
 * The programmatic API: everything the CLI does, as typed functions that return data and print
 * nothing. Functions that need a database take `database`: a connection string (opened and
 * closed by the call) or a connected `pg.Client` (left open). See docs/api.md.
 */
export { withConnection, type Connection, type DatabaseInput, type DatabaseOptions } from './database.js'
export { loadProject, loadProjectSchema, readProjectMigrations, type LoadProjectOptions, type StrataProject } from './project.js'
export { validateProject, type ProjectValidation, type ValidateProjectOptions, type ValidationStage } from './validate.js'
export { describeProjectMigration, lintProject, replayProject, verifyProjectSnapshot, writeProjectSnapshot, type DescribeProjectOptions, type LintProjectOptions, type MigrationDescription } from './history.js'
export { planMigration, writeMigration, type MigrationPlan, type PlanMigrationOptions, type PlannedStep, type WriteMigrationOptions, type FillAnswer, type MissingFill, type RenameCandidate, type RenameAnswers, type ConversionAnswers } from './diff.js'
export { planExpandContract, writeExpandContract, type ExpandContractPlan, type ExpandContractHalf } from './expandContract.js'
export { migrationStatus, type PendingJournal, type ProjectStatus, type StatusOptions } from './status.js'
export { executeProject, type ExecuteProjectEvent, type ExecuteProjectOptions, type ExecuteProjectResult } from './execute.js'
export { detectProjectDrift, type DriftOptions, type ProjectDrift } from './drift.js'
export { withMigrationLock, type LockHolder, type MigrationLockOptions } from './lock.js'
export { rollbackMigrations, type RollbackChoice, type RollbackOptions, type RollbackOutcome } from './rollback.js'
export { createBlankMigration, type BlankMigration } from './blank.js'
export { adoptContemberProject, baselineProject, exportProjectSchema, introspectProjectDatabase, type AdoptContemberOptions, type BaselineProjectOptions, type Introspection, type IntrospectOptions, type WriteSchemaOptions, type WrittenSchema } from './adoption.js'
export { amendMigration, rebaseMigrations, type AmendOptions, type AmendOutcome, type DevSessionOptions, type RebaseOptions, type RebaseOutcome } from './dev.js'
export { executeFleet, fleetStatus, fleetDrift, loadFleetTargets, describeFleetError, worstExitCode, DEFAULT_CONCURRENCY, type FleetTarget, type FleetOptions, type FleetExecuteSettings, type FleetRun, type FleetTargetResult, type FleetOutcome, type FleetError, type TargetSelection, type ExecuteTargetDetail, type StatusTargetDetail, type DriftTargetDetail } from './fleet.js'
