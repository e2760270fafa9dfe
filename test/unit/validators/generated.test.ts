/** The build-time validators (scripts/generate-validators.ts) are current and judge as ajv compiling the schemas now would. */
import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { expect, it } from 'vitest'
import { generatedPath, generateValidatorsSource, validatedSchemas, validatorOptions } from '../../../scripts/generate-validators.js'
import { compiledValidator } from '../../../src/validators/compiled.js'

const samples: unknown[] = [
	{}, [], 'text', null,
	{ entityName: 3 }, { entityName: 'Post', field: { name: 'x' } }, { entity: { name: 'X', fields: 1 } },
	{ enumName: 'E', values: 'a' }, { patch: [{ op: 'nope' }] },
	{ formatVersion: 6, model: { enums: {}, entities: {} } }, { migrationsDir: '' }, { projects: { a: { schema: 1 } } },
]

it('src/validators/generated.cjs is what the generator makes from the schemas today', () => {
	expect(readFileSync(generatedPath, 'utf8') === generateValidatorsSource(), 'run "npm run build" to regenerate').toBe(true)
})

it('each compiled validator reports exactly what a fresh compile of its schema reports', () => {
	const fresh = new Ajv(validatorOptions)
	const essentials = (errors: readonly { keyword: string; instancePath: string; schemaPath: string; params: object }[] | null | undefined) =>
		(errors ?? []).map(({ keyword, instancePath, schemaPath, params }) => ({ keyword, instancePath, schemaPath, params }))
	for (const [name, schema] of Object.entries(validatedSchemas())) {
		const compiled = compiledValidator(name)
		const reference = fresh.compile(schema)
		for (const sample of samples) {
			expect(compiled(sample), `${name} ${JSON.stringify(sample)}`).toBe(reference(sample))
			expect(essentials(compiled.errors), `${name} ${JSON.stringify(sample)}`).toEqual(essentials(reference.errors))
		}
	}
})

it('an unknown name is an internal error that says to rebuild', () => {
	expect(() => compiledValidator('noSuchValidator')).toThrow(/npm run build/)
})
