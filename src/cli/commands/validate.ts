/**
 * `project:validate [project]`: the declared schema, every migration file and the replayed
 * schema are valid, and the declared schema holds no change that no migration holds.
 * Exit 1 otherwise, listing every problem.
 */
import type { CommandModule } from 'yargs'
import type { ValidateArgs } from '../run/validate.js'
import { lazyHandler } from './options.js'

const validate: CommandModule<object, ValidateArgs> = {
	command: 'project:validate [project]',
	describe: 'validate the declared schema, every migration file and the replayed schema, and check that migrations hold every declared change',
	builder: yargs =>
		yargs
			.positional('project', { type: 'string', describe: 'project name, when strata.config.json declares several projects' })
			.option('each-migration', {
				type: 'boolean',
				describe: 'validate the schema after every migration, as Contember does (also finds problems a later migration fixed; slow on long histories)',
			}),
	handler: lazyHandler(() => import('../run/validate.js')),
}

export default validate
