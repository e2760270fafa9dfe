/**
 * The JSON Schema validators, compiled by ajv at build time (scripts/generate-validators.ts writes
 * generated.ts before tsc runs). Loading them takes milliseconds; compiling the same schemas at
 * every start took most of a second. Only ajv's small runtime helpers are loaded, never ajv itself.
 */
import type { ValidateFunction } from 'ajv'
import { InternalError } from '../errors.js'
import generated, { modificationDataSchemas } from './generated.js'

/** the validators by name: one per modification id, plus `schemaStructure` and `projectConfig` */
const validators = generated as unknown as Readonly<Record<string, ValidateFunction | undefined>>

export const compiledValidator = (name: string): ValidateFunction => {
	const validate = validators[name]
	// generated.ts is rebuilt from the schemas by every `npm run build`; a missing name means a stale build
	if (typeof validate !== 'function') throw new InternalError(`No compiled validator "${name}": src/validators/generated.ts is out of date; run "npm run build".`)
	return validate
}

/** a modification's data schema as the validators were compiled from it (no need to load the modification's code) */
export const modificationDataSchema = (id: string): object => {
	const schema = (modificationDataSchemas as Readonly<Record<string, object | undefined>>)[id]
	if (schema === undefined) throw new InternalError(`No data schema for modification "${id}" in src/validators/generated.ts; run "npm run build".`)
	return schema
}
