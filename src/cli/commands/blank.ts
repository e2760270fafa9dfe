/**
 * `migrations:blank [project] <name>`: an empty migration (formatVersion 6) for hand-written
 * modifications. Prints the path of the new file.
 */
import type { CommandModule } from 'yargs'
import { emptyMigrationContent, listMigrationDir, migrationFileName, nextVersion, serializeMigration, validateLabel, writeMigrationFile } from '../../migrations/files.js'
import { projectAndName, resolveProject } from '../context.js'
import { createOutput } from '../output.js'

interface BlankArgs {
	readonly name?: string
	readonly project?: string
	readonly cwd?: string
	readonly config?: string
	readonly color?: boolean
	readonly json?: boolean
}

const blank: CommandModule<object, BlankArgs> = {
	// both optional for yargs so that `-- <name>` works; projectAndName requires the name
	command: 'migrations:blank [project] [name]',
	describe: 'create an empty migration file for hand-written modifications',
	builder: yargs =>
		yargs
			.positional('name', { type: 'string', describe: 'label of the migration: lower-case letters, digits and dashes (e.g. add-categories)' })
			.positional('project', { type: 'string', describe: 'project name, when strata.config.json declares several projects' })
			.usage('$0 migrations:blank [project] <name>')
			.example('$0 migrations:blank backfill-slugs', 'creates migrations/<version>-backfill-slugs.json'),
	handler: async argv => {
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
	},
}

export default blank
