/**
 * Option types, checked once for every command (src/cli/optionTypes.ts): a scalar option given
 * twice, a switch given a value, an empty required value are usage errors (exit 1) naming the
 * option — never a crash (exit 70), never the value echoed. Repeatable options still repeat.
 */
import { describe, expect, it } from 'vitest'
import { hasStackTrace, runCli, tempProject } from './run.js'

const project = () => tempProject({ 'migrations/.gitkeep': '' })

const expectUsageError = (args: string[], message: RegExp) => {
	const result = runCli(args, { cwd: project(), env: { DATABASE_URL: undefined } })
	expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(1)
	expect(result.stderr).toMatch(message)
	expect(result.stderr).not.toMatch(/internal error/)
	expect(hasStackTrace(result.stderr)).toBe(false)
	return result
}

describe('a scalar option given twice is a usage error on every command', () => {
	it('--database-url twice (was exit 70: str.charAt is not a function), without echoing either URL', () => {
		const result = expectUsageError(['migrations:status', '--database-url', 'postgresql://a:FirstPw1@h/db', '--database-url', 'postgresql://b:SecondPw2@h/db'], /^error: --database-url was given 2 times; give it once\./m)
		expect(result.stderr).not.toMatch(/FirstPw1|SecondPw2|postgresql:/)
	})

	it.each([
		[['migrations:execute', '--yes', '--lock-timeout', '1s', '--lock-timeout', '2s'], 'lock-timeout'],
		[['migrations:execute', '--transaction', 'all', '--transaction', 'each'], 'transaction'],
		[['migrations:describe', '--database-url', 'x', '--database-url', 'y'], 'database-url'],
		[['migrations:diff', 'x', '--renames', 'a.json', '--renames', 'b.json'], 'renames'],
		[['migrations:amend', '--lock-timeout', '1s', '--lock-timeout', '2s'], 'lock-timeout'],
		[['migrations:rebase', 'some-migration', '--lock-wait', '1s', '--lock-wait', '2s'], 'lock-wait'],
		[['db:drift', '--db-schema', 'a', '--db-schema', 'b'], 'db-schema'],
		[['migrations:status', '--cwd', '.', '--cwd', '.'], 'cwd'],
	])('%j', (args, option) => {
		expectUsageError(args, new RegExp(`--${option} was given 2 times`))
	})
})

describe('values of the wrong type', () => {
	it('a switch given a value (yargs would read --json=maybe as false)', () => {
		expectUsageError(['migrations:status', '--json=maybe'], /--json is a switch/)
	})

	it('an empty value for an option that needs one (--database-url= would silently fall back to DATABASE_URL)', () => {
		expectUsageError(['migrations:status', '--database-url='], /--database-url needs a value/)
	})
})

it('repeatable options still repeat (--rename twice before the name)', () => {
	const result = runCli(['migrations:diff', '--rename', 'A.x:y', '--rename', 'B.x:y', 'some-name', '--dry-run'], { cwd: project() })
	expect(result.stderr).not.toMatch(/given 2 times|Unknown argument/)
})
