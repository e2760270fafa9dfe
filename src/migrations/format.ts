/**
 * The migration file format (Contember's): `{ formatVersion, modifications, skippedErrors? }`.
 * Types and the writer; reading and validating is in parse.ts.
 */
import { createHash } from 'node:crypto'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import standaloneCodeModule from 'ajv/dist/standalone/index.js'
import { InternalError } from '../errors.js'
import { getModificationHandler, modificationHandlers, modificationIds } from '../modifications/registry.js'
import type { Modification } from '../modifications/types.js'
import { FORMAT_VERSION_INITIAL, FORMAT_VERSION_LATEST } from '../modifications/versions.js'

export { FORMAT_VERSION_INITIAL, FORMAT_VERSION_LATEST }

/** A validation error a migration knowingly leaves in the schema (Contember's `skippedErrors`). */
export interface SkippedError {
	readonly code: string
	/** dot-separated schema path, e.g. `acl.public.entities.Question.predicates.isPublic`; absent = any path */
	readonly path?: string
	/** the skip stays active for later migrations up to and including this version */
	readonly skipUntil?: string
}

/** What a migration file holds. `version` and `name` come from the file name, never the content. */
export interface MigrationContent {
	readonly formatVersion: number
	readonly modifications: readonly Modification[]
	readonly skippedErrors?: readonly SkippedError[]
}

/** A parsed, validated migration file. */
export interface MigrationFile extends MigrationContent {
	/** file name without `.json`, e.g. `2024-05-01-120000-add-post` */
	readonly name: string
	/** the first 17 characters of the name, `YYYY-MM-DD-HHMMSS` */
	readonly version: string
	readonly label: string
	/** where it was read from (the bare file name for content not read from disk) */
	readonly path: string
	readonly modifications: Modification[]
	/** `sha256:<hex>` over the canonical `{ formatVersion, modifications }` */
	readonly checksum: string
}

/** `modification` first, then the data keys in their original order */
const orderModification = (modification: Modification): Modification => {
	const { modification: id, ...data } = modification
	return { modification: id, ...data }
}

/**
 * The file text strata writes: tab indentation (as Contember does, so mixed teams see no
 * churn), `modification` first in each object, and a trailing newline.
 */
export const serializeMigration = (content: MigrationContent): string => {
	const out: Record<string, unknown> = {
		formatVersion: content.formatVersion,
		modifications: content.modifications.map(orderModification),
	}
	if (content.skippedErrors && content.skippedErrors.length > 0) out.skippedErrors = content.skippedErrors
	return `${JSON.stringify(out, null, '\t')}\n`
}

export const emptyMigrationContent = (): MigrationContent => ({ formatVersion: FORMAT_VERSION_LATEST, modifications: [] })

// ---------------------------------------------------------------------------------------------
// per-modification data validation (ajv, one compiled validator per id, compiled on first use)

const ajvOptions = { allErrors: true, strict: false, verbose: true } as const
// created on first use: with the precompiled validators (store.ts) it is never needed
let ajv: Ajv | undefined
const validators = new Map<string, ValidateFunction>()

// CJS default export seen through NodeNext interop
const standaloneCode = ((standaloneCodeModule as unknown as { default?: unknown }).default ?? standaloneCodeModule) as (ajv: Ajv, refs: Record<string, string>) => string

/** identifies the data schemas and the ajv setup; precompiled validators are only reused for the same key */
export const validatorsKey = (): string =>
	createHash('sha256')
		.update(JSON.stringify({ ajv: '8', options: ajvOptions, schemas: modificationIds.map(id => [id, modificationHandlers[id].dataSchema]) }))
		.digest('hex')
		.slice(0, 20)

/**
 * A CommonJS module exporting one validator per id. Compiling the 46 data schemas takes about a
 * second; loading this code takes milliseconds, so the file store caches it on disk.
 */
export const generateValidatorsModule = (): string => {
	const generator = new Ajv({ ...ajvOptions, code: { source: true } })
	for (const id of modificationIds) generator.addSchema(modificationHandlers[id].dataSchema, `strata:${id}`)
	return standaloneCode(generator, Object.fromEntries(modificationIds.map(id => [id, `strata:${id}`])))
}

/** installs validators loaded from generateValidatorsModule's output (ids missing there compile lazily) */
export const usePrecompiledValidators = (loaded: Record<string, unknown>): void => {
	for (const id of modificationIds) {
		const validate = loaded[id]
		if (typeof validate === 'function' && !validators.has(id)) validators.set(id, validate as ValidateFunction)
	}
}

