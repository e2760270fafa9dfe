/**
 * What docs/cli.md says of the commands beyond their yargs definitions: the exit codes each can
 * end with (besides 1, 70 and 130, which every command can), and the global options and top-level
 * examples of main.ts, which cannot be imported without running the CLI. Nothing here is read at
 * run time; scripts/docs/cli.ts renders it with the definitions in commands/index.ts.
 */
import { ExitCode } from '../../errors.js'

/** the exit codes a command ends with on purpose, each with when; 1, 70 and 130 apply to every command */
export type CommandExitCodes = Readonly<Partial<Record<ExitCode, string>>>

const ok = 'success'
const check = (what: string): CommandExitCodes => ({ [ExitCode.ok]: ok, [ExitCode.checkFailed]: `\`--check\`: ${what}` })

/** per command (its name, the first word of `command`) */
export const commandExitCodes: Readonly<Record<string, CommandExitCodes>> = {
	'migrations:blank': { [ExitCode.ok]: 'the file was written' },
	'migrations:describe': { [ExitCode.ok]: ok },
	'migrations:lint': check('a finding not accepted in its migration is at or above `--fail-on`'),
	'migrations:diff': { [ExitCode.ok]: 'written, nothing to do, or aborted at the confirmation', [ExitCode.migrationFailed]: '`--execute`: a migration failed in the database' },
	'migrations:execute': { [ExitCode.ok]: 'applied, or nothing pending', [ExitCode.migrationFailed]: 'a migration failed in the database; its transaction was rolled back' },
	'migrations:status': check('a migration is pending, partial or broken, or a development journal is pending'),
	'project:validate': { [ExitCode.ok]: 'the project is valid', [ExitCode.userError]: 'anything is wrong (every problem is listed)' },
	'migrations:snapshot': { [ExitCode.ok]: ok },
	'migrations:verify-snapshot': { [ExitCode.ok]: 'the snapshot is fresh', [ExitCode.userError]: 'the snapshot is stale or does not rebuild the same schema' },
	'migrations:amend': { [ExitCode.ok]: 'amended, or nothing to amend', [ExitCode.migrationFailed]: 'applying the edits to the local database failed; nothing was changed' },
	'migrations:rebase': { [ExitCode.ok]: ok },
	'migrations:rollback': { [ExitCode.ok]: 'rolled back, or aborted at the confirmation', [ExitCode.migrationFailed]: 'a statement failed; the whole rollback was undone (`ROLLBACK_FAILED`)' },
	'db:drift': check('anything drifted'),
	'schema:export': { [ExitCode.ok]: 'the schema file was written' },
	'migrations:baseline': { [ExitCode.ok]: 'recorded', [ExitCode.userError]: 'the database differs from the declared schema (the differences are listed), or migrations exist' },
	'db:introspect': { [ExitCode.ok]: 'the schema file was written' },
	'migrations:adopt-contember': { [ExitCode.ok]: 'recorded', [ExitCode.userError]: 'a file, the registry or the tables do not match (every problem is listed); nothing was recorded' },
	completion: { [ExitCode.ok]: 'the script was printed' },
}

/**
 * The global options as main.ts's buildParser declares them (main.ts runs the CLI when imported,
 * so they are repeated here; test/unit/docs/generated.test.ts checks main.ts declares the same names).
 */
export const globalOptions = {
	cwd: { type: 'string', describe: 'project directory (default: the working directory)', requiresArg: true },
	config: { type: 'string', describe: 'config file (default: strata.config.json in the project directory, optional)', requiresArg: true },
	color: { type: 'boolean', default: true, describe: 'colour the output; --no-color (or NO_COLOR=1) turns it off' },
	json: { type: 'boolean', default: false, describe: 'print machine-readable JSON on stdout (commands that print data)' },
	help: { type: 'boolean', alias: 'h', describe: 'show help (for strata, or for one command)' },
	version: { type: 'boolean', describe: 'show the version' },
} as const

/** the commands main.ts adds itself (not in commands/index.ts) */
export const builtInCommands = [
	{ command: 'completion', describe: 'print a bash/zsh completion script: strata completion >> ~/.bashrc (or ~/.zshrc)' },
] as const

/** main.ts's top-level examples */
export const topLevelExamples: readonly (readonly [string, string])[] = [
	['$0 migrations:diff add-categories', 'write a migration for the edits of the declared schema'],
	['$0 migrations:execute --yes', 'apply the pending migrations (DATABASE_URL, or the embedded database)'],
	['$0 migrations:status --check', 'exit 3 when the database is behind (CI)'],
	['$0 migrations:describe add-categories', 'one migration, named by its label'],
	['$0 completion >> ~/.bashrc', 'shell completion for bash (or ~/.zshrc for zsh)'],
]
