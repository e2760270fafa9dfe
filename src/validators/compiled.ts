/**
 * The JSON Schema validators, compiled by ajv at build time (scripts/generate-validators.ts writes
 * generated.cjs). Loading them takes milliseconds; compiling the same schemas at every start took
 * most of a second. The module is required on the first validation, not when strata is imported:
 * `--help`, and a schema module importing 'strata', never load it. Only ajv's small runtime
 * helpers are loaded, never ajv itself.
 */
import { createRequire } from 'node:module'
import type { ValidateFunction } from 'ajv'
import { InternalError } from '../errors.js'

interface GeneratedModule {
	/** one validator per modification id, plus `schemaStructure` and `projectConfig` */
	readonly [name: string]: unknown
	readonly modificationDataSchemas: Readonly<Record<string, object | undefined>>
}

let generated: GeneratedModule | undefined
const load = (): GeneratedModule => {
	if (generated) return generated
	try {
		generated = createRequire(import.meta.url)('./generated.cjs') as GeneratedModule
	} catch (error) {
		throw new InternalError(`The compiled validators (validators/generated.cjs) cannot be loaded; run "npm run build": ${(error as Error).message}`, { cause: error })
	}
	return generated
}

export const compiledValidator = (name: string): ValidateFunction => {
	const validate = name === 'modificationDataSchemas' ? undefined : load()[name]
	// generated.cjs is rebuilt from the schemas by every `npm run build`; a missing name means a stale build
	if (typeof validate !== 'function') throw new InternalError(`No compiled validator "${name}": validators/generated.cjs is out of date; run "npm run build".`)
	return validate as ValidateFunction
}

/** a modification's data schema as the validators were compiled from it (no need to load the modification's code) */
export const modificationDataSchema = (id: string): object => {
	const schema = load().modificationDataSchemas[id]
	if (schema === undefined) throw new InternalError(`No data schema for modification "${id}" in validators/generated.cjs; run "npm run build".`)
	return schema
}
