/**
 * Issue 9 item 3, end to end: a real history whose replay keeps legacy names of unique
 * constraints, declared with its own expected-schema.json (the same names), is in sync:
 * `project:validate` exits 0 and `migrations:diff` has nothing to do. One history keeps it fast;
 * test/conformance/histories-in-sync.test.ts checks all of them at the differ level.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadHistories } from '../helpers/conformance.js'
import { runCli, tempProject } from './run.js'

const history = loadHistories().find(it => it.name === 'contember__starter-kits__headless-cms')!

describe(`${history.name} declared with its expected-schema.json`, () => {
	const files: Record<string, string> = { 'schema/schema.json': readFileSync(join(history.dir, 'expected-schema.json'), 'utf8') }
	for (const migration of history.migrations) files[`migrations/${migration.name}.json`] = migration.raw
	const cwd = tempProject(files)

	it('the history does carry legacy names', () => {
		expect(files['schema/schema.json']).toMatch(/"name": "unique_/)
	})

	it('project:validate exits 0', () => {
		const { code, stdout, stderr } = runCli(['project:validate'], { cwd })
		expect(stderr).toBe('')
		expect(code).toBe(0)
		expect(stdout).toContain('the migrations hold every change of the declared schema')
	})

	it('migrations:diff says "Nothing to do" and writes nothing', () => {
		const { code, stdout, stderr } = runCli(['migrations:diff', 'x', '--yes'], { cwd })
		expect(stderr).toBe('')
		expect(code).toBe(0)
		expect(stdout).toContain('Nothing to do')
		expect(readdirSync(join(cwd, 'migrations'))).toHaveLength(history.migrations.length)
	})
})
