/**
 * `migrations:describe [project] [migration]`: what one migration (default: the latest) does,
 * step by step — description, destructive steps in red with the reason, warnings with their
 * codes — and the SQL of each step, each statement preceded by a `-- locks:` line (the lock it
 * takes on each table and what it does to the rows). `--sql-only` prints one psql-ready script
 * (refused when it would hold a psql meta-command), `--no-sql` only the descriptions, `--json`
 * an array of `{ index, modification, message, destructive, warnings, sql, statements }`.
 *
 * The SQL is generated offline unless `--database-url` is given: then constraint and index
 * names PostgreSQL chose are read from that database's catalog (as execute would, for a
 * migration that has not run there yet), and so are the sizes of the tables the statements
 * lock; a write-blocking lock held while a table of `--large-table` rows or more is rewritten
 * or scanned is marked.
 */
import { StrataError } from '../../errors.js'
import { looksLikeConnectionString, misplacedConnectionString } from '../../db/redact.js'
import { describeProjectMigration, type ExpandContractExplanation } from '../../api/history.js'
import type { DescribedModification } from '../../migrations/describe.js'
import { largeTableLocks, type DescribedStatement, type TableSize } from '../../migrations/describeLocks.js'
import type { MigrationFile } from '../../migrations/files.js'
import { findPsqlMetaCommand, type PsqlMetaCommand } from '../../sql/psqlSafety.js'
import { fillPositionals, resolveProject, type ProjectContext } from '../context.js'
import { createOutput, type Output } from '../output.js'
import { largeTableWarning, lockAnnotation, statementJson } from './describeLocksOutput.js'
import { withDatabase } from './status.js'
import type { ProjectCommandArgs } from '../commands/options.js'
import { largeTableThreshold } from '../largeTable.js'

export interface DescribeArgs extends ProjectCommandArgs {
	readonly migration?: string
	readonly sql?: boolean
	readonly sqlOnly?: boolean
	readonly databaseUrl?: string
	readonly largeTable?: number
	readonly dbSchema?: string
}

/** what describe knows about the tables with a database at hand: their sizes and what counts as large */
interface TableSizes {
	readonly sizes: ReadonlyMap<string, TableSize>
	readonly largeTableRows: number
}

/** the step's SQL with a `-- locks:` line before each statement (and a LARGE TABLE line under it when one applies) */
const stepSqlLines = (step: DescribedModification, output: Output, tables: TableSizes | undefined): string[] => {
	const { color } = output
	const sqlLines = (text: string, keepBlank: boolean) =>
		text.split('\n').filter(line => keepBlank || line !== '').map(line => `   ${line.startsWith('--') ? color.dim(line) : line}`)
	const lines: string[] = []
	let rest = step.sql
	for (const statement of step.statements) {
		const at = rest.indexOf(statement.sql)
		if (at === -1) continue
		lines.push(...sqlLines(rest.slice(0, at), false))
		if (statement.onlineStep?.first) lines.push(`   ${color.magenta(onlineStepLine(statement.onlineStep))}`)
		lines.push(`   ${color.cyan(lockAnnotation(statement, tables?.sizes))}`)
		const large = tables ? largeTableLocks(statement, tables.sizes, tables.largeTableRows) : []
		if (large.length > 0) lines.push(...largeTableWarning(statement, large).split('\n').map(line => `   ${color.red.bold(line)}`))
		lines.push(...sqlLines(statement.sql, true))
		rest = rest.slice(at + statement.sql.length)
	}
	return [...lines, ...sqlLines(rest, false)]
}

/**
 * Two words are project and migration. One word is the migration — unless the config declares
 * several projects and needs one named, then it is the project (and the latest migration is meant).
 */
