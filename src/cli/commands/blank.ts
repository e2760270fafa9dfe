/**
 * `migrations:blank [project] <name>`: an empty migration (formatVersion 6) for hand-written
 * modifications. Prints the path of the new file.
 */
import type { CommandModule } from 'yargs'
import type { BlankArgs } from '../run/blank.js'
import { lazyHandler } from './options.js'

const blank: CommandModule<object, BlankArgs> = {
	// both optional for yargs so that `-- <name>` works; projectAndName requires the name
	command: 'migrations:blank [project] [name]',
	describe: 'create an empty migration file for hand-written modifications',
	builder: yargs =>
		yargs
			.positional('name', { type: 'string', describe: 'label of the migration: lower-case letters, digits and dashes (e.g. add-categories)' })
			.positional('project', { type: 'string', describe: 'project name, when strata.config.json declares several projects' })
			.option('sql', { type: 'boolean', describe: 'start with one hand-written SQL step (executeSql, a strata extension Contember cannot read)' })
			.usage('$0 migrations:blank [project] <name>')
			.example('$0 migrations:blank backfill-slugs', 'creates migrations/<version>-backfill-slugs.json')
			.example('$0 migrations:blank backfill-slugs --sql', 'the same, holding one SQL step to edit'),
	handler: lazyHandler(() => import('../run/blank.js')),
}

export default blank
