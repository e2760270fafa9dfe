/**
 * No secret is ever printed: each known test secret (outputLog.ts), in each connection-string
 * shape, through each input channel strata reads a database from (--database-url, DATABASE_URL,
 * .env, strata.config.json, a URL typed as a positional by mistake), in plain, --json and
 * STRATA_DEBUG=1 runs. Nothing here needs the connection to succeed: every run fails (a
 * malformed URL, a closed port, a missing database) and the failure is what must not leak.
 */
import { describe, expect, it } from 'vitest'
import { recordAdversarial } from '../helpers/adversarial.js'
import { findLeaks, TEST_SECRETS } from './outputLog.js'
import { hasStackTrace, runCli, tempProject } from './run.js'

/** a closed port on this machine: the connection is refused at once */
const CLOSED = '127.0.0.1:1'

/** libpq key/value quoting: single quotes, backslash escapes */
const quoted = (value: string) => `'${value.replace(/[\\']/g, it => `\\${it}`)}'`

const shapes: ReadonlyArray<readonly [string, (secret: string) => string]> = [
	['a URL with its :// mistyped', secret => `postgres//app:${secret}@${CLOSED}/db`],
	['the raw password in a URL (@, spaces, quotes as they are)', secret => `postgresql://app:${secret}@${CLOSED}/db`],
	['the percent-encoded password in a URL', secret => `postgresql://app:${encodeURIComponent(secret)}@${CLOSED}/db`],
	['a space in the host too', secret => `postgresql://app:${secret}@no host/db`],
	['a key/value connection string', secret => `host=127.0.0.1 port=1 user=app password=${quoted(secret)} dbname=db`],
	['a bare password where the URL goes', secret => secret],
]

type Channel = (url: string) => { args: string[]; env: Record<string, string | undefined>; files: Record<string, string | object> }

const project = { 'migrations/.gitkeep': '' }
const channels: ReadonlyArray<readonly [string, Channel]> = [
	['--database-url', url => ({ args: ['migrations:status', '--database-url', url], env: {}, files: project })],
	['--database-url=', url => ({ args: ['migrations:status', `--database-url=${url}`], env: {}, files: project })],
	['DATABASE_URL', url => ({ args: ['migrations:status'], env: { DATABASE_URL: url }, files: project })],
	['.env', url => ({ args: ['migrations:status'], env: {}, files: { ...project, '.env': `DATABASE_URL=${JSON.stringify(url)}\n` } })],
	['strata.config.json', url => ({ args: ['migrations:status'], env: {}, files: { ...project, 'strata.config.json': { databaseUrl: url } } })],
	['a positional of migrations:execute', url => ({ args: ['migrations:execute', '--yes', url], env: {}, files: project })],
	['a positional of migrations:describe', url => ({ args: ['migrations:describe', url], env: {}, files: project })],
	['a positional of migrations:blank', url => ({ args: ['migrations:blank', url], env: {}, files: project })],
]

const run = (channel: Channel, url: string, extra: { json?: boolean; debug?: boolean } = {}) => {
	const { args, env, files } = channel(url)
	const result = runCli([...args, ...(extra.json ? ['--json'] : [])], {
		cwd: tempProject(files),
		env: { DATABASE_URL: undefined, PGPASSWORD: undefined, ...env, ...(extra.debug ? { STRATA_DEBUG: '1' } : {}) },
	})
	return { ...result, printed: `${result.stdout}\n${result.stderr}` }
}

/** a bare password typed as a positional cannot be told from a project name; every other shape can */
const applies = (channel: string, shape: string) => !(channel.startsWith('a positional') && shape.startsWith('a bare'))

