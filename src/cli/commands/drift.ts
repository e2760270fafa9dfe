/**
 * `db:drift [project]`: compare the live database with the schema its executed migrations
 * describe. The expected schema is replayed from the ledger's stored migration content by
 * default (files may have been edited since they ran); `--from files` replays the files of the
 * executed versions instead. Drift is reported with exit 0; `--check` exits 3 on drift.
 */
import type { CommandModule } from 'yargs'
import type { DriftArgs } from '../run/drift.js'
import { databaseOptions, ignoreOption, lazyHandler } from './options.js'
import { fleetOptions } from './fleetOptions.js'

const drift: CommandModule<object, DriftArgs> = {
	command: 'db:drift [project]',
	describe: 'compare the live database with the schema of its executed migrations',
	builder: yargs =>
		fleetOptions(databaseOptions(yargs))
			.option('check', { type: 'boolean', describe: 'exit 3 when anything drifted (CI gate)' })
			.option('ignore', ignoreOption)
			.option('from', { choices: ['ledger', 'files'] as const, default: 'ledger' as const, describe: 'replay the content stored in the ledger, or the migration files of the executed versions' })
			.option('db-schema', { type: 'string', requiresArg: true, default: 'public', describe: 'the PostgreSQL schema the migrations create their tables in' })
			.example('$0 db:drift --check', 'fail the build when someone changed the database by hand')
			.example('$0 db:drift --ignore "audit_*" --ignore "post.legacy_*"', 'leave out tables and columns managed elsewhere'),
	handler: lazyHandler(() => import('../run/drift.js')),
}

export default drift
