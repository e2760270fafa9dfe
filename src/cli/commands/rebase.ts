/**
 * `migrations:rebase [project] <migration...>`: move local migrations after the newest one
 * (typically after upstream migrations arrived with earlier versions). Renames the files and the
 * local ledger rows together; no SQL runs. Development only: refuses non-local databases.
 */
import type { CommandModule } from 'yargs'
import type { RebaseArgs } from '../run/rebase.js'
import { devDatabaseOptions, lazyHandler } from './options.js'

const rebase: CommandModule<object, RebaseArgs> = {
	// optional for yargs so that names after `--` count; at least one is required below
	command: 'migrations:rebase [migrations...]',
	describe: 'give local migrations new versions after the newest migration (files and local ledger renamed together)',
	builder: yargs =>
		devDatabaseOptions(yargs)
			.usage('$0 migrations:rebase <migrations...>')
			.positional('migrations', { type: 'string', array: true, describe: 'migrations to move (name, version or label); they keep their relative order' })
			.example('$0 migrations:rebase add-tags add-tag-index', 'after pulling upstream migrations, move mine after them'),
	handler: lazyHandler(() => import('../run/rebase.js')),
}

export default rebase
