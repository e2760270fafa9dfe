/**
 * `schema:export [project]`: replays and validates the migration history, then writes the
 * schema it builds as the declared schema. Right after an export, project:validate passes and
 * migrations:diff has nothing to do. An existing schema file is replaced only with --force; a
 * schema module (schema/index.ts), which the loader would read instead, is never shadowed.
 */
import { existsSync } from 'node:fs'
import { extname, join, relative } from 'node:path'
import { writeFileAtomically } from '../../atomicWrite.js'
import { StrataError, ValidationError } from '../../errors.js'
import { readMigrations } from '../../migrations/files.js'
import { validateHistory } from '../../migrations/replay.js'
import { resolveProject } from '../context.js'
import { createOutput } from '../output.js'
import type { ProjectCommandArgs } from '../commands/options.js'

export interface ExportArgs extends ProjectCommandArgs {
	readonly from?: 'migrations'
	readonly format?: 'json'
	readonly force?: boolean
}

/** where the JSON schema goes: the config's `schema` when it names a .json file (or a folder), else schema/schema.json */
const targetOf = (root: string, schemaPath: string | undefined): string => {
	if (schemaPath === undefined) {
		const module = join(root, 'schema', 'index.ts')
		if (existsSync(module)) {
			throw new StrataError('SCHEMA_MODULE_EXISTS', `${module} exists, and strata reads it before schema/schema.json: an exported schema.json would be ignored. `
				+ 'Move schema/index.ts away (or point "schema" in strata.config.json at a .json file) and export again. Nothing was written.')
		}
		return join(root, 'schema', 'schema.json')
	}
	if (extname(schemaPath) === '.json') return schemaPath
	if (extname(schemaPath) === '') {
		if (existsSync(join(schemaPath, 'index.ts'))) {
			throw new StrataError('SCHEMA_MODULE_EXISTS', `${join(schemaPath, 'index.ts')} exists, and strata reads it before schema.json in that folder. Nothing was written.`)
		}
		return join(schemaPath, 'schema.json')
	}
	throw new StrataError('SCHEMA_NOT_JSON', `strata.config.json names ${schemaPath} as the schema, which is not a .json file; --format json writes JSON. Point "schema" at a .json file. Nothing was written.`)
}

export const run = async (argv: ExportArgs): Promise<number | void> => {
	const output = createOutput(argv)
	const context = await resolveProject(argv)
	const target = targetOf(context.root, context.schemaPath)
	if (!existsSync(context.migrationsDir)) {
		throw new StrataError('MIGRATIONS_DIR_MISSING', `The migrations directory ${context.migrationsDir} does not exist: there is no history to export.`)
	}
	const files = await readMigrations(context.migrationsDir)
	const history = validateHistory(files)
	if (history.problems.length > 0) {
		throw new ValidationError(`The migrations build a schema that is not valid, so it cannot be the declared schema (${history.problems.length} problem${history.problems.length === 1 ? '' : 's'}); nothing was written:`, history.problems, 'HISTORY_INVALID')
	}
	await writeFileAtomically(target, `${JSON.stringify(history.schema, null, '\t')}\n`, {
		replace: argv.force === true,
		exists: () => new StrataError('SCHEMA_EXISTS', `${target} already exists. Pass --force to replace it. Nothing was written.`),
	})
	const entities = Object.keys(history.schema.model.entities).length
	if (output.jsonMode) output.json({ path: target, format: 'json', migrations: files.length, entities })
	else output.info(`Wrote ${relative(process.cwd(), target) || target}: the schema of ${files.length} migration${files.length === 1 ? '' : 's'} (${entities} entit${entities === 1 ? 'y' : 'ies'}). Edit it and run "strata migrations:diff <name>".`)
}
