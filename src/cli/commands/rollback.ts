/**
 * `migrations:rollback [--steps N | --to <migration>]`: revert the newest executed migrations on
 * the local database (the inverse is computed from the schemas), newest first, in one
 * transaction; their files stay and are pending again. Development only.
 */
import type { CommandModule } from 'yargs'
import type { RollbackArgs } from '../run/rollback.js'
import { devDatabaseOptions, lazyHandler } from './options.js'

const rollback: CommandModule<object, RollbackArgs> = {
	command: 'migrations:rollback',
	describe: 'revert the newest executed migrations on the local database (development); their files become pending',
	builder: yargs =>
		devDatabaseOptions(yargs)
			.option('steps', { type: 'string', requiresArg: true, describe: 'how many migrations to roll back, newest first (default 1)' })
			.option('to', { type: 'string', requiresArg: true, describe: 'roll back every migration executed after this one (name, version or label); it stays applied' })
			.option('yes', { alias: 'y', type: 'boolean', describe: 'do not ask for confirmation (required when stdin or stdout is not a terminal, and with --json)' })
			.option('accept-data-loss', { type: 'boolean', describe: 'with --yes: roll back even when undoing loses data (a dropped column\'s contents, a narrowed type)' })
			.option('lock-timeout', { type: 'string', requiresArg: true, default: '10s', describe: 'PostgreSQL lock_timeout for the statements (0 = off)' })
			.option('db-schema', { type: 'string', requiresArg: true, describe: 'the PostgreSQL schema holding the project\'s tables (default public)' })
			.conflicts('steps', 'to')
			.example('$0 migrations:rollback --yes', 'revert the newest executed migration locally')
			.example('$0 migrations:rollback --to add-tags --yes', 'revert everything executed after add-tags'),
	handler: lazyHandler(() => import('../run/rollback.js')),
}

export default rollback
