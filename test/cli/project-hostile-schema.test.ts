/**
 * A schema module that misbehaves never hangs a command, never exits silently and never prints
 * its transpiled source: diff, validate and amend end with exit 1 and one message naming the file.
 */
import { describe, expect, it } from 'vitest'
import { hasStackTrace, runCli, tempProject } from './run.js'

const projectWith = (schemaModule: string, config?: object) =>
	tempProject({
		'package.json': '{ "type": "module" }\n',
		'schema/index.ts': schemaModule,
		'migrations/.keep': '',
		...(config ? { 'strata.config.json': config } : {}),
	})
const emptySchema = '{ model: { entities: {}, enums: {} } }'
const SOURCE_MARKER = 'const onlyInTheSource = "module-source-marker"\n'
const fast = { STRATA_SCHEMA_TIMEOUT: '2' }

describe('hostile schema modules', () => {
	it.each([
		[['migrations:diff', 'next', '--dry-run']],
		[['project:validate']],
		[['migrations:amend', '--database-url', 'postgresql://127.0.0.1:1/none']],
	])('a busy loop is stopped at the time limit: %j', args => {
		const cwd = projectWith(`${SOURCE_MARKER}while (true) {}\n`)
		const { code, stdout, stderr } = runCli(args, { cwd, env: fast })
		expect(code).toBe(1)
		expect(stderr).toContain('Loading the declared schema from schema/index.ts did not finish within 2 s')
		expect(`${stdout}${stderr}`).not.toContain('module-source-marker')
	})

	it('the time limit comes from the config when the environment does not set it', () => {
		const cwd = projectWith('export default new Promise(resolve => setTimeout(resolve, 3_600_000))\n', { schemaTimeout: 1.5 })
		const { code, stderr } = runCli(['migrations:diff', 'next', '--dry-run'], { cwd })
		expect(code).toBe(1)
		expect(stderr).toContain('did not finish within 1.5 s')
	})

	it('an unhandled rejection is one message: no stack, no data: URL, no source', () => {
		const cwd = projectWith(`${SOURCE_MARKER}Promise.reject(new Error('boom in module'))\nexport default ${emptySchema}\n`)
		const { code, stdout, stderr } = runCli(['migrations:diff', 'next', '--dry-run'], { cwd })
		expect(code).toBe(1)
		expect(stderr).toContain('A promise rejected and nothing handled it while loading schema/index.ts (at schema/index.ts:2:')
		expect(stderr).toContain('boom in module')
		expect(hasStackTrace(stderr)).toBe(false)
		expect(`${stdout}${stderr}`).not.toMatch(/data:|module-source-marker/)
	})

	it('process.exit(0) in the module fails the command instead of ending it silently', () => {
		const cwd = projectWith(`process.exit(0)\nexport default ${emptySchema}\n`)
		const { code, stderr } = runCli(['migrations:diff', 'next', '--dry-run'], { cwd })
		expect(code).toBe(1)
		expect(stderr).toContain('schema/index.ts called process.exit(0) (at schema/index.ts:1:')
	})

	it('a default export that never settles is reported, as JSON under --json', () => {
		const cwd = projectWith('export default new Promise(() => {})\n')
		const { code, stdout } = runCli(['project:validate', '--json'], { cwd })
		expect(code).toBe(1)
		const report = JSON.parse(stdout) as { valid: boolean; problems: { message: string; code: string }[] }
		expect(report.valid).toBe(false)
		expect(report.problems).toContainEqual(expect.objectContaining({ code: 'SCHEMA_NEVER_SETTLED', message: expect.stringContaining('schema/index.ts never produced its schema') }))
	})

	it("the module's console output goes to stderr, so --json stays parseable", () => {
		const cwd = projectWith(`console.log('hello from the schema')\nexport default ${emptySchema}\n`)
		const { code, stdout, stderr } = runCli(['migrations:diff', 'next', '--dry-run', '--json'], { cwd })
		expect(code).toBe(0)
		expect(JSON.parse(stdout)).toMatchObject({ modifications: [] })
		expect(stderr).toContain('hello from the schema')
	})
})
