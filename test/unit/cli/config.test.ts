/**
 * Where the configuration comes from (src/cli/context.ts): --config, strata.config.json, or the
 * `strata` key of package.json; both files configuring strata is an error; problems name the
 * file and the JSON pointer inside it. --schema overrides the config's `schema`.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readProjectConfig, resolveProject } from '../../../src/cli/context.js'
import { StrataError, ValidationError } from '../../../src/errors.js'

const dir = (files: Record<string, unknown>): string => {
	const root = mkdtempSync(join(tmpdir(), 'strata-config-'))
	mkdirSync(join(root, 'migrations'))
	for (const [name, content] of Object.entries(files)) writeFileSync(join(root, name), typeof content === 'string' ? content : JSON.stringify(content))
	return root
}

const rejection = async (promise: Promise<unknown>): Promise<StrataError> => {
	try {
		await promise
	} catch (error) {
		if (error instanceof StrataError) return error
		throw error
	}
	throw new Error('expected a rejection')
}

describe('readProjectConfig', () => {
	it('no config anywhere: undefined (defaults apply)', async () => {
		expect(await readProjectConfig(dir({ 'package.json': { name: 'app' } }), undefined)).toBeUndefined()
	})

	it('strata.config.json', async () => {
		const root = dir({ 'strata.config.json': { ledgerSchema: 'from_file' } })
		expect(await readProjectConfig(root, undefined)).toEqual({ config: { ledgerSchema: 'from_file' }, source: { path: join(root, 'strata.config.json'), pointer: '' } })
	})

	it('the strata key of package.json', async () => {
		const root = dir({ 'package.json': { name: 'app', strata: { migrationsDir: 'db/migrations', online: true } } })
		expect(await readProjectConfig(root, undefined)).toEqual({ config: { migrationsDir: 'db/migrations', online: true }, source: { path: join(root, 'package.json'), pointer: '/strata' } })
	})

	it('both is an error naming both files', async () => {
		const root = dir({ 'strata.config.json': {}, 'package.json': { strata: { ledgerSchema: 'x' } } })
		const error = await rejection(readProjectConfig(root, undefined))
		expect(error.code).toBe('CONFIG_CONFLICT')
		expect(error.message).toContain(join(root, 'strata.config.json'))
		expect(error.message).toContain(join(root, 'package.json'))
	})

	it('--config wins over both, and may name a package.json', async () => {
		const root = dir({ 'strata.config.json': {}, 'package.json': { strata: { ledgerSchema: 'x' } }, 'other.json': { ledgerSchema: 'other' } })
		expect((await readProjectConfig(root, 'other.json'))?.config).toEqual({ ledgerSchema: 'other' })
		expect((await readProjectConfig(root, 'package.json'))?.config).toEqual({ ledgerSchema: 'x' })
		expect((await rejection(readProjectConfig(dir({ 'package.json': {} }), 'package.json'))).message).toMatch(/has no "strata" key/)
	})

	it('an invalid setting in package.json names the file and /strata/<setting>', async () => {
		const root = dir({ 'package.json': { strata: { ledgerSchema: 'not-valid', migrationDir: 'x' } } })
		const error = await rejection(readProjectConfig(root, undefined))
		expect(error).toBeInstanceOf(ValidationError)
		expect(error.code).toBe('CONFIG_INVALID')
		const problems = (error as ValidationError).problems
		expect(problems).toContainEqual(expect.objectContaining({ file: join(root, 'package.json'), path: '/strata/ledgerSchema' }))
		expect(problems).toContainEqual(expect.objectContaining({ path: '/strata/migrationDir', message: expect.stringContaining('Did you mean "migrationsDir"') }))
	})

	it('an invalid setting in strata.config.json names /<setting>', async () => {
		const error = await rejection(readProjectConfig(dir({ 'strata.config.json': { largeTableRows: 0 } }), undefined))
		expect((error as ValidationError).problems[0]).toMatchObject({ path: '/largeTableRows' })
	})
})

describe('resolveProject', () => {
	it('package.json#strata settings apply, with the project named there', async () => {
		const root = dir({ 'package.json': { strata: { migrationsDir: 'db', schema: 'model/index.ts' } } })
		const context = await resolveProject({ cwd: root })
		expect(context.migrationsDir).toBe(join(root, 'db'))
		expect(context.schemaPath).toBe(join(root, 'model/index.ts'))
		expect(context.configSource).toEqual({ path: join(root, 'package.json'), pointer: '/strata' })
	})

	it('several projects in package.json#strata: the message names package.json#strata', async () => {
		const root = dir({ 'package.json': { strata: { projects: { a: {}, b: {} } } } })
		expect((await rejection(resolveProject({ cwd: root }))).message).toContain(`${join(root, 'package.json')}#strata declares several projects`)
	})

	it('--schema overrides the config schema, relative to the project directory', async () => {
		const root = dir({ 'strata.config.json': { schema: 'model/index.ts' } })
		expect((await resolveProject({ cwd: root, schema: 'other/schema.json' })).schemaPath).toBe(join(root, 'other/schema.json'))
		expect((await resolveProject({ cwd: root })).schemaPath).toBe(join(root, 'model/index.ts'))
	})
})
