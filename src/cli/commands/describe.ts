/**
 * `migrations:describe [project] [migration]`: what one migration (default: the latest) does,
 * step by step — description, destructive steps in red with the reason, warnings with their
 * codes — and the SQL of each step with the locks each statement takes. `--sql-only` prints one
 * psql-ready script (refused when it would hold a psql meta-command), `--no-sql` only the
 * descriptions, `--json` an array of `{ index, modification, message, destructive, warnings, sql, statements }`.
 *
 * The SQL is generated offline unless `--database-url` is given: then constraint and index
 * names PostgreSQL chose are read from that database's catalog (as execute would, for a
 * migration that has not run there yet).
 */
import type { CommandModule } from 'yargs'
import type { DescribeArgs } from '../run/describe.js'
import { lazyHandler } from './options.js'

const describe: CommandModule<object, DescribeArgs> = {
	command: 'migrations:describe [project] [migration]',
	describe: 'show the steps and SQL of one migration (default: the latest)',
	builder: yargs =>
		yargs
			.positional('project', { type: 'string', describe: 'project name, when strata.config.json declares several projects (with one word, the word is the migration)' })
			.positional('migration', { type: 'string', describe: 'migration name, version or unique label (default: the latest)' })
			.option('sql-only', { type: 'boolean', describe: 'print only the SQL, as one script psql can run (no -- locks: lines); refused (exit 1) when psql could read a meta-command in it' })
			.option('sql', { type: 'boolean', default: true, describe: 'print the SQL of each step; --no-sql prints only the descriptions' })
			.option('database-url', { type: 'string', requiresArg: true, describe: 'resolve constraint and index names, and read the sizes of the tables each statement locks, from this database (default: offline, names resolved at execution)' })
			.option('db-schema', { type: 'string', requiresArg: true, default: 'public', describe: 'with --database-url: the schema migrations:execute creates the tables in (its --db-schema)' })
			.option('large-table', { type: 'number', requiresArg: true, describe: `with --database-url: mark statements that block writes while rewriting or scanning a table of at least this many rows (default: config largeTableRows, else ${(1_000_000).toLocaleString('en-US')})` })
			.example('$0 migrations:describe', 'the latest migration, step by step')
			.example('$0 migrations:describe 2024-05-01-120000 --sql-only | psql -v ON_ERROR_STOP=1', 'run one migration\'s SQL by hand')
			.example('$0 migrations:describe --database-url "$DATABASE_URL" --large-table 100000', 'locks, with the size of each table, and the steps that block writes on a large one'),
	handler: lazyHandler(() => import('../run/describe.js')),
}

export default describe
