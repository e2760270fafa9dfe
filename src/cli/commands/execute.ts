/**
 * `migrations:execute [project]`: apply pending migrations exactly once, in order, under the
 * ledger lock, in one transaction (or one per migration), recording each in the ledger.
 */
import type { CommandModule } from 'yargs'
import type { ExecuteArgs } from '../run/execute.js'
import { databaseOptions, lazyHandler } from './options.js'
import { fleetOptions } from './fleetOptions.js'

const execute: CommandModule<object, ExecuteArgs> = {
	command: 'migrations:execute [project]',
	describe: 'apply pending migrations to the database (in order, once, under a lock)',
	builder: yargs =>
		fleetOptions(databaseOptions(yargs))
			.option('until', { type: 'string', requiresArg: true, describe: 'stop after this migration (version or name, inclusive)' })
			.option('contract', { type: 'boolean', describe: 'also run contract-phase migrations (the second half of an expand/contract pair; without it the run stops before the first pending one, see docs/execute.md)' })
			.option('force', { type: 'boolean', describe: 'development only: also run pending migrations older than the newest executed one' })
			.option('allow-remote', { type: 'boolean', describe: 'allow --force on a database that is not local' })
			.option('yes', { alias: 'y', type: 'boolean', describe: 'do not ask for confirmation (required when stdin or stdout is not a terminal, and with --json)' })
			.option('dry-run', { type: 'boolean', describe: 'print the exact SQL (names resolved from the live catalog) and the lint findings of the pending migrations; change nothing' })
			.option('transaction', { choices: ['all', 'each'] as const, default: 'all' as const, describe: 'one transaction for the whole run, or one per migration' })
			.option('lock-wait', { type: 'string', requiresArg: true, default: '60s', describe: 'how long to wait for another run holding the migration lock' })
			.option('lock-timeout', { type: 'string', requiresArg: true, default: '10s', describe: 'PostgreSQL lock_timeout for the migration statements (0 = off)' })
			.option('lock-retries', { type: 'string', requiresArg: true, default: '3', describe: 'after a statement times out waiting for a table lock (or loses a deadlock), roll back and run the transaction again (the run\'s, or with --transaction each the migration\'s), at most this many times (0 = fail at once); each retry names the blocking sessions (see docs/execute.md)' })
			.option('lock-retry-delay', { type: 'string', requiresArg: true, default: '1s', describe: 'the first pause before a retry (random below it, doubling each retry, at most 30s)' })
			.option('destructive', { type: 'boolean', default: true, describe: '--no-destructive refuses to run migrations with destructive steps (drops, narrowing)' })
			.option('db-schema', { type: 'string', requiresArg: true, default: 'public', describe: 'the PostgreSQL schema the migrations create their tables in (stage_live for a database taken over with migrations:adopt-contember)' })
			.option('statement-timeout', { type: 'string', requiresArg: true, default: '0', describe: 'PostgreSQL statement_timeout for the migration statements (0 = off)' })
			.example('$0 migrations:execute --yes', 'apply everything pending (deploy)')
			.example('$0 migrations:execute --dry-run', 'show the SQL that would run')
			.example('$0 migrations:execute --contract --yes', 'after the new application is deployed: run the contract phase too'),
	handler: lazyHandler(() => import('../run/execute.js')),
}

export default execute
