/**
 * `schema:export [project]`: write the declared schema of an existing migration history, so a
 * Contember project moves to strata in one command.
 */
import type { CommandModule } from 'yargs'
import type { ExportArgs } from '../run/export.js'
import { SCHEMA_FORMATS } from '../schemaFormats.js'
import { lazyHandler, schemaOption } from './options.js'

const exportCommand: CommandModule<object, ExportArgs> = {
	command: 'schema:export [project]',
	describe: 'write the schema the migrations build as the declared schema (schema/schema.json, or schema/index.ts with --format ts)',
	builder: yargs =>
		yargs
			.positional('project', { type: 'string', describe: 'project name, when strata.config.json declares several projects' })
			.option('schema', { ...schemaOption, describe: 'where to write the declared schema (a .json or .ts file, or a folder), relative to the project directory (default: config schema, else schema/)' })
			.option('from', { choices: ['migrations'] as const, default: 'migrations' as const, describe: 'where the schema comes from: the replayed migration history' })
			.option('format', { choices: SCHEMA_FORMATS, default: 'json' as const, describe: 'json: schema/schema.json (or the .json file the config names); ts: schema/index.ts in the definition DSL (or the .ts file or folder the config names)' })
			.option('force', { type: 'boolean', describe: 'replace an existing schema file (without it an existing file is an error and nothing is written)' })
			.example('$0 schema:export', 'writes schema/schema.json from migrations/')
			.example('$0 schema:export --force', 'replaces schema/schema.json')
			.example('$0 schema:export --format ts', 'writes schema/index.ts, one entity() a table'),
	handler: lazyHandler(() => import('../run/export.js')),
}

export default exportCommand
