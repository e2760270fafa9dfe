/**
 * `migrations:status [project]`: files versus the ledger of the database. Exit 1 when anything
 * is broken; with --check, exit 3 when anything is pending or broken (for CI gates).
 */
import type { CommandModule } from 'yargs'
import type { StatusArgs } from '../run/status.js'
import { databaseOptions, lazyHandler } from './options.js'
import { fleetOptions } from './fleetOptions.js'

const status: CommandModule<object, StatusArgs> = {
	command: 'migrations:status [project]',
	describe: 'show executed, pending and broken migrations of the database',
	builder: yargs =>
		fleetOptions(databaseOptions(yargs))
			.option('only-errors', { type: 'boolean', describe: 'show only broken migrations' })
			.option('only-to-execute', { type: 'boolean', describe: 'show only the migrations execute would run' })
			.option('check', { type: 'boolean', describe: 'exit 3 when anything is pending or broken (CI gate)' })
			.example('$0 migrations:status --check', 'fail the build when the database is behind or the history is broken'),
	handler: lazyHandler(() => import('../run/status.js')),
}

export default status
