/**
 * `schema:export [project]`: replays and validates the migration history, then writes the
 * schema it builds as the declared schema. Right after an export, project:validate passes and
 * migrations:diff has nothing to do. `--format json` writes schema/schema.json, `--format ts` a
 * module in the definition DSL (schema/index.ts). An existing schema file is replaced only with
 * --force; a schema.json is never written where a schema module would shadow it, while a module
 * written beside a schema.json shadows it, which is said.
 */
import { relative } from 'node:path'
import { exportProjectSchema } from '../../api/adoption.js'
import { resolveProject } from '../context.js'
import { createOutput } from '../output.js'
import type { ProjectCommandArgs } from '../commands/options.js'
import type { SchemaFormat } from '../schemaFormats.js'

export interface ExportArgs extends ProjectCommandArgs {
	readonly from?: 'migrations'
	readonly format?: SchemaFormat
	readonly force?: boolean
}

export const run = async (argv: ExportArgs): Promise<number | void> => {
	const output = createOutput(argv)
	const context = await resolveProject(argv)
	const { path: target, format, migrations, schema, shadowed } = await exportProjectSchema(context, { format: argv.format ?? 'json', force: argv.force === true })
	const entities = Object.keys(schema.model.entities).length
	const shown = (path: string) => relative(process.cwd(), path) || path
	if (output.jsonMode) output.json({ path: target, format, migrations, entities, ...(shadowed ? { shadowed } : {}) })
	else output.info(`Wrote ${shown(target)}: the schema of ${migrations} migration${migrations === 1 ? '' : 's'} (${entities} entit${entities === 1 ? 'y' : 'ies'}). Edit it and run "strata migrations:diff <name>".`)
	if (shadowed) output.warn(`${shown(shadowed)} is no longer read: strata reads ${shown(target)} before it. Delete it once you have checked the module.`)
}
