/**
 * `migrations:amend [migration]`: fold the declared schema's new edits into an existing
 * migration (the latest by default), on disk and — when it ran there — in the local database,
 * where only the delta SQL runs and the ledger row is rewritten, in one transaction under the
 * migration lock. Development only: refuses non-local databases unless --allow-remote.
 */
import type { CommandModule } from 'yargs'
import type { AmendArgs } from '../run/amend.js'
import { devDatabaseOptions, lazyHandler, schemaOption } from './options.js'

const amend: CommandModule<object, AmendArgs> = {
	command: 'migrations:amend [migration]',
	describe: 'fold new declared-schema edits into the latest (or named) migration, on disk and in the local database',
	builder: yargs =>
		devDatabaseOptions(yargs)
			.positional('migration', { type: 'string', describe: 'the migration to amend (name, version or label; default: the latest)' })
			.option('schema', schemaOption)
			.option('yes', { alias: 'y', type: 'boolean', describe: 'do not ask for confirmation (required when stdin or stdout is not a terminal, and with --json)' })
			.option('remove-empty', { type: 'boolean', describe: 'when the amended migration becomes empty, remove it (file and ledger row)' })
			.option('keep-empty', { type: 'boolean', describe: 'when the amended migration becomes empty, keep it with no modifications' })
			.option('lock-timeout', { type: 'string', requiresArg: true, default: '10s', describe: 'PostgreSQL lock_timeout for the delta statements (0 = off)' })
			.option('rename', { type: 'string', array: true, requiresArg: true, describe: 'a rename in the new edits: Entity:NewEntity or Entity.oldField:newField (repeatable)' })
			.option('renames', { type: 'string', requiresArg: true, describe: 'JSON file of renames, as migrations:diff takes it' })
			.option('fill', { type: 'string', array: true, requiresArg: true, describe: 'value for existing rows of a new NOT NULL column: Entity.field=value (repeatable)' })
			.option('copy', { type: 'string', array: true, requiresArg: true, describe: 'fill existing rows from another field: Entity.field=otherField (repeatable)' })
			.option('using', { type: 'string', array: true, nargs: 1, requiresArg: true, describe: 'convert a type change PostgreSQL cannot cast: Entity.field=<SQL expression of the old row> (repeatable; a strata extension)' })
			.conflicts('remove-empty', 'keep-empty')
			.example('$0 migrations:amend --yes', 'fold the latest schema edits into the latest migration'),
	handler: lazyHandler(() => import('../run/amend.js')),
}

export default amend
