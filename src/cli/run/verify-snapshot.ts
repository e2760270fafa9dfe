/**
 * `migrations:verify-snapshot [project]`: exit 0 when migrations/snapshot.json is fresh and
 * rebuilds exactly what replaying the files builds; exit 1, saying why, otherwise. Offline, for CI.
 */
import { verifyProjectSnapshot } from '../../api/history.js'
import { ExitCode } from '../../errors.js'
import { snapshotPath } from '../../migrations/snapshot.js'
import { resolveProject } from '../context.js'
import { createOutput } from '../output.js'
import type { ProjectCommandArgs } from '../commands/options.js'

export type VerifyArgs = ProjectCommandArgs

export const run = async (argv: VerifyArgs): Promise<number | void> => {
	const output = createOutput(argv)
	const context = await resolveProject(argv)
	const result = await verifyProjectSnapshot(context)
	const { snapshot } = result
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
}
