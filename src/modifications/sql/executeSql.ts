/**
 * executeSql `{ sql | file, transactional?, down? }`: strata's hand-written SQL step (not Contember's;
 * a file holding one declares `"strata": { "extensions": ["executeSql"] }`). A data change in
 * sequence with the schema steps: a backfill between a new column and its NOT NULL, a cleanup
 * before a unique constraint. It does not change the replayed schema; strata neither checks nor
 * follows what its SQL does, so DDL in it is warned about (S013) and db:drift will see it.
 *
 * `transactional: false` runs each of its statements alone, outside the migration's transaction,
 * as steps the ledger records one by one (src/online/onlinePlan.ts); a killed run repeats the
 * statement that was running, so such SQL must be safe to run again. `down` is the SQL that undoes
 * it, for migrations:rollback.
 */
import { splitSqlStatements, ddlStatements } from '../../sql/splitStatements.js'
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'
import { WarningCode, warning } from '../warnings.js'

export interface ExecuteSqlData {
	/** the statements; a step written with `file` has them filled in from that file when it is read (src/migrations/parse.ts) */
	readonly sql: string
	/** `<name>.sql` beside the migration file, instead of `sql` */
	readonly file?: string
	/** default true: inside the migration's transaction */
	readonly transactional?: boolean
	/** the SQL undoing it (migrations:rollback); without it the step cannot be rolled back */
	readonly down?: string
	/**
	 * written by `migrations:diff --expand-contract`: it installs or removes the compatibility
	 * objects of an expand/contract pair (triggers, a view, a NOT VALID check, each commented
	 * `strata compatibility`), which are not part of the model and which db:drift leaves out, so
	 * its DDL is not warned about (S013)
	 */
	readonly compatibility?: boolean
}

/** the statement's first line of SQL, leading comments left out, for a message */
const firstLine = (statement: string) => {
	const code = statement.replace(/^(?:\s*(?:--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/))*/, '')
	const line = code.split('\n').find(it => it.trim() !== '')?.trim() ?? statement.trim()
	return line.length > 60 ? `${line.slice(0, 59)}…` : line
}

export const executeSqlModification = defineModification<ExecuteSqlData>({
	id: 'executeSql',
	docs: {
		category: 'sql',
		summary: 'Runs hand-written SQL: `sql` (one or more statements) or `file` (a `.sql` file beside the migration); `transactional: false` runs each statement alone outside the migration\'s transaction; `down` undoes it (`migrations:rollback`); `compatibility: true` marks the steps `migrations:diff --expand-contract` writes for the objects of an expand/contract pair ([zero-downtime.md](zero-downtime.md)), whose DDL is not warned about. It does not change the replayed schema. Not a Contember modification: a file holding one declares `"strata": { "extensions": ["executeSql"] }` and Contember refuses to read it ([migration-format.md](migration-format.md#hand-written-sql-steps-executesql)).',
		origin: 'strata',
		writtenByDiff: false,
		sql: 'its statements, as written, in order',
		destructive: false,
		warnings: ['S013'],
		example: { sql: 'UPDATE post SET slug = lower(title) WHERE slug IS NULL', down: 'UPDATE post SET slug = NULL' },
	},
	dataSchema: {
		type: 'object',
		anyOf: [{ required: ['sql'] }, { required: ['file'] }],
		properties: {
			sql: { type: 'string', minLength: 1, pattern: '\\S' },
			// a file beside the migration: no directory, no way out of it
			file: { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*\\.sql$' },
			transactional: { type: 'boolean' },
			down: { type: 'string' },
			compatibility: { type: 'boolean' },
		},
		additionalProperties: false,
	},
	apply: schema => schema,
	sql: (builder, _schema, data) => {
		for (const statement of splitSqlStatements(data.sql)) builder.statement(statement)
	},
	describe: data => {
		const statements = splitSqlStatements(data.sql)
		const ddl = ddlStatements(statements)
		const count = `${statements.length} statement${statements.length === 1 ? '' : 's'}`
		const where = data.transactional === false ? ', each alone outside the migration\'s transaction' : ''
		if (data.compatibility === true) return describeStep(`Expand/contract step (${count}${where}): SQL that keeps the old and the new shape working together; the objects it creates are commented "strata compatibility" and left out by db:drift`, {})
		return describeStep(`Run hand-written SQL (${count}${where}; not checked by strata)`, {
			warnings: [
				ddl.length > 0 && warning(WarningCode.sqlStepChangesStructure,
					`the SQL step changes structure (${ddl.map(firstLine).join('; ')}): strata does not follow it into the schema it replays, and db:drift will report the difference`),
			],
		})
	},
})