const resolveTarget = async (argv: DescribeArgs): Promise<{ context: ProjectContext; migration?: string }> => {
	const base = { cwd: argv.cwd, config: argv.config }
	for (const word of [argv.project, argv.migration]) {
		if (word !== undefined && looksLikeConnectionString(word)) throw new StrataError('MIGRATION_NOT_FOUND', misplacedConnectionString('a project or migration name'))
	}
	if (argv.migration !== undefined) return { context: await resolveProject({ ...base, project: argv.project }), migration: argv.migration }
	if (argv.project === undefined) return { context: await resolveProject(base) }
	try {
		return { context: await resolveProject(base), migration: argv.project }
	} catch (error) {
		if (error instanceof StrataError && error.code === 'PROJECT_REQUIRED') return { context: await resolveProject({ ...base, project: argv.project }) }
		throw error
	}
}

/** `-- online step 2/6: outside a transaction` */
const onlineStepLine = (step: NonNullable<DescribedStatement['onlineStep']>): string =>
	`-- online step ${step.step + 1}/${step.total}: ${step.transactional ? 'in a transaction' : 'alone, outside a transaction'}`

/** `Online: 6 steps (2 outside a transaction), each committed and recorded on its own.` */
const onlineSummary = (steps: readonly DescribedModification[]): string | undefined => {
	const starts = steps.flatMap(step => step.statements.flatMap(it => (it.onlineStep?.first ? [it.onlineStep] : [])))
	if (starts.length === 0) return undefined
	const outside = starts.filter(it => !it.transactional).length
	return `Online: ${starts.length} step${starts.length === 1 ? '' : 's'}${outside > 0 ? ` (${outside} outside a transaction)` : ''}, each committed and recorded on its own; a re-run continues at the first unfinished one.`
}

const printDescription = (file: MigrationFile, steps: readonly DescribedModification[], output: Output, withSql: boolean, tables: TableSizes | undefined) => {
	const { color } = output
	const count = `${steps.length} modification${steps.length === 1 ? '' : 's'}`
	output.info(color.bold(`Migration ${file.name}`) + color.dim(` (formatVersion ${file.formatVersion}, ${count})`))
	const online = withSql ? onlineSummary(steps) : undefined
	if (online) output.info(color.magenta(online))
	if (steps.length === 0) output.info('No modifications.')
	for (const step of steps) {
		output.info('')
		// #N is the modification's 0-based index in the file, as in execute's errors, --dry-run and /modifications/N
		const headline = `#${step.index} ${step.message}`
		output.info(`${step.destructive ? color.red.bold(headline) : color.bold(headline)} ${color.dim(`[${step.modification}]`)}`)
		if (step.destructive) output.info(color.red(`   DESTRUCTIVE: ${step.destructiveReason ?? 'loses data'}`))
		for (const warning of step.warnings) output.info(`   ${color.yellow.bold(`warning ${warning.code}:`)} ${color.yellow(warning.message)}`)
		if (!withSql) continue
		if (step.sql.trim() === '') output.info(color.dim('   No SQL to execute.'))
		else output.info(stepSqlLines(step, output, tables).join('\n'))
	}
	const destructive = steps.filter(it => it.destructive).length
	const warnings = steps.reduce((sum, it) => sum + it.warnings.length, 0)
	const large = tables ? steps.filter(step => step.statements.some(it => largeTableLocks(it, tables.sizes, tables.largeTableRows).length > 0)).length : 0
	if (destructive + warnings + large > 0) {
		output.info('')
		output.info([
			destructive > 0 ? color.red(`${destructive} destructive step${destructive === 1 ? '' : 's'}`) : undefined,
			warnings > 0 ? color.yellow(`${warnings} warning${warnings === 1 ? '' : 's'}`) : undefined,
			large > 0 ? color.red(`${large} step${large === 1 ? '' : 's'} locking a large table`) : undefined,
		].filter(Boolean).join(', '))
	}
}

/** the pair section: the sequence, what the old application sees between the halves, what the new one sees */
const printExpandContract = (pair: ExpandContractExplanation, output: Output) => {
	const { color } = output
	output.info('')
	output.info(color.magenta.bold(`Expand/contract pair ${pair.pair}: this is the ${pair.phase} phase${pair.partner ? ` (${pair.phase === 'expand' ? 'contract' : 'expand'}: ${pair.partner})` : ` (its ${pair.phase === 'expand' ? 'contract' : 'expand'} file is not in the directory)`}`))
	pair.sequence.forEach((step, index) => output.info(`   ${index + 1}. ${step.text}`))
	output.info('   Between the two, the old application sees:')
	for (const line of pair.oldApplicationSees) output.info(`     - ${line}`)
	output.info('   The new application sees:')
	for (const line of pair.newApplicationSees) output.info(`     - ${line}`)
	output.info(color.dim('   (docs/zero-downtime.md walks through the pattern)'))
}

