/**
 * `migrations:verify-snapshot [project]`: exit 0 when migrations/snapshot.json is fresh and
 * rebuilds exactly what replaying the files builds; exit 1, saying why, otherwise. Offline, for CI.
 */
import type { CommandModule } from 'yargs'
import type { VerifyArgs } from '../run/verify-snapshot.js'
import { lazyHandler } from './options.js'

const verifySnapshotCommand: CommandModule<object, VerifyArgs> = {
	command: 'migrations:verify-snapshot [project]',
	describe: 'check that migrations/snapshot.json is up to date (exit 1 when stale)',
	builder: yargs =>
		yargs
			.positional('project', { type: 'string', describe: 'project name, when strata.config.json declares several projects' })
			.example('$0 migrations:verify-snapshot', 'fail CI when a migration changed or was added below the snapshot without refreshing it'),
	handler: lazyHandler(() => import('../run/verify-snapshot.js')),
}

export default verifySnapshotCommand
