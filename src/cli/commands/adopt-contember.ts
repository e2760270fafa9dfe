/**
 * `migrations:adopt-contember [project]`: take over a database Contember deployed, recording the
 * migrations its registry lists as executed in strata's ledger, without running them.
 */
import type { CommandModule } from 'yargs'
import type { AdoptContemberArgs } from '../run/adopt-contember.js'
import { databaseOptions, ignoreOption, lazyHandler } from './options.js'

const adoptContember: CommandModule<object, AdoptContemberArgs> = {
	command: 'migrations:adopt-contember [project]',
	describe: 'record the migrations Contember executed on this database in strata\'s ledger, after checking the files and the tables match',
	builder: yargs =>
		databaseOptions(yargs)
			.option('system-schema', { type: 'string', requiresArg: true, default: 'system', describe: 'the Contember project\'s system schema, holding schema_migration' })
			.option('db-schema', { type: 'string', requiresArg: true, default: 'stage_live', describe: 'the stage schema holding the project\'s tables' })
			.option('ignore', { ...ignoreOption, describe: `${ignoreOption.describe}: tables and columns managed outside the migrations, as db:drift --ignore` })
			.example('$0 migrations:adopt-contember --database-url postgres://…', 'records what system.schema_migration lists, once stage_live equals those migrations')
			.example('$0 migrations:execute --db-schema stage_live', 'afterwards: run the newer migrations in the stage schema'),
	handler: lazyHandler(() => import('../run/adopt-contember.js')),
}

export default adoptContember
