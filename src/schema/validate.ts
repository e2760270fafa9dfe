/**
 * Schema validation: structure with ajv against `schemaJsonSchema` (compiled at build time), then the semantic rules of
 * validation/*.ts. Every problem is returned (never only the first), each with a dotted path
 * such as `model.entities.Post.fields.author` and a stable code (validation/codes.ts).
 *
 * ACL, validation, actions and settings are checked for structure only: strata never interprets
 * them, and real histories carry ACL that Contember's own validator rejects (undeclared
 * variables), which must not stop a project from loading.
 */
import type { ErrorObject } from 'ajv'
import { InternalError, type Problem, ValidationError } from '../errors.js'
import { jsonPointerParts } from '../jsonPointer.js'
import { compiledValidator } from '../validators/compiled.js'
import type { Model, Schema } from './model.js'
import { normalizeSchema } from './normalize.js'
import { type SchemaProblemCode, isObject } from './validation/codes.js'
import { validateEntity, validateEnums, validateTableNames } from './validation/model.js'

// against schemaJsonSchema (jsonSchema.ts), compiled at build time
const structureErrors = (value: unknown): ErrorObject[] => {
	const validate = compiledValidator('schemaStructure')
	return validate(value) ? [] : (validate.errors ?? [])
}

const structureProblem = (error: ErrorObject): Problem | undefined => {
	const path = jsonPointerParts(error.instancePath)
	const params = error.params as Record<string, unknown>
	const at = (extra?: string) => [...path, ...(extra === undefined ? [] : [extra])].join('.')
	const problem = (where: string, message: string): Problem => ({ path: where, message, code: 'INVALID_STRUCTURE' })
	switch (error.keyword) {
		case 'if': // the failing `then` branch is reported on its own
			return undefined
		case 'required':
			return problem(at(), `missing required property "${params.missingProperty}"`)
		case 'additionalProperties':
			return problem(at(String(params.additionalProperty)), 'unknown property (not part of the Contember schema format)')
		case 'enum':
			return problem(at(), `must be one of ${(params.allowedValues as unknown[]).map(it => JSON.stringify(it)).join(', ')}`)
		case 'const':
			return problem(at(), `must be ${JSON.stringify(params.allowedValue)}`)
		case 'type':
			return problem(at(), `must be ${String(params.type).replace(',', ' or ')}`)
		case 'minItems':
		case 'minLength':
			return problem(at(), 'must not be empty')
		default:
			return problem(at(), error.message ?? `fails ${error.keyword}`)
	}
}

const semanticProblems = (input: unknown): Problem[] => {
	const problems: Problem[] = []
	const report = (path: string, code: SchemaProblemCode, message: string) => problems.push({ path, message, code })
	const schema = normalizeSchema(input)
	if (!isObject(schema) || !isObject(schema.model)) return problems
	const model = schema.model as Model
	const guarded = (run: () => void) => {
		try {
			run()
		} catch (error) {
			// malformed input ajv already reported can trip a rule; anything else is our bug
			problems.push({ path: '', message: `semantic check crashed: ${String(error)}`, code: 'INTERNAL' })
		}
	}
	guarded(() => validateEnums(model.enums, report))
	if (isObject(model.entities)) {
		for (const [key, entity] of Object.entries(model.entities)) {
			if (isObject(entity)) guarded(() => validateEntity(model, key, entity as never, report))
		}
	}
	guarded(() => validateTableNames(model, report))
	return problems
}

const dedupe = (problems: Problem[]): Problem[] => {
	const seen = new Set<string>()
	return problems.filter(problem => {
		const key = `${problem.path}\n${problem.code}\n${problem.message}`
		if (seen.has(key)) return false
		seen.add(key)
		return true
	})
}

/** Every problem of `schema` (structure and semantics); empty when valid. Never throws on bad input. */
export const validateSchema = (schema: unknown): Problem[] => {
	const structural = structureErrors(schema).map(structureProblem).filter(it => it !== undefined)
	const semantic = semanticProblems(schema)
	const crashed = semantic.filter(it => it.code === 'INTERNAL')
	if (crashed.length > 0 && structural.length === 0) {
		throw new InternalError(`schema validation failed unexpectedly: ${crashed[0]!.message}`)
	}
	return dedupe([...structural, ...semantic.filter(it => it.code !== 'INTERNAL')])
}

/**
 * Validates `schema` and returns it normalised (missing non-model parts, eventLog, unique and
 * indexes filled in; legacy maps turned into arrays). Throws ValidationError naming `sourceLabel`.
 */
export const assertValidSchema = (schema: unknown, sourceLabel: string): Schema => {
	const problems = validateSchema(schema)
	if (problems.length > 0) {
		throw new ValidationError(
			`The schema in ${sourceLabel} is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}):`,
			problems.map(problem => ({ ...problem, file: sourceLabel })),
			'INVALID_SCHEMA',
		)
	}
	return normalizeSchema(schema)
}
