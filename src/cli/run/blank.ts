/**
 * `migrations:blank [project] <name> [--sql]`: an empty migration (formatVersion 6) for
 * hand-written modifications; with --sql, one hand-written SQL step (executeSql) ready for
 * editing, which marks the file as strata's. Prints the path of the new file.
 */
import { createBlankMigration } from '../../api/blank.js'
import { validateLabel } from '../../migrations/files.js'
import { projectAndName, resolveProject } from '../context.js'
import { createOutput } from '../output.js'
import type { ProjectCommandArgs } from '../commands/options.js'

export interface BlankArgs extends ProjectCommandArgs {
	readonly name?: string
	/** one executeSql step to edit */
	readonly sql?: boolean
}

export const run = async (argv: BlankArgs): Promise<number | void> => {
	const output = createOutput(argv)
	const { project, name } = projectAndName(argv)
	validateLabel(name)
	// one word is the name: argv.project would hold it, so the project comes from projectAndName only
	const context = await resolveProject({ ...argv, project })
	const { path, name: written, version, contemberWarning: warning } = await createBlankMigration(context, { name, sql: argv.sql === true })
	if (output.jsonMode) output.json({ path, name: written, version, ...(warning ? { warnings: [{ code: 'strata-only', message: warning }] } : {}) })
	else {
		output.info(path)
		if (warning) output.warn(warning)
	}
}
