/**
 * What main.ts and docs/cli.md share beyond the command definitions: the global options, the
 * built-in `completion` command and the top-level examples (main.ts registers them from here;
 * it cannot be imported by the docs generator, as importing it runs the CLI), and the exit codes
 * each command can end with (besides 1, 70 and 130, which every command can), which only
 * scripts/docs/cli.ts reads. Imports nothing heavy: `strata --help` loads this module.
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
	'migrations:status': {
		...check('a migration is pending, partial or broken, or a development journal is pending'),
		[ExitCode.userError]: 'without `--check`: a migration is broken (changed, missing or out of order), a file in the migrations directory is not read as a migration, or a development journal cannot be applied here',
	},
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
 * The global options: main.ts registers these (each `global: true`, so every command accepts them)
 * and docs/cli.md lists them, so there is one definition.
 */
export const globalOptions = {
	cwd: { type: 'string', global: true, requiresArg: true, describe: 'project directory (default: the working directory)' },
	config: {
		type: 'string', global: true, requiresArg: true,
		describe: 'config file, relative to --cwd; its folder is the project directory (default: strata.config.json, else the "strata" key of package.json; optional; see docs/configuration.md)',
	},
	color: {
		type: 'boolean', global: true, default: true,
		describe: 'colour the output; --no-color (or NO_COLOR set to anything) turns it off; off when the output is not a terminal, unless FORCE_COLOR=1',
	},
	json: {
		type: 'boolean', global: true, default: false,
		describe: 'print one JSON document on stdout; on failure { ok: false, error: { code, message, exitCode, … } }',
	},
} as const

/** the options yargs adds itself (.help(), .version()), as docs/cli.md lists them */
export const builtInOptions = {
	help: { type: 'boolean', alias: 'h', describe: 'show help (for strata, or for one command)' },
	version: { type: 'boolean', describe: 'show the version' },
} as const

/** the commands main.ts adds itself (not in commands/index.ts) */
export const builtInCommands = [
	{
		command: 'completion',
		describe: 'print a bash/zsh completion script: strata completion >> ~/.bashrc (or ~/.zshrc)',
		examples: [
			['$0 completion >> ~/.bashrc', 'install completion for bash (open a new shell afterwards)'],
			['$0 completion >> ~/.zshrc', 'the same for zsh'],
		],
	},
] as const

/** the top-level examples of `strata --help` */
export const topLevelExamples: readonly (readonly [string, string])[] = [
	['$0 migrations:diff add-categories', 'write a migration for the edits of the declared schema'],
	['$0 migrations:execute --yes', 'apply the pending migrations (DATABASE_URL, or the embedded database)'],
	['$0 migrations:status --check', 'exit 3 when the database is behind (CI)'],
	['$0 migrations:describe add-categories', 'one migration, named by its label'],
	['$0 completion >> ~/.bashrc', 'shell completion for bash (or ~/.zshrc for zsh)'],
]
