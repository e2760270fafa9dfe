/**
 * `migrations:snapshot [project]`: writes migrations/snapshot.json, the collapsed modifications
 * of every migration file plus the checksums of the files it covers. Offline.
 */
import { writeProjectSnapshot } from '../../api/history.js'
import { resolveProject } from '../context.js'
import { createOutput } from '../output.js'
import type { ProjectCommandArgs } from '../commands/options.js'

export type SnapshotArgs = ProjectCommandArgs

export const run = async (argv: SnapshotArgs): Promise<number | void> => {
	const output = createOutput(argv)
	const context = await resolveProject(argv)
	const { path, snapshot: created, withSqlSteps } = await writeProjectSnapshot(context)
	if (output.jsonMode) {
		output.json({ path, version: created.version, covers: created.covers.length, modifications: created.modifications.length })
	} else {
		output.info(`${path} written: ${created.modifications.length} modification${created.modifications.length === 1 ? '' : 's'} covering ${created.covers.length} migration${created.covers.length === 1 ? '' : 's'} up to ${created.version}.`)
	}
	if (withSqlSteps.length > 0) output.warn(`${withSqlSteps.join(', ')} hold SQL steps, which a snapshot (schema only) does not carry: migrations:execute builds an empty database from the files one by one instead, as long as they are covered.`)
}
