/**
 * Drift: the live database compared with the schema its executed migrations describe (replayed
 * from the content stored in the ledger, or from the files of the executed versions).
 */
import { detectDrift, type DriftResult } from '../db/drift.js'
import { ledgerSchemaFor, withConnection, type DatabaseOptions } from './database.js'
import type { StrataProject } from './project.js'

export interface DriftOptions extends DatabaseOptions {
	readonly project: StrataProject
	/** the PostgreSQL schema holding the project's tables (default `public`) */
	readonly schemaName?: string
	/** replay the ledger's stored content (default) or the files of the executed versions */
	readonly source?: 'ledger' | 'files'
	/** globs on `table`, `table.column` or an enum name to leave out; `*` and `?` stay within one name */
	readonly ignore?: readonly string[]
}

export interface ProjectDrift extends DriftResult {
	/** host, port, database and user; never the password */
	readonly database: string
	/** no difference (after the ignores) */
	readonly inSync: boolean
}

/** Compares the live catalog with the executed migrations. Reads only. */
export const detectProjectDrift = async (options: DriftOptions): Promise<ProjectDrift> => {
	const { project } = options
	const ledgerSchema = ledgerSchemaFor(options, project.config)
	return withConnection(options.database, 'strata db:drift', async ({ client, description }) => {
		const result = await detectDrift(client, {
			ledgerSchema, schemaName: options.schemaName ?? 'public', source: options.source ?? 'ledger', migrationsDir: project.migrationsDir, ignore: options.ignore ?? [],
		})
		return { ...result, database: description, inSync: result.items.length === 0 }
	})
}
