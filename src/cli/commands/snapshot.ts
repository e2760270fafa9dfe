/**
 * `migrations:snapshot [project]`: writes migrations/snapshot.json, the collapsed modifications
 * of every migration file plus the checksums of the files it covers. Offline.
 */
import type { CommandModule } from 'yargs'
import type { SnapshotArgs } from '../run/snapshot.js'
import { lazyHandler } from './options.js'

const snapshot: CommandModule<object, SnapshotArgs> = {
	command: 'migrations:snapshot [project]',
	describe: 'write migrations/snapshot.json: one collapsed migration that bootstraps a fresh database and speeds up replay',
	builder: yargs =>
		yargs
			.positional('project', { type: 'string', describe: 'project name, when strata.config.json declares several projects' })
			.example('$0 migrations:snapshot', 'collapse the whole history; commit the file and check it in CI with migrations:verify-snapshot'),
	handler: lazyHandler(() => import('../run/snapshot.js')),
}

export default snapshot
