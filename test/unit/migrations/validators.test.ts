/** The precompiled (cached) modification validators report exactly what freshly compiled ones do. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv, type ValidateFunction } from 'ajv'
import { afterAll, expect, it } from 'vitest'
import { generateValidatorsModule } from '../../../src/migrations/format.js'
import { modificationHandlers, modificationIds } from '../../../src/modifications/registry.js'

const dir = fileURLToPath(new URL('../../../node_modules/.cache/strata-test-validators/', import.meta.url))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const samples: unknown[] = [{}, { entityName: 3 }, { entityName: 'Post', field: { name: 'x' } }, { entity: { name: 'X', fields: 1 } }, { enumName: 'E', values: 'a' }, { patch: [{ op: 'nope' }] }, []]

it('agree with a fresh compile on every modification id', () => {
	mkdirSync(dir, { recursive: true })
	const path = join(dir, `validators-${process.pid}.cjs`)
	writeFileSync(path, generateValidatorsModule())
	const precompiled = createRequire(import.meta.url)(path) as Record<string, ValidateFunction>
	const fresh = new Ajv({ allErrors: true, strict: false, verbose: true })
	for (const id of modificationIds) {
		const compiled = fresh.compile(modificationHandlers[id].dataSchema)
		for (const sample of samples) {
			const a = precompiled[id]!
			expect(a(sample), `${id} ${JSON.stringify(sample)}`).toBe(compiled(sample))
			const strip = (errors: typeof a.errors) => (errors ?? []).map(({ keyword, instancePath, schemaPath, params, data }) => ({ keyword, instancePath, schemaPath, params, data }))
			expect(strip(a.errors)).toEqual(strip(compiled.errors))
		}
	}
})
