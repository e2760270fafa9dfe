/**
 * `migrations:blank [project] <name> [--sql]`: an empty migration (formatVersion 6) for
 * hand-written modifications; with --sql, one hand-written SQL step (executeSql) ready for
 * editing, which marks the file as strata's. Prints the path of the new file.
 */
import { emptyMigrationContent, listMigrationDir, migrationFileName, nextVersion, serializeMigration, validateLabel, writeMigrationFile } from '../../migrations/files.js'
import { projectAndName, resolveProject } from '../context.js'
import { looksContemberMade } from '../contemberHistory.js'
import { contemberCannotRun } from '../../migrations/strataOnly.js'
import { createOutput } from '../output.js'
import type { ProjectCommandArgs } from '../commands/options.js'

export interface BlankArgs extends ProjectCommandArgs {
	readonly name?: string
	/** one executeSql step to edit */
	readonly sql?: boolean
}

/** the SQL step --sql starts with: a statement that does nothing until it is edited */
const SQL_STEP_TEMPLATE = '-- a data change, run in the migration\'s transaction: replace this with your statements\nSELECT 1'

export const run = async (argv: BlankArgs): Promise<number | void> => {
	const output = createOutput(argv)
	const { project, name } = projectAndName(argv)
	const label = validateLabel(name)
	// one word is the name: argv.project would hold it, so the project comes from projectAndName only
	const context = await resolveProject({ ...argv, project })
	// only names are needed here: a broken file elsewhere must not prevent creating a new one
	const listing = await listMigrationDir(context.migrationsDir)
	const version = nextVersion(listing.files.map(it => it.version))
	const fileName = migrationFileName(version, label)
	const content = argv.sql
		? { ...emptyMigrationContent(), modifications: [{ modification: 'executeSql', sql: SQL_STEP_TEMPLATE }], strata: { extensions: ['executeSql' as const] } }
		: emptyMigrationContent()
	const path = await writeMigrationFile(context.migrationsDir, fileName, serializeMigration(content))
	const warning = argv.sql && (await looksContemberMade(context.root, context.migrationsDir))
		? `${contemberCannotRun(fileName, ['executeSql'])} This project looks Contember-made: its Contember tooling will refuse the file.`
		: undefined
	if (output.jsonMode) output.json({ path, name: `${version}-${label}`, version, ...(warning ? { warnings: [{ code: 'strata-only', message: warning }] } : {}) })
	else {
		output.info(path)
		if (warning) output.warn(warning)
	}
}
