/**
 * `migrations:lint [project] [migrations...]` (definition: commands/lint.ts). Reads the files,
 * validates them as describe does (a broken file is exit 1, naming file and modification),
 * lints each consecutive run of the selected migrations from the schema the files before it
 * build, and prints the findings. With --database-url: the pending migrations by default, the
 * live catalog's names, and the sizes of the locked tables (L001).
 */
import { ExitCode, StrataError } from '../../errors.js'
import { looksLikeConnectionString, misplacedConnectionString } from '../../db/redact.js'
import type { LintSeverity } from '../../lint/codes.js'
import { lintProject } from '../../api/history.js'
import { failingFindings, findingJson, lintReportLines, lintSummary, suppressionHint } from '../../lint/report.js'
import { resolveProject, variadicWords, type ProjectContext } from '../context.js'
import { createOutput } from '../output.js'
import { ledgerSchemaOf, withDatabase, type DatabaseCommandArgs } from './status.js'
import { largeTableThreshold } from '../largeTable.js'

export interface LintArgs extends DatabaseCommandArgs {
	readonly migrations?: string[]
	readonly dbSchema?: string
	readonly largeTable?: number
	readonly check?: boolean
	readonly failOn?: LintSeverity
}

/** the project and the migration words: the first word is the project only when the config needs one named */
const resolveTarget = async (argv: LintArgs): Promise<{ context: ProjectContext; words: string[] }> => {
	const words = [...(argv.project !== undefined ? [argv.project] : []), ...variadicWords(argv.migrations, argv)]
	for (const word of words) {
		if (looksLikeConnectionString(word)) throw new StrataError('MIGRATION_NOT_FOUND', misplacedConnectionString('a project or migration name'))
	}
	const base = { cwd: argv.cwd, config: argv.config }
	try {
		return { context: await resolveProject(base), words }
	} catch (error) {
		if (!(error instanceof StrataError && error.code === 'PROJECT_REQUIRED') || words.length === 0) throw error
		return { context: await resolveProject({ ...base, project: words[0] }), words: words.slice(1) }
	}
}



export const run = async (argv: LintArgs): Promise<number | void> => {
	const output = createOutput(argv)
	const { context, words } = await resolveTarget(argv)
	const largeTableRows = largeTableThreshold(argv, context)
	const migrations = words.length > 0 ? { migrations: words } : {}
	const online = argv.databaseUrl !== undefined
	if (!online && argv.largeTable !== undefined) output.note('--large-table needs --database-url: table sizes are read from that database (L001 is not checked offline).')
	const { report, migrations: selected } = online
		? await withDatabase({ databaseUrl: argv.databaseUrl }, context, output, 'strata migrations:lint', database =>
			lintProject(context, { ...migrations, database: database.client, ledgerSchema: ledgerSchemaOf(argv, context), schemaName: argv.dbSchema ?? 'public', largeTableRows }))
		: await lintProject(context, migrations)

	const failing = failingFindings(report, argv.failOn ?? 'warning')
	if (output.jsonMode) {
		output.json({
			migrations: selected.map(file => file.name),
			findings: report.findings.map(findingJson),
			unusedSuppressions: report.unusedSuppressions.map(({ migration, suppression }) => ({ migration, ...suppression })),
			failed: failing.length > 0,
		})
	} else if (selected.length === 0) {
		output.info(argv.databaseUrl !== undefined && words.length === 0 ? 'No pending migrations to lint.' : 'There are no migrations to lint.')
	} else {
		for (const line of lintReportLines(report, output.color)) output.info(line)
		const summary = `${selected.length} migration${selected.length === 1 ? '' : 's'} linted: ${lintSummary(report)}`
		output.info(report.findings.length > 0 ? `\n${summary}` : summary)
		const open = report.findings.find(it => !it.suppressed)
		if (open) output.note(suppressionHint(open))
	}
	return argv.check && failing.length > 0 ? ExitCode.checkFailed : ExitCode.ok
}
