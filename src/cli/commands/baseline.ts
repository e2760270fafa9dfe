/**
 * `migrations:baseline [project] <name>`: the first migration of a database strata did not
 * build, written from the declared schema and recorded as executed without running it, once the
 * database is found to equal that schema.
 */
import type { CommandModule } from 'yargs'
import type { BaselineArgs } from '../run/baseline.js'
import { databaseOptions, ignoreOption, lazyHandler, schemaOption } from './options.js'

const baseline: CommandModule<object, BaselineArgs> = {
	command: 'migrations:baseline [project] [name]',
	describe: 'write the initial migration for the declared schema and record it as executed, after checking the database equals it',
	builder: yargs =>
		databaseOptions(yargs)
			.positional('name', { type: 'string', describe: 'label of the migration (e.g. initial)' })
			.option('schema', schemaOption)
			.option('db-schema', { type: 'string', requiresArg: true, default: 'public', describe: 'the PostgreSQL schema holding the tables' })
			.option('ignore', { ...ignoreOption, describe: `${ignoreOption.describe}: tables and columns managed outside the declared schema, as db:drift --ignore` })
			.usage('$0 migrations:baseline [project] <name>')
			.example('$0 migrations:baseline initial --database-url postgres://…', 'checks the database equals schema/, writes migrations/<version>-initial.json and records it as executed')
			.example('$0 migrations:baseline initial --ignore legacy_audit', 'the same, leaving out a table the schema does not declare'),
	handler: lazyHandler(() => import('../run/baseline.js')),
}

export default baseline
