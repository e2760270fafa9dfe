/**
 * `migrations:diff [project] <name>`: diff the declared schema against the one the migrations
 * build, ask about renames and fill values, show the steps, confirm, write the file.
 * Planning (diffSchemas) and writing are apart: nothing is written before the confirmation,
 * and Ctrl-C at any question leaves nothing behind.
 */
import type { CommandModule } from 'yargs'
import type { DiffArgs } from '../run/diff.js'
import { databaseOptions, lazyHandler, schemaOption } from './options.js'

const diffCommand: CommandModule<object, DiffArgs> = {
	// both optional for yargs so that `-- <name>` works; projectAndName requires the name
	command: 'migrations:diff [project] [name]',
	describe: 'write a migration turning the migrated schema into the declared one',
	builder: yargs =>
		databaseOptions(yargs)
			.usage('$0 migrations:diff [project] <name>')
			.option('schema', schemaOption)
			.positional('name', { type: 'string', describe: 'label of the migration: lower-case letters, digits and dashes (e.g. add-categories)' })
			.option('yes', { alias: 'y', type: 'boolean', describe: 'write without asking (renames: only from --rename/--renames)' })
			.option('dry-run', { type: 'boolean', describe: 'print the would-be migration, write nothing' })
			.option('execute', { type: 'boolean', describe: 'run migrations:execute right after writing' })
			.option('recreate-views', { type: 'boolean', describe: 'drop and recreate changed views instead of CREATE OR REPLACE VIEW' })
			.option('rename', { type: 'string', array: true, nargs: 1, requiresArg: true, describe: 'a rename: Entity:NewEntity or Entity.oldField:newField (repeatable)' })
			.option('renames', { type: 'string', requiresArg: true, describe: 'JSON file of renames: { "Entity": "NewEntity", "Entity.old": "new", "Entity.gone": null }' })
			.option('fill', { type: 'string', array: true, nargs: 1, requiresArg: true, describe: 'value for existing rows of a new NOT NULL column: Entity.field=value (repeatable)' })
			.option('copy', { type: 'string', array: true, nargs: 1, requiresArg: true, describe: 'fill existing rows from another field: Entity.field=otherField (repeatable)' })
			.option('using', { type: 'string', array: true, nargs: 1, requiresArg: true, describe: 'convert a type change PostgreSQL cannot cast: Entity.field=<SQL expression of the old row> (repeatable; a strata extension Contember cannot run, see docs/diff.md)' })
			.option('destructive', { type: 'boolean', default: true, describe: '--no-destructive refuses to write a migration with destructive steps (data loss)' })
			.option('online', { type: 'boolean', describe: 'mark the migration online ("strata": { "online": true }): executed step by step and resumably, indexes built CONCURRENTLY, constraints added NOT VALID then validated (default: config online; --no-online writes no marker; see docs/online.md)' })
			.option('expand-contract', { type: 'boolean', describe: 'a change that is not backward compatible (a rename, a new NOT NULL, a removal) is written as two migrations, <name>-expand and <name>-contract, with compatibility triggers and views in between (default: config expandContract; see docs/zero-downtime.md)' })
			.option('allow-failing', { type: 'boolean', describe: 'write even when a NOT NULL step has no fill value (fine for empty tables)' })
			.example('$0 migrations:diff add-categories', 'diff, ask, confirm and write migrations/<version>-add-categories.json')
			.example('$0 migrations:diff rename-title --yes --rename Post.title:headline', 'non-interactive, with a rename'),
	handler: lazyHandler(() => import('../run/diff.js')),
}

export default diffCommand
