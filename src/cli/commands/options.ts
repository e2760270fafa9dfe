/**
 * What the command definitions share: the database options and the lazy handler. This module and
 * the definitions import nothing heavy, so `strata --help` and `strata <command> --help` load no
 * schema, differ, SQL or database code; a handler's module is loaded when its command runs.
 */
import type { Argv } from 'yargs'
import { DEFAULT_LEDGER_SCHEMA } from '../../db/ledgerDefaults.js'

/** how to reach the database and its ledger, shared by every command that connects */
const connectionOptions = <T>(yargs: Argv<T>, embedded: string) =>
	yargs
		.option('database-url', { type: 'string', requiresArg: true, describe: 'PostgreSQL URL (default: DATABASE_URL, .env, config databaseUrl, else the embedded database, which is refused when CI or NODE_ENV=production is set)' })
		.option('embedded', { type: 'boolean', describe: embedded })
		.option('ledger-schema', { type: 'string', requiresArg: true, describe: `schema of the ledger table (default: config ledgerSchema, else "${DEFAULT_LEDGER_SCHEMA}")` })

/** what every command gets: the global options (main.ts) and the project, when the config declares several */
export interface ProjectCommandArgs {
	readonly project?: string
	readonly cwd?: string
	readonly config?: string
	readonly color?: boolean
	readonly json?: boolean
	/** the declared schema (--schema), on the commands that read or write it */
	readonly schema?: string
	/** the words after `--` (see fillPositionals in context.ts) */
	readonly _?: readonly (string | number)[]
}

/** `--schema`, on every command that reads or writes the declared schema; overrides the config's `schema` */
export const schemaOption = {
	type: 'string', requiresArg: true,
	describe: 'the declared schema: a .ts/.js module, a .json file or a folder holding index.ts or schema.json, relative to the project directory (default: config schema, else schema/index.ts, schema/schema.json)',
} as const

/** `--ignore`, shared by db:drift and migrations:baseline, which compare the same way */
export const ignoreOption = {
	type: 'string', array: true, requiresArg: true,
	describe: 'glob on `table` or `table.column` to leave out (repeatable; * and ? stay within one name)',
} as const

export const databaseOptions = <T>(yargs: Argv<T>) =>
	connectionOptions(
		yargs.positional('project', { type: 'string', describe: 'project name, when strata.config.json declares several projects' }),
		'use the embedded development database (.strata/postgres) even in CI',
	)

/**
 * The database options of the development commands. Their positionals are migration names, so
 * the project (when the config declares several) is an option here, not a leading word.
 */
export const devDatabaseOptions = <T>(yargs: Argv<T>) =>
	connectionOptions(
		yargs.option('project', { type: 'string', requiresArg: true, describe: 'project name, when strata.config.json declares several projects' }),
		'use the embedded development database (.strata/postgres)',
	)
		.option('allow-remote', { type: 'boolean', describe: 'allow a database that is not local (embedded, unix socket, localhost)' })
		.option('lock-wait', { type: 'string', requiresArg: true, default: '60s', describe: 'how long to wait for another run holding the migration lock' })

/**
 * A handler that imports its command's implementation (src/cli/run/) only when the command runs.
 * It resolves to the exit code (main.ts uses it); yargs' type says void.
 */
export const lazyHandler = <A>(load: () => Promise<{ run: (argv: A) => Promise<number | void> }>) =>
	(async (argv: A) => (await load()).run(argv)) as unknown as (argv: A) => Promise<void>
