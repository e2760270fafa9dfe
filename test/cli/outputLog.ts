/**
 * The whole-suite leak check. Every CLI run spawned through test/cli/run.ts or
 * test/integration/db/cli.ts appends what it printed (stdout and stderr) to one log per vitest
 * run; globalSetup creates the log and, at teardown, fails the run if any known test secret
 * appears in it in any shape it could be printed in.
 */
import { appendFileSync, readFileSync } from 'node:fs'

/** set by globalSetup, inherited by the test workers */
export const OUTPUT_LOG_ENV = 'STRATA_TEST_CLI_OUTPUT_LOG'

/**
 * The passwords the suites hand to the CLI, in several shapes: URL-special characters (encoded
 * and decoded forms differ), `@` (a naive parser stops at the first), spaces, quotes for
 * key/value strings, plain letters (only substring redaction can catch those).
 */
export const TEST_SECRETS = [
	'S3cr3t:p@ss/w0rd%x', // TEST_PASSWORD of test/integration/db/cli.ts: a real role's password
	'pa@ssw0rdXYZ',
	'hunter two 22',
	"qu'ote\"Secret9",
	'PlainLettersSecret',
	'Pct%2FEncoded%40Pw',
] as const

/** the forms a secret may take on the way out: raw, percent-encoded (either hex case), URL userinfo, JSON */
export const printedShapes = (secret: string): string[] => {
	const url = new URL('postgresql://user@host')
	url.password = secret
	const forms = [secret, encodeURIComponent(secret), url.password, JSON.stringify(secret).slice(1, -1)]
	try {
		forms.push(decodeURIComponent(secret))
	} catch {
		// not percent-encoded
	}
	return [...new Set(forms.flatMap(form => [form, form.replace(/%[0-9A-F]{2}/g, hex => hex.toLowerCase())]))]
}

/** the secrets (and their shape) found in a text */
export const findLeaks = (text: string, secrets: readonly string[] = TEST_SECRETS): string[] =>
	secrets.flatMap(secret => printedShapes(secret).filter(shape => text.includes(shape)).map(shape => `${JSON.stringify(secret)} as ${JSON.stringify(shape)}`))

/** appends one run's output to the log (no-op outside a vitest run that set the log up) */
export const recordCliOutput = (args: readonly string[], stdout: string, stderr: string): void => {
	const path = process.env[OUTPUT_LOG_ENV]
	if (!path) return
	appendFileSync(path, `${JSON.stringify({ args: args.map(arg => (findLeaks(arg).length > 0 ? '<secret argument>' : arg)), stdout, stderr })}\n`)
}

/** every leak in the log, with the command that printed it */
export const leaksInLog = (path: string): string[] => {
	let text: string
	try {
		text = readFileSync(path, 'utf8')
	} catch {
		return []
	}
	return text.split('\n').filter(Boolean).flatMap(line => {
		const run = JSON.parse(line) as { args: string[]; stdout: string; stderr: string }
		return findLeaks(run.stdout + run.stderr).map(leak => `strata ${run.args.join(' ')}: ${leak}`)
	})
}
