/**
 * Lint findings printed after another command's own output (migrations:diff for the migration
 * it wrote, migrations:execute --dry-run for the pending ones): they never fail that command,
 * they tell what to review and how to accept it.
 */
import type { LintReport } from '../lint/lintMigrations.js'
import { lintReportLines, lintSummary, suppressionHint } from '../lint/report.js'
import type { Output } from './output.js'

export const printLintFindings = (output: Output, report: LintReport): void => {
	if (report.findings.length === 0) return
	output.info('')
	output.info(output.color.bold(`Lint: ${lintSummary(report)} (strata migrations:lint, docs/online.md "Lint rules")`))
	for (const line of lintReportLines(report, output.color).slice(1)) output.info(line)
	output.note(suppressionHint(report.findings[0]))
}