/**
 * The --sql-only script is meant for psql, which runs any backslash outside a literal as a
 * meta-command (`\! cmd` runs a shell command). A migration file can come from anywhere, so the
 * script is checked here, step by step and as a whole, and refused rather than printed.
 */
const refusePsqlMetaCommands = (file: MigrationFile, steps: readonly DescribedModification[], script: string): void => {
	const refuse = (where: string, found: PsqlMetaCommand) => {
		throw new StrataError('PSQL_META_COMMAND',
			`${where} holds a backslash outside a quoted string at line ${found.line}, column ${found.column} of its SQL (${JSON.stringify(found.text)}). `
			+ 'psql would run it as a meta-command (\\! runs a shell command), so --sql-only does not print this script. '
			+ 'A backslash has no meaning in SQL there: fix the view body or index predicate it comes from (docs/cli.md, "migrations:describe").')
	}
	for (const step of steps) {
		const found = findPsqlMetaCommand(step.sql)
		if (found) refuse(`Migration ${file.name}, modification #${step.index} (${step.modification}),`, found)
	}
	const found = findPsqlMetaCommand(script)
	if (found) refuse(`The SQL script of migration ${file.name}`, found)
}

/** `--large-table`, else `largeTableRows` of the config, else the default */

export const run = async (argv: DescribeArgs): Promise<number | void> => {
	const output = createOutput(argv)
	if (argv.sqlOnly && argv.sql === false) throw new StrataError('USAGE', '--sql-only and --no-sql contradict each other; give one of them.')
	if (argv.sqlOnly && argv.json) throw new StrataError('USAGE', '--sql-only and --json contradict each other; --json already holds the SQL of each step.')
	// `migrations:describe -- <migration>` too
	const { context, migration } = await resolveTarget(fillPositionals(argv, ['project', 'migration']))
	const largeTableRows = largeTableThreshold(argv, context)
	// the schema migrations:execute works in (its --db-schema), where the catalog's names and sizes are
	const schemaName = argv.dbSchema ?? 'public'
	const online = argv.databaseUrl !== undefined
	const described = online
		? await withDatabase({ databaseUrl: argv.databaseUrl }, context, output, 'strata migrations:describe', database =>
			describeProjectMigration(context, { ...(migration !== undefined ? { migration } : {}), database: database.client, schemaName }))
		: await describeProjectMigration(context, { ...(migration !== undefined ? { migration } : {}), locks: argv.sqlOnly !== true })
	const { steps, migration: file } = described
	const tables: TableSizes | undefined = described.tableSizes ? { sizes: described.tableSizes, largeTableRows } : undefined
	if (!online && argv.largeTable !== undefined) output.note('--large-table needs --database-url: table sizes are read from that database.')

	if (output.jsonMode) {
		const withSql = argv.sql !== false
		output.json(steps.map(step => ({
			...step,
			sql: withSql ? step.sql : undefined,
			statements: step.statements.map(it => statementJson(it, withSql, tables?.sizes, largeTableRows)),
		})))
	} else if (argv.sqlOnly) {
		const script = described.sql
		refusePsqlMetaCommands(file, steps, script)
		if (script !== '') process.stdout.write(script)
	} else {
		printDescription(file, steps, output, argv.sql !== false, tables)
		if (described.expandContract) printExpandContract(described.expandContract, output)
	}
	if (!online && !argv.sqlOnly && argv.sql !== false && steps.some(step => /^--/m.test(step.sql))) {
		output.note('The SQL was generated offline: names PostgreSQL chose are resolved when the migration is executed (--database-url resolves them now).')
	}
	return 0
}
