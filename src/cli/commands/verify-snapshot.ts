/**
 * `migrations:verify-snapshot [project]`: exit 0 when migrations/snapshot.json is fresh and
 * rebuilds exactly what replaying the files builds; exit 1, saying why, otherwise. Offline, for CI.
 */
import type { CommandModule } from 'yargs'
import { ExitCode, StrataError } from '../../errors.js'
import { readMigrations } from '../../migrations/files.js'
import { readSnapshot, snapshotPath, verifySnapshot } from '../../migrations/snapshot.js'
import { resolveProject } from '../context.js'
import { createOutput } from '../output.js'

interface VerifyArgs {
	readonly project?: string
	readonly cwd?: string
	readonly config?: string
	readonly color?: boolean
	readonly json?: boolean
}

const verifySnapshotCommand: CommandModule<object, VerifyArgs> = {
	command: 'migrations:verify-snapshot [project]',
	describe: 'check that migrations/snapshot.json is up to date (exit 1 when stale)',
	builder: yargs =>
		yargs
			.positional('project', { type: 'string', describe: 'project name, when strata.config.json declares several projects' })
			.example('$0 migrations:verify-snapshot', 'fail CI when a migration changed or was added below the snapshot without refreshing it'),
	handler: (async (argv: VerifyArgs) => {
		const output = createOutput(argv)
		const context = await resolveProject(argv)
		const files = await readMigrations(context.migrationsDir)
		const snapshot = await readSnapshot(context.migrationsDir)
		if (!snapshot) {
			throw new StrataError('NO_SNAPSHOT', `There is no ${snapshotPath(context.migrationsDir)}; create it with "strata migrations:snapshot".`)
		}
		const result = verifySnapshot(snapshot, files)
		if (output.jsonMode) {
			output.json({ ok: result.ok, version: snapshot.version, covers: snapshot.covers.length, reasons: result.reasons })
		} else if (result.ok) {
			output.info(`Snapshot is up to date (covers ${snapshot.covers.length} migration${snapshot.covers.length === 1 ? '' : 's'} up to ${snapshot.version}).`)
		} else {
			output.error(`${snapshotPath(context.migrationsDir)} is stale:`)
			for (const reason of result.reasons) output.note(`  - ${reason}`)
			output.note('Run "strata migrations:snapshot" to refresh it.')
		}
		return result.ok ? ExitCode.ok : ExitCode.userError
	}) as unknown as (argv: VerifyArgs) => Promise<void>,
}

export default verifySnapshotCommand
