/**
 * `project:validate [project]`: the declared schema, every migration file and the replayed
 * schema are valid, and the declared schema holds no change that no migration holds.
 * Exit 1 otherwise, listing every problem.
 */
import type { CommandModule } from 'yargs'
import type { ValidateArgs } from '../run/validate.js'
import { lazyHandler, schemaOption } from './options.js'

const validate: CommandModule<object, ValidateArgs> = {
	command: 'project:validate [project]',
	describe: 'validate the declared schema, every migration file and the replayed schema, and check that migrations hold every declared change',
	builder: yargs =>
		yargs
			.positional('project', { type: 'string', describe: 'project name, when strata.config.json declares several projects' })
			.option('schema', schemaOption)
			.option('each-migration', {
				type: 'boolean',
				describe: 'validate the schema after every migration, as Contember does (also finds problems a later migration fixed; slow on long histories)',
			})
			.example('$0 project:validate', 'check schema/, migrations/ and that no declared change lacks a migration (CI)')
			.example('$0 project:validate --schema schema/next.ts --json', 'the same for another declared schema, as one JSON document'),
	handler: lazyHandler(() => import('../run/validate.js')),
}

export default validate
