/**
 * `db:introspect [project]`: write the declared schema of a live database strata did not
 * create, reporting every object the schema cannot declare, so that the database can be
 * adopted with migrations:baseline next.
 */
import type { CommandModule } from 'yargs'
import type { IntrospectArgs } from '../run/introspect.js'
import { SCHEMA_FORMATS } from '../schemaFormats.js'
import { databaseOptions, lazyHandler, schemaOption } from './options.js'

const introspect: CommandModule<object, IntrospectArgs> = {
	command: 'db:introspect [project]',
	describe: 'write the declared schema (schema/schema.json) from a live database strata did not create',
	builder: yargs =>
		databaseOptions(yargs)
			.option('db-schema', { type: 'string', requiresArg: true, default: 'public', describe: 'the PostgreSQL schema to read (strata\'s ledger tables are left out when the ledger is in it)' })
			.option('schema', { ...schemaOption, describe: 'where to write the declared schema (a .json or .ts file, or a folder), relative to the project directory (default: config schema, else schema/)' })
			.option('format', { choices: SCHEMA_FORMATS, default: 'json' as const, describe: 'json: schema/schema.json (or the .json file the config names); ts: schema/index.ts in the definition DSL (or the .ts file or folder the config names)' })
			.option('force', { type: 'boolean', describe: 'replace an existing schema file (without it an existing file is an error, checked before connecting)' })
			.example('$0 db:introspect --database-url postgres://…', 'writes schema/schema.json and lists what it cannot declare')
			.example('$0 db:introspect --json --database-url postgres://…', 'the mapping and the undeclared objects as one JSON document'),
	handler: lazyHandler(() => import('../run/introspect.js')),
}

export default introspect
