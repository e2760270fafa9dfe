/**
 * Schema modules that misbehave: each one ends as a StrataError naming the file (and where in
 * it), never as a hang, a silent exit, or a message carrying a stack or the module's source.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { culpritLocation, loadDeclaredSchema, schemaTimeoutSeconds } from '../../../src/schema/loader.js'
import { failure, project } from './loaderProject.js'


const emptySchema = '{ model: { entities: {}, enums: {} } }'
/** a line only the module's source holds: it must never reach a message */
const SOURCE_MARKER = 'const sourceMarker = "only-in-the-module-source"'
const index = join('schema', 'index.ts')

describe('loading a hostile schema module', () => {
	it('reports an unhandled rejection by message and location, without stack or source', async () => {
		const root = project({ 'schema/index.ts': `${SOURCE_MARKER}\nPromise.reject(new Error('boom in module'))\nexport default ${emptySchema}\n` })
		const error = await failure(loadDeclaredSchema({ root }))
		expect(error.code).toBe('SCHEMA_LOAD_FAILED')
		expect(error.message).toContain(`A promise rejected and nothing handled it while loading ${index} (at ${index}:2:`)
		expect(error.message).toContain('boom in module')
		expect(error.message).not.toMatch(/\n\s+at /)
		expect(error.message).not.toContain('data:')
		expect(error.message).not.toContain('only-in-the-module-source')
	})

	it('reports a default export that never settles', async () => {
		const root = project({ 'schema/index.ts': 'export default new Promise(() => {})\n' })
		const error = await failure(loadDeclaredSchema({ root }))
		expect(error.code).toBe('SCHEMA_NEVER_SETTLED')
		expect(error.message).toContain(`${index} never produced its schema`)
	})

	it('stops a busy loop at the time limit and names the file', async () => {
		const root = project({ 'schema/index.ts': 'while (true) {}\nexport default {}\n' })
		const error = await failure(loadDeclaredSchema({ root, timeoutSeconds: 0.5 }))
		expect(error.code).toBe('SCHEMA_LOAD_TIMEOUT')
		expect(error.message).toContain(`from ${index} did not finish within 0.5 s`)
		expect(error.message).toContain('STRATA_SCHEMA_TIMEOUT')
	})

	it('stops a default export waiting for a pending timer at the time limit', async () => {
		const root = project({ 'schema/index.ts': `export default new Promise(resolve => setTimeout(() => resolve(${emptySchema}), 3_600_000))\n` })
		expect((await failure(loadDeclaredSchema({ root, timeoutSeconds: 0.5 }))).code).toBe('SCHEMA_LOAD_TIMEOUT')
	})

	it('is done when the default export resolved, even with timers pending', async () => {
		const root = project({ 'schema/index.ts': `setInterval(() => {}, 1000)\nexport default ${emptySchema}\n` })
		const { schema } = await loadDeclaredSchema({ root, timeoutSeconds: 20 })
		expect(schema.model.entities).toEqual({})
	})

	it('reports process.exit with the file and line that called it', async () => {
		const root = project({
			'schema/index.ts': `import './helper.ts'\nexport default ${emptySchema}\n`,
			'schema/helper.ts': '// helper\nprocess.exit(0)\n',
		})
		const error = await failure(loadDeclaredSchema({ root }))
		expect(error.code).toBe('SCHEMA_PROCESS_EXIT')
		expect(error.message).toContain(`${index} called process.exit(0) (at ${join('schema', 'helper.ts')}:2:`)
	})

	it('names the imported file an error was thrown from', async () => {
		const root = project({
			'schema/index.ts': `import './entities.ts'\nexport default ${emptySchema}\n`,
			'schema/entities.ts': `${SOURCE_MARKER}\n\nthrow new Error('entities are broken')\n`,
		})
		const error = await failure(loadDeclaredSchema({ root }))
		expect(error.code).toBe('SCHEMA_LOAD_FAILED')
		expect(error.message).toContain(`from ${index} (at ${join('schema', 'entities.ts')}:3:`)
		expect(error.message).toContain('entities are broken')
		expect(error.message).not.toContain('only-in-the-module-source')
	})

	it('reports an error thrown later by a timer callback', async () => {
		const root = project({ 'schema/index.ts': `export default new Promise(() => { setTimeout(() => { throw new Error('late failure') }, 10) })\n` })
		const error = await failure(loadDeclaredSchema({ root }))
		expect(error.message).toContain(`An error was thrown and not caught while loading ${index} (at ${index}:1:`)
		expect(error.message).toContain('late failure')
	})

	it('rejects a default export that is not JSON data', async () => {
		const root = project({ 'schema/index.ts': 'export default { model: { entities: {}, enums: {} }, size: 10n }\n' })
		const error = await failure(loadDeclaredSchema({ root }))
		expect(error.code).toBe('SCHEMA_NOT_SERIALISABLE')
		expect(error.message).toContain(`The default export of ${index} is not a schema`)
	})
})

describe('a JSON schema file', () => {
	it('outside the project is never quoted in a syntax error', async () => {
		const outside = project({ 'secret.json': 'TOP-SECRET-TOKEN and more' })
		const root = project({ 'schema/.keep': '' })
		const error = await failure(loadDeclaredSchema({ root, schemaPath: join(outside, 'secret.json') }))
		expect(error.message).toBe(`${join(outside, 'secret.json')} is not valid JSON (line 1, column 1).`)
	})

	it('inside the project says what was found', async () => {
		const root = project({ 'schema/schema.json': '{ "model": nope }' })
		const error = await failure(loadDeclaredSchema({ root }))
		expect(error.message).toContain(`${join('schema', 'schema.json')} is not valid JSON (line 1, column 12: expected `)
		expect(error.message).toContain('found "nope"')
	})
})

describe('schemaTimeoutSeconds', () => {
	it('takes STRATA_SCHEMA_TIMEOUT over the configured value over the default', () => {
		expect(schemaTimeoutSeconds(undefined, {})).toBe(30)
		expect(schemaTimeoutSeconds(5, {})).toBe(5)
		expect(schemaTimeoutSeconds(5, { STRATA_SCHEMA_TIMEOUT: '2.5' })).toBe(2.5)
	})

	it.each(['0', '-1', 'soon'])('rejects STRATA_SCHEMA_TIMEOUT=%s', value => {
		expect(() => schemaTimeoutSeconds(undefined, { STRATA_SCHEMA_TIMEOUT: value })).toThrow(/STRATA_SCHEMA_TIMEOUT must be a positive number of seconds/)
	})
})

describe('culpritLocation', () => {
	const root = '/work/project'
	it('picks the first frame in the user’s code, relative to the root', () => {
		const stack = [
			'Error: x',
			'    at process.exit (file:///opt/strata/dist/schema/loadWorker.js:40:1)',
			'    at node:internal/process/task_queues:95:5',
			'    at helper (/opt/app/node_modules/some-lib/index.js:1:1)',
			'    at <anonymous> (file:///work/project/schema/helper.ts?tsx-namespace=123:4:7)',
			'    at /work/project/schema/index.ts:2:1',
		].join('\n')
		expect(culpritLocation(stack, root)).toBe(join('schema', 'helper.ts') + ':4:7')
	})

	it('keeps absolute paths outside the root and ignores node internals', () => {
		expect(culpritLocation('Error\n    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)\n    at /elsewhere/lib.ts:9:3', root)).toBe('/elsewhere/lib.ts:9:3')
		expect(culpritLocation(undefined, root)).toBeUndefined()
	})
})
