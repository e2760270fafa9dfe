/**
 * `migrations:baseline [project] <name>`: see src/db/baseline.ts. Refused when the project has
 * migrations already, when the ledger records any, and when the database differs from the
 * declared schema (the differences are listed as db:drift lists them).
 */
import { baselineProject } from '../../api/adoption.js'
import { validateLabel } from '../../migrations/files.js'
import { lockWaitMessage } from '../../db/lock.js'
import { StrataError } from '../../errors.js'
import { loadDeclaredSchema, projectSchemaOptions } from '../../schema/loader.js'
import { projectAndName, resolveProject } from '../context.js'
import { createOutput } from '../output.js'
import { driftJson, ignorePatterns, printIgnored, printRefusingDrift } from './drift.js'
import { ledgerSchemaOf, withDatabase, type DatabaseCommandArgs } from './status.js'

export interface BaselineArgs extends DatabaseCommandArgs {
	readonly name?: string
	readonly dbSchema?: string
	readonly ignore?: readonly string[]
}

export const run = async (argv: BaselineArgs): Promise<number | void> => {
	const output = createOutput(argv)
	const { project, name } = projectAndName(argv)
	validateLabel(name)
	const context = await resolveProject({ ...argv, project })
	const ledgerSchema = ledgerSchemaOf(argv, context)
	const schemaName = argv.dbSchema ?? 'public'
	const ignore = ignorePatterns(argv)
	const declared = await loadDeclaredSchema(projectSchemaOptions(context))
	return withDatabase(argv, context, output, 'strata migrations:baseline', async database => {
		if (!output.jsonMode) output.note(`Database: ${database.description}, schema ${schemaName}, ledger ${ledgerSchema}.migrations`)
		const result = await baselineProject({
			project: context, database: database.client, name, declared: declared.schema, ledgerSchema, schemaName, ignore,
			onLockWait: holders => output.note(lockWaitMessage(holders)),
		})
		if (!result.recorded) {
			printRefusingDrift(`The database differs from the declared schema (${declared.source}) in ${result.drift.length} place${result.drift.length === 1 ? '' : 's'}:`,
				result.drift, result.ignored, ignore, output)
			throw new StrataError('DATABASE_DIFFERS', 'migrations:baseline records a migration as executed only when the database equals the declared schema. '
				+ 'Change the declared schema (or the database) until the list above is empty, then run it again. Nothing was written or recorded.')
		}
		if (output.jsonMode) {
			output.json({
				recorded: true, path: result.path, name: result.migration.name, version: result.migration.version, modifications: result.migration.modifications.length,
				warnings: result.compatibility, ignored: driftJson([], result.ignored).ignored,
			})
			return
		}
		// the file is read by Contember 2.0.x as well; a step that uses a newer feature says what 2.0.x does with it
		for (const warning of result.compatibility) output.warn(`modification #${warning.index} (${warning.modification}): ${warning.message} [${warning.code}]`)
		output.info(`Wrote ${result.path} (${result.migration.modifications.length} modifications) and recorded it in ${ledgerSchema}.migrations as executed, without running it: the database already equals the declared schema${result.ignored.length > 0 ? ' (but for what --ignore left out, listed below)' : ''}.`)
		// what --ignore left out stays in the database but not in the migration: name every object
		printIgnored(result.ignored, ignore, output)
	})
}