describe('no secret in anything printed', () => {
	// each shape through --database-url, each channel with a shape and a secret of its own (spawning is slow: not the full product)
	let passed = 0
	const cases = [
		...shapes.map(([shapeName, shape], s) => ['--database-url', shapeName, channels[0]![1], shape, TEST_SECRETS[s % TEST_SECRETS.length]!] as const),
		...channels.slice(1).map(([channelName, channel], c) => {
			const [shapeName, shape] = shapes.filter(([name]) => applies(channelName, name))[(c + 1) % (shapes.length - 1)]!
			return [channelName, shapeName, channel, shape, TEST_SECRETS[(c + 2) % TEST_SECRETS.length]!] as const
		}),
	]

	it.each(cases)('%s, %s', (_, __, channel, shape, secret) => {
		const result = run(channel, shape(secret))
		expect(result.code, result.printed).toBe(1)
		expect(findLeaks(result.printed)).toEqual([])
		expect(result.stderr).toMatch(/\S/) // it did explain itself
		passed++
	})

	it.each(channels.map(([name, channel], c) => [name, channel, TEST_SECRETS[c % TEST_SECRETS.length]!] as const))('%s with --json and STRATA_DEBUG=1', (_, channel, secret) => {
		const result = run(channel, `postgresql://app:${secret}@${CLOSED}/db`, { json: true, debug: true })
		expect(result.code, result.printed).toBe(1)
		expect(findLeaks(result.printed)).toEqual([])
		passed++
	})

	it('figures (recorded when every run above held)', () => {
		expect(passed).toBe(cases.length + channels.length)
		recordAdversarial({
			attack: 'secrets',
			tried: `${TEST_SECRETS.length} secrets × ${shapes.length} shapes × ${channels.length} channels (sampled, not the full product: ${passed} runs, plain, --json and STRATA_DEBUG=1), plus the whole-suite output scan`,
			held: 'no secret printed',
		})
	})
})

describe('what the user is told instead', () => {
	it('a mistyped URL is shown with its password masked, so the typo is visible', () => {
		const result = run(channels[0]![1], `postgres//app:${TEST_SECRETS[4]}@db.example.com/app`)
		expect(result.stderr).toContain('postgres//app:***@db.example.com/app')
		expect(result.stderr).toMatch(/not a valid URL/)
	})

	it('a bare value where a URL goes is not shown at all', () => {
		const result = run(channels[2]![1], TEST_SECRETS[4])
		expect(result.stderr).toMatch(/not shown/)
	})

	it('a URL given where a project or migration name goes says so and points to --database-url, even with a short password', () => {
		for (const command of [['migrations:execute', '--yes'], ['migrations:blank'], ['migrations:describe', 'blog']]) {
			const result = runCli([...command, `postgresql://app:pw@${CLOSED}/app`], { cwd: tempProject({ 'migrations/.gitkeep': '', 'strata.config.json': { projects: { blog: {} } } }) })
			expect(result.code, command[0]).toBe(1)
			expect(result.stderr, command[0]).toMatch(/database URL \(not shown.*--database-url/)
			expect(result.stderr, command[0]).not.toMatch(/pw/)
		}
	})

	it('a key/value connection string is refused with the URL form it needs', () => {
		const result = run(channels[0]![1], `host=127.0.0.1 password=${quoted(TEST_SECRETS[2])}`)
		expect(result.stderr).toMatch(/key\/value connection string \(host=127\.0\.0\.1 password=\*\*\*\); strata takes a URL/)
	})

	it('a password PostgreSQL repeats in its own error (here in a database name) is masked too, also in the debug stack', () => {
		const server = new URL(process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres')
		const secret = TEST_SECRETS[5]
		const url = `postgresql://${server.username || 'postgres'}:${encodeURIComponent(secret)}@${server.host}/${encodeURIComponent(`x${secret}`)}`
		const result = run(channels[0]![1], url, { debug: true })
		expect(result.stderr).toMatch(/database "x\*\*\*" does not exist/)
		expect(hasStackTrace(result.stderr)).toBe(true)
		expect(findLeaks(result.printed)).toEqual([])
	})
})
