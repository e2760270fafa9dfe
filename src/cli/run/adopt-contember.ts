/**
 * `migrations:adopt-contember [project]`: see src/db/adoptContember.ts. Refused when strata's
 * ledger records anything, when the files do not match what Contember executed, and when the
 * stage schema differs from the executed migrations (listed as db:drift lists them).
 */
import { adoptContemberProject } from '../../api/adoption.js'
import { lockWaitMessage } from '../../db/lock.js'
import { StrataError } from '../../errors.js'
import { resolveProject } from '../context.js'
import { createOutput } from '../output.js'
import { driftJson, ignorePatterns, printIgnored, printRefusingDrift } from './drift.js'
import { ledgerSchemaOf, withDatabase, type DatabaseCommandArgs } from './status.js'

export interface AdoptContemberArgs extends DatabaseCommandArgs {
	readonly systemSchema?: string
	readonly dbSchema?: string
	readonly ignore?: readonly string[]
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

export const run = async (argv: AdoptContemberArgs): Promise<number | void> => {
	const output = createOutput(argv)
	const context = await resolveProject(argv)
	const ledgerSchema = ledgerSchemaOf(argv, context)
	const schemaName = argv.dbSchema ?? 'stage_live'
	const systemSchema = argv.systemSchema ?? 'system'
	const ignore = ignorePatterns(argv)
	return withDatabase(argv, context, output, 'strata migrations:adopt-contember', async database => {
		if (!output.jsonMode) output.note(`Database: ${database.description}, registry ${systemSchema}.schema_migration, tables in ${schemaName}, ledger ${ledgerSchema}.migrations`)
		const result = await adoptContemberProject({
			project: context, database: database.client, ledgerSchema, systemSchema, schemaName, ignore,
			onLockWait: holders => output.note(lockWaitMessage(holders)),
		})
		if (!result.recorded) {
			printRefusingDrift(`The tables in ${schemaName} differ from the schema of the migrations Contember executed in ${plural(result.drift.length, 'place')}:`,
				result.drift, result.ignored, ignore, output)
			throw new StrataError('DATABASE_DIFFERS', 'migrations:adopt-contember records the executed migrations only when the tables equal their schema. '
				+ 'Find out why they differ (db:drift lists the same items) and fix the database, or pass --ignore for what the migrations do not manage. Nothing was recorded.')
		}
		if (output.jsonMode) {
			output.json({
				recorded: true, executed: result.executed.map(file => file.name), pending: result.pending.map(file => file.name),
				contentMigrations: result.contentMigrations, ignored: driftJson([], result.ignored).ignored,
			})
			return
		}
		const newest = result.executed[result.executed.length - 1]!
		output.info(`Recorded ${plural(result.executed.length, 'migration')} (up to ${newest.name}) in ${ledgerSchema}.migrations as executed, without running them: Contember executed them and the tables in ${schemaName} equal their schema.`)
		if (result.contentMigrations.length > 0) {
			output.note(`${plural(result.contentMigrations.length, 'content migration')} in the registry (${result.contentMigrations.join(', ')}): strata runs schema migrations only, so they are not recorded.`)
		}
		printIgnored(result.ignored, ignore, output)
		if (result.pending.length > 0) {
			output.info(`${plural(result.pending.length, 'newer migration')} pending: run "strata migrations:execute --db-schema ${schemaName}".`)
		}
	})
}
