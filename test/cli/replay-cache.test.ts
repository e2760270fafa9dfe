/**
 * The replay cache end to end: project:validate and migrations:diff answer the same with and
 * without it, and a migration edited after the cache was written is read and reported.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadHistories } from '../helpers/conformance.js'
import { runCli, tempProject } from './run.js'

const history = loadHistories().find(it => it.name === 'contember__starter-kits__headless-cms')!

describe('the replay cache under .strata/', () => {
	const files: Record<string, string> = { 'schema/schema.json': readFileSync(join(history.dir, 'expected-schema.json'), 'utf8') }
	for (const migration of history.migrations) files[`migrations/${migration.name}.json`] = migration.raw
	const cwd = tempProject(files)
	const cacheFile = join(cwd, '.strata', 'replay-cache.json')

	it('project:validate writes it, and answers the same from it', () => {
		const uncached = runCli(['project:validate', '--json'], { cwd, env: { STRATA_CACHE: 'off' } })
		expect(existsSync(cacheFile)).toBe(false)
		const first = runCli(['project:validate', '--json'], { cwd })
		expect(existsSync(cacheFile)).toBe(true)
		const second = runCli(['project:validate', '--json'], { cwd })
		for (const run of [uncached, first, second]) expect(run.code, run.stderr).toBe(0)
		expect(first.stdout).toBe(uncached.stdout)
		expect(second.stdout).toBe(uncached.stdout)
	})

	it('migrations:diff answers the same from it after the declared schema changed', () => {
		const schemaPath = join(cwd, 'schema', 'schema.json')
		const schema = JSON.parse(readFileSync(schemaPath, 'utf8'))
		const [entityName, entity] = Object.entries(schema.model.entities as Record<string, { fields: Record<string, unknown> }>)[0]!
		entity.fields.cacheProbe = { name: 'cacheProbe', columnName: 'cache_probe', columnType: 'text', nullable: true, type: 'String' }
		writeFileSync(schemaPath, JSON.stringify(schema))
		const uncached = runCli(['migrations:diff', 'probe', '--json', '--dry-run'], { cwd, env: { STRATA_CACHE: 'off' } })
		const cached = runCli(['migrations:diff', 'probe', '--json', '--dry-run'], { cwd })
		expect(uncached.code, uncached.stderr).toBe(0)
		expect(cached.stdout.replace(/"version": "\d+"/g, '').replace(/\d{4}-\d{2}-\d{2}-\d{6}/g, '')).toBe(uncached.stdout.replace(/"version": "\d+"/g, '').replace(/\d{4}-\d{2}-\d{2}-\d{6}/g, ''))
		expect(cached.stdout).toContain(`"entityName": "${entityName}"`)
		expect(readdirSync(join(cwd, 'migrations'))).toHaveLength(history.migrations.length)
	})

	it('a migration edited after the cache was written is read again and its problem reported', () => {
		const last = history.migrations[history.migrations.length - 1]!
		writeFileSync(join(cwd, 'migrations', `${last.name}.json`), '{ "formatVersion": 5, "modifications": [ ')
		const run = runCli(['project:validate'], { cwd })
		expect(run.code).toBe(1)
		expect(run.stderr + run.stdout).toContain(`${last.name}.json`)
		writeFileSync(join(cwd, 'migrations', `${last.name}.json`), last.raw)
	})
})
