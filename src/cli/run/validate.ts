/**
 * `project:validate [project]`: the declared schema, every migration file and the replayed
 * schema are valid, and the declared schema holds no change that no migration holds.
 * Exit 1 otherwise, listing every problem. The checks are the API's validateProject.
 */
import { validateProject } from '../../api/validate.js'
import { StrataError, ValidationError } from '../../errors.js'
import { resolveProject } from '../context.js'
import { createOutput } from '../output.js'
import type { ProjectCommandArgs } from '../commands/options.js'

export interface ValidateArgs extends ProjectCommandArgs {
	readonly eachMigration?: boolean
	readonly schema?: string
}

export const run = async (argv: ValidateArgs): Promise<number | void> => {
	const output = createOutput(argv)
	const { color } = output
	const context = await resolveProject(argv)
	const result = await validateProject(context, { eachMigration: argv.eachMigration === true })
	const { problems } = result
	if (output.jsonMode) {
		output.json({ valid: result.valid, migrationsDir: result.migrationsDir, migrations: result.migrations, declaredSchema: result.declaredSchema, problems })
	} else {
		for (const stage of result.stages) output.info(`${stage.ok ? color.green('✓') : color.red('✗')} ${stage.message}`)
	}
	if (problems.length === 0) return
	if (output.jsonMode) throw new StrataError('PROJECT_INVALID', `The project is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}; see the JSON output).`)
	throw new ValidationError(`The project is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}):`, problems, 'PROJECT_INVALID')
}
