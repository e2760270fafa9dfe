/**
 * `migrations:lint [project] [migrations...]`: risky patterns in migrations, with stable codes
 * (L001…, docs/online.md "Lint rules"): table rewrites, index builds and constraint checks that
 * block writes, NOT NULL without a fill, narrowing and uncastable type changes, drops. Each
 * finding may be accepted in its migration file with a reason (`strata.lint.allow`).
 * `--check` exits 3 when an unaccepted finding at or above `--fail-on` remains.
 */
import type { CommandModule } from 'yargs'
import type { LintArgs } from '../run/lint.js'
import { lazyHandler } from './options.js'

const lint: CommandModule<object, LintArgs> = {
	command: 'migrations:lint [project] [migrations...]',
	describe: 'report risky patterns in migrations (locks, rewrites, failing casts, drops) with stable codes',
	builder: yargs =>
		yargs
			.positional('project', { type: 'string', describe: 'project name, when strata.config.json declares several projects (else the first migration)' })
			.positional('migrations', { type: 'string', array: true, describe: 'migration names, versions or unique labels (default: all; with --database-url, the pending ones)' })
			.option('database-url', { type: 'string', requiresArg: true, describe: 'read the table sizes (for L001) and constraint and index names from this database, and lint its pending migrations by default; without it lint is offline (DATABASE_URL is not read)' })
			.option('db-schema', { type: 'string', requiresArg: true, default: 'public', describe: 'with --database-url: the schema migrations:execute creates the tables in' })
			.option('ledger-schema', { type: 'string', requiresArg: true, describe: 'with --database-url: schema of the ledger table, to know the pending migrations (default: config ledgerSchema, else "strata")' })
			.option('large-table', { type: 'number', requiresArg: true, describe: `with --database-url: the rows from which a table is large for L001 (default: config largeTableRows, else ${(1_000_000).toLocaleString('en-US')})` })
			.option('check', { type: 'boolean', describe: 'exit 3 when a finding not allowed in its migration is at or above --fail-on (CI gate)' })
			.option('fail-on', { choices: ['error', 'warning', 'notice'] as const, default: 'warning' as const, describe: 'with --check: the weakest severity that fails' })
			.example('$0 migrations:lint', 'every migration, offline')
			.example('$0 migrations:lint --database-url "$DATABASE_URL" --check', 'the pending migrations, with table sizes; exit 3 on a finding'),
	handler: lazyHandler(() => import('../run/lint.js')),
}

export default lint
