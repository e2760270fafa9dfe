/**
 * `schema:export [project]`: replays and validates the migration history, then writes the
 * schema it builds as the declared schema. Right after an export, project:validate passes and
 * migrations:diff has nothing to do. `--format json` writes schema/schema.json, `--format ts` a
 * module in the definition DSL (schema/index.ts). An existing schema file is replaced only with
 * --force; a schema.json is never written where a schema module would shadow it, while a module
 * written beside a schema.json shadows it, which is said.
 */
import { existsSync } from 'node:fs'
import { relative } from 'node:path'
import { StrataError, ValidationError } from '../../errors.js'
import { readMigrations } from '../../migrations/files.js'
import { validateHistory } from '../../migrations/replay.js'
import { resolveProject } from '../context.js'
import { createOutput } from '../output.js'
import type { ProjectCommandArgs } from '../commands/options.js'
import { declaredSchemaTarget, shadowedSchemaFile, writeDeclaredSchema } from './declaredSchemaFile.js'
import type { SchemaFormat } from '../schemaFormats.js'

export interface ExportArgs extends ProjectCommandArgs {
	readonly from?: 'migrations'
	readonly format?: SchemaFormat
	readonly force?: boolean
}

export const run = async (argv: ExportArgs): Promise<number | void> => {
	const output = createOutput(argv)
	const context = await resolveProject(argv)
	const format = argv.format ?? 'json'
	const target = declaredSchemaTarget(context.root, context.schemaPath, format)
	if (!existsSync(context.migrationsDir)) {
		throw new StrataError('MIGRATIONS_DIR_MISSING', `The migrations directory ${context.migrationsDir} does not exist: there is no history to export.`)
	}
	const files = await readMigrations(context.migrationsDir)
	const history = validateHistory(files)
	if (history.problems.length > 0) {
		throw new ValidationError(`The migrations build a schema that is not valid, so it cannot be the declared schema (${history.problems.length} problem${history.problems.length === 1 ? '' : 's'}); nothing was written:`, history.problems, 'HISTORY_INVALID')
	}
	await writeDeclaredSchema(target, history.schema, format, argv.force === true)
	const entities = Object.keys(history.schema.model.entities).length
	const shadowed = format === 'ts' ? shadowedSchemaFile(target) : undefined
	const shown = (path: string) => relative(process.cwd(), path) || path
	if (output.jsonMode) output.json({ path: target, format, migrations: files.length, entities, ...(shadowed ? { shadowed } : {}) })
	else output.info(`Wrote ${shown(target)}: the schema of ${files.length} migration${files.length === 1 ? '' : 's'} (${entities} entit${entities === 1 ? 'y' : 'ies'}). Edit it and run "strata migrations:diff <name>".`)
	if (shadowed) output.warn(`${shown(shadowed)} is no longer read: strata reads ${shown(target)} before it. Delete it once you have checked the module.`)
}
