/**
 * Lint findings as text (grouped by migration, then modification; colours as describe uses
 * them: errors red, warnings yellow, notices and suppressed findings dim) and as JSON. Pure:
 * returns lines and data, the caller prints them.
 */
import type { ChalkInstance } from 'chalk'
import { atLeast, type LintSeverity } from './codes.js'
import type { LintFinding, LintReport } from './lintMigrations.js'

const paint = (color: ChalkInstance, severity: LintSeverity) =>
	severity === 'error' ? color.red.bold : severity === 'warning' ? color.yellow.bold : color.cyan

/** what to write into the migration file to accept a finding */
export const suppressionHint = (finding?: Pick<LintFinding, 'code' | 'modification'>): string =>
	`To accept a finding, say why in the migration file: "strata": { "lint": { "allow": [{ "code": "${finding?.code ?? 'L…'}", "modification": ${finding?.modification ?? '<index>'}, "reason": "…" }] } } (docs/online.md, "Lint rules").`

const findingLines = (finding: LintFinding, color: ChalkInstance): string[] => {
	const head = `${finding.severity} ${finding.code}`
	if (finding.suppressed) {
		return [`   ${color.dim(`allowed ${finding.code} (${finding.severity}): ${finding.message}`)}`, `      ${color.dim(`reason: ${finding.suppressed.reason}`)}`]
	}
	return [
		`   ${paint(color, finding.severity)(`${head}:`)} ${finding.message}`,
		...(finding.statement ? [`      ${color.dim(finding.statement.split('\n')[0]!.slice(0, 160))}`] : []),
		`      ${color.green(`instead: ${finding.alternative}`)}`,
	]
}

/** the report as lines: per migration, per modification, each finding; unused suppressions after */
export const lintReportLines = (report: LintReport, color: ChalkInstance): string[] => {
	const lines: string[] = []
	const migrations = [...new Set(report.findings.map(it => it.migration))]
	for (const migration of migrations) {
		lines.push(color.bold(`Migration ${migration}`))
		const own = report.findings.filter(it => it.migration === migration)
		for (const index of [...new Set(own.map(it => it.modification))]) {
			const here = own.filter(it => it.modification === index)
			lines.push(`  #${index} ${color.dim(`[${here[0]!.modificationId}]`)}`)
			for (const finding of here) lines.push(...findingLines(finding, color))
		}
	}
	for (const { migration, suppression } of report.unusedSuppressions) {
		const where = suppression.modification === undefined ? '' : ` for modification #${suppression.modification}`
		lines.push(color.yellow(`${migration}: the suppression of ${suppression.code}${where} accepts no finding; remove it if it is stale.`))
	}
	return lines
}

/** `3 findings (1 error, 2 warnings), 1 allowed` */
export const lintSummary = (report: LintReport): string => {
	const open = report.findings.filter(it => !it.suppressed)
	const count = (severity: LintSeverity) => open.filter(it => it.severity === severity).length
	const parts = (['error', 'warning', 'notice'] as const).filter(it => count(it) > 0).map(it => `${count(it)} ${it}${count(it) === 1 ? '' : 's'}`)
	const allowed = report.findings.length - open.length
	return `${open.length} finding${open.length === 1 ? '' : 's'}${parts.length ? ` (${parts.join(', ')})` : ''}${allowed ? `, ${allowed} allowed` : ''}`
}

/** the unsuppressed findings at or above `threshold`: what fails `--check` */
export const failingFindings = (report: LintReport, threshold: LintSeverity): LintFinding[] =>
	report.findings.filter(it => !it.suppressed && atLeast(it.severity, threshold))

/** a finding in `--json` */
export const findingJson = (finding: LintFinding) => ({
	code: finding.code,
	severity: finding.severity,
	title: finding.title,
	migration: finding.migration,
	modification: finding.modification,
	modificationId: finding.modificationId,
	statement: finding.statement ?? null,
	table: finding.table ?? null,
	message: finding.message,
	alternative: finding.alternative,
	suppressed: finding.suppressed !== undefined,
	reason: finding.suppressed?.reason ?? null,
})
