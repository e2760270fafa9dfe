/**
 * An empty migration for hand-written modifications, or one holding a hand-written SQL step
 * (executeSql) ready for editing, which marks the file as strata's.
 */
import { emptyMigrationContent, listMigrationDir, migrationFileName, nextVersion, serializeMigration, validateLabel, writeMigrationFile } from '../migrations/files.js'
import { contemberCannotRun } from '../migrations/strataOnly.js'
import { looksContemberMade } from '../cli/contemberHistory.js'
import type { StrataProject } from './project.js'

/** the SQL step `sql: true` starts with: a statement that does nothing until it is edited */
const SQL_STEP_TEMPLATE = '-- a data change, run in the migration\'s transaction: replace this with your statements\nSELECT 1'

export interface BlankMigration {
	readonly path: string
	readonly name: string
	readonly version: string
	/** set when the file holds a SQL step in a project that looks Contember-made (its Contember tooling refuses the file) */
	readonly contemberWarning?: string
}

/**
 * Writes a new migration after the newest one: empty, or with one SQL step to edit (`sql: true`).
 * Only file names are read, so a broken file elsewhere does not prevent it.
 */
export const createBlankMigration = async (project: StrataProject, options: { readonly name: string; readonly sql?: boolean }): Promise<BlankMigration> => {
	const label = validateLabel(options.name)
	const listing = await listMigrationDir(project.migrationsDir)
	const version = nextVersion(listing.files.map(it => it.version))
	const fileName = migrationFileName(version, label)
	const content = options.sql
		? { ...emptyMigrationContent(), modifications: [{ modification: 'executeSql', sql: SQL_STEP_TEMPLATE }], strata: { extensions: ['executeSql' as const] } }
		: emptyMigrationContent()
	const path = await writeMigrationFile(project.migrationsDir, fileName, serializeMigration(content))
	const contemberWarning = options.sql && (await looksContemberMade(project.root, project.migrationsDir))
		? `${contemberCannotRun(fileName, ['executeSql'])} This project looks Contember-made: its Contember tooling will refuse the file.`
		: undefined
	return { path, name: `${version}-${label}`, version, ...(contemberWarning ? { contemberWarning } : {}) }
}
