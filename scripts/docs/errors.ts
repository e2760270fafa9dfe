/**
 * docs/errors.md: every exit code, error code, problem code, warning code and lint code, generated
 * from the code tables (src/errorCatalog.ts, schema/validation/codes.ts, modifications/warnings.ts,
 * lint/rules.ts).
 */
import { errorCatalog, exitCodeMeanings, problemCodes } from '../../src/errorCatalog.js'
import { lintRules } from '../../src/lint/rules.js'
import { modificationHandlers, modificationIds } from '../../src/modifications/registry.js'
import { warningCatalog, type WarningCode } from '../../src/modifications/warnings.js'
import { replayConflictCodes, schemaProblemCodes } from '../../src/schema/validation/codes.js'
import { code, document, generatedBanner, table } from './markdown.js'

const sorted = <T>(record: Readonly<Record<string, T>>): [string, T][] => Object.entries(record).sort(([a], [b]) => a.localeCompare(b))

/** the modifications whose docs metadata says they raise `warning` */
export const raisersOf = (warning: WarningCode): string[] =>
	modificationIds.filter(id => modificationHandlers[id].docs.warnings.includes(warning)).map(code)

export const generateErrorsDoc = (): string => document([
	'# Errors, warnings and codes',
	generatedBanner('src/errorCatalog.ts, src/schema/validation/codes.ts, src/modifications/warnings.ts and src/lint/rules.ts'),
	'Every failure strata reports on purpose has a stable **code**, `error.code` in the `--json` error document '
	+ '(`{ "ok": false, "error": { "code", "message", "exitCode", "problems"?, … } }`), so scripts may match on it; '
	+ 'messages may be reworded. Validation errors list every problem at once, each with its own problem code. '
	+ 'Stack traces are never printed, except with `STRATA_DEBUG=1` (which also prints the causes).',
	'## Exit codes',
	table(['code', 'meaning'], Object.entries(exitCodeMeanings).sort(([a], [b]) => Number(a) - Number(b)).map(([exit, meaning]) => [exit, meaning])),
	'## Error codes',
	table(['code', 'exit', 'cause', 'fix'], sorted(errorCatalog).map(([name, entry]) => [code(name), entry.exitCodes.join(', '), entry.cause, entry.fix])),
	'## Problem codes',
	'The problems a validation error lists (`project:validate`, an invalid schema or history) carry these codes. '
	+ 'A migration\'s `skippedErrors` may name `REPLAY_OBJECT_EXISTS` for an executed history that relied on Contember\'s overwrite.',
	table(['code', 'rule'], [...sorted(schemaProblemCodes), ...sorted(replayConflictCodes), ...sorted(problemCodes)].map(([name, rule]) => [code(name), rule])),
	'## Warning codes',
	'`migrations:describe`, `migrations:diff` and `migrations:execute` attach warnings to the steps of a migration. '
	+ 'A warning says that a step **may fail at runtime** or **may hurt a live database**; it never changes the SQL and never blocks on its own '
	+ '(the destructive-step policy, `--no-destructive`, is separate and is based on the `destructive` flag). '
	+ 'A table created earlier in the same migration is empty, so no warning about existing rows is raised for it.',
	table(['code', 'name', 'raised by', 'meaning and what to do'], sorted(warningCatalog).map(([name, entry]) =>
		[code(name), entry.name, [...raisersOf(name as WarningCode), ...(entry.raisedBy ? [entry.raisedBy] : [])].join(', '), entry.meaning])),
	'## Lint codes',
	'`migrations:lint` reports risky patterns with these codes, a severity, and a suppression per migration '
	+ '(`strata.lint.allow`, see [online.md](online.md#lint-rules)). A rule built on step warnings reports the warning, message and code included. '
	+ 'An S warning never blocks; an L finding fails `migrations:lint --check` unless its migration accepts it with a reason.',
	table(['code', 'severity', 'title', 'why', 'instead', 'warnings'], lintRules.map(rule =>
		[code(rule.code), rule.severity, rule.title, rule.explanation, rule.alternative, (rule.stepWarnings ?? []).join(', ')])),
])
