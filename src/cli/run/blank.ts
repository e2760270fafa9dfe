/**
 * `migrations:blank [project] <name>`: an empty migration (formatVersion 6) for hand-written
 * modifications. Prints the path of the new file.
 */
import { emptyMigrationContent, listMigrationDir, migrationFileName, nextVersion, serializeMigration, validateLabel, writeMigrationFile } from '../../migrations/files.js'
import { projectAndName, resolveProject } from '../context.js'
import { createOutput } from '../output.js'
import type { ProjectCommandArgs } from '../commands/options.js'

export interface BlankArgs extends ProjectCommandArgs {
	readonly name?: string
}

export const run = async (argv: BlankArgs): Promise<number | void> => {
	const output = createOutput(argv)
	const { project, name } = projectAndName(argv)
	const label = validateLabel(name)
	// one word is the name: argv.project would hold it, so the project comes from projectAndName only
	const context = await resolveProject({ ...argv, project })
	// only names are needed here: a broken file elsewhere must not prevent creating a new one
	const listing = await listMigrationDir(context.migrationsDir)
	const version = nextVersion(listing.files.map(it => it.version))
	const path = await writeMigrationFile(context.migrationsDir, migrationFileName(version, label), serializeMigration(emptyMigrationContent()))
	if (output.jsonMode) output.json({ path, name: `${version}-${label}`, version })
	else output.info(path)
}