const validatorFor = (id: string): ValidateFunction => {
	let validate = validators.get(id)
	if (!validate) {
		try {
			validate = (ajv ??= new Ajv(ajvOptions)).compile(getModificationHandler(id).dataSchema)
		} catch (error) {
			throw new InternalError(`The data schema of modification "${id}" does not compile: ${(error as Error).message}`, { cause: error })
		}
		validators.set(id, validate)
	}
	return validate
}

const typeOf = (value: unknown): string =>
	value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'number' && Number.isInteger(value) ? 'integer' : typeof value

const brief = (value: unknown): string => {
	const text = JSON.stringify(value) ?? String(value)
	return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

const expectedType = (schema: unknown): string | undefined => {
	if (typeof schema !== 'object' || schema === null) return undefined
	const s = schema as { type?: string | string[]; enum?: unknown[]; const?: unknown }
	if (s.enum) return `one of ${s.enum.map(brief).join(', ')}`
	if (s.const !== undefined) return brief(s.const)
	if (s.type) return Array.isArray(s.type) ? s.type.join(' or ') : s.type
	return undefined
}

export interface DataIssue {
	/** JSON pointer relative to the modification object, e.g. `/field/type` */
	readonly path: string
	readonly message: string
}

const describeError = (error: ErrorObject): DataIssue => {
	const params = error.params as Record<string, unknown>
	switch (error.keyword) {
		case 'required': {
			const property = String(params.missingProperty)
			const expected = expectedType((error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties?.[property])
			return { path: `${error.instancePath}/${property}`, message: `required property is missing${expected ? ` (expected ${expected})` : ''}` }
		}
		case 'type':
			return { path: error.instancePath, message: `expected ${String(params.type).replace(',', ' or ')}, got ${typeOf(error.data)}` }
		case 'enum':
			return { path: error.instancePath, message: `expected one of ${(params.allowedValues as unknown[]).map(brief).join(', ')}, got ${brief(error.data)}` }
		case 'const':
			return { path: error.instancePath, message: `expected ${brief(params.allowedValue)}, got ${brief(error.data)}` }
		case 'additionalProperties': {
			const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {})
			return {
				path: `${error.instancePath}/${String(params.additionalProperty)}`,
				message: `unexpected property${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`,
			}
		}
		default:
			return { path: error.instancePath, message: `${error.message ?? 'is invalid'}${error.data !== undefined && typeof error.data !== 'object' ? `, got ${brief(error.data)}` : ''}` }
	}
}

/**
 * anyOf/oneOf failures: ajv reports every branch. When all but one branch fail on the value's
 * type, the remaining branch is what the author meant, so only its errors are reported.
 */
const simplify = (errors: readonly ErrorObject[]): ErrorObject[] => {
	const alternatives = errors.filter(it => it.keyword === 'anyOf' || it.keyword === 'oneOf')
	if (alternatives.length === 0) return errors.filter(it => it.keyword !== 'if')
	const alternative = alternatives[alternatives.length - 1]!
	const prefix = `${alternative.schemaPath}/`
	const inside = errors.filter(it => it.schemaPath.startsWith(prefix))
	const branches = new Map<string, ErrorObject[]>()
	for (const error of inside) {
		const branch = error.schemaPath.slice(prefix.length).split('/')[0]!
		branches.set(branch, [...(branches.get(branch) ?? []), error])
	}
	const plausible = [...branches.values()].filter(branch => !branch.some(it => it.keyword === 'type' && it.instancePath === alternative.instancePath))
	const rest = errors.filter(it => it !== alternative && !it.schemaPath.startsWith(prefix))
	if (plausible.length === 1) return simplify([...rest, ...plausible[0]!])
	const shapes = (alternative.schema as unknown[] | undefined)?.map(expectedType).filter(Boolean) ?? []
	const summary: ErrorObject = {
		...alternative,
		keyword: 'anyOfSummary',
		message: `does not match any allowed form${shapes.length ? ` (expected ${[...new Set(shapes)].join(' or ')})` : ''}`,
	}
	return simplify([...rest, summary])
}

/** Every problem of one modification's data (without the `modification` key); empty when valid. */
export const validateModificationData = (id: string, data: unknown): DataIssue[] => {
	const validate = validatorFor(id)
	if (validate(data)) return []
	const seen = new Set<string>()
	return simplify(validate.errors ?? [])
		.map(describeError)
		.filter(issue => {
			const key = `${issue.path}\u0000${issue.message}`
			return seen.has(key) ? false : (seen.add(key), true)
		})
		.sort((a, b) => a.path.localeCompare(b.path))
}
