/**
 * The migration file format (Contember's): `{ formatVersion, modifications, skippedErrors? }`,
 * plus strata's own `strata` key (lint suppressions, src/lint/extension.ts), which Contember's
 * reader ignores. Types and the writer; reading and validating is in parse.ts.
 */
import type { ErrorObject } from 'ajv'
import { InternalError } from '../errors.js'
import { jsonPointerParts } from '../jsonPointer.js'
import { isModificationId } from '../modifications/ids.js'
import type { Modification } from '../modifications/types.js'
import { FORMAT_VERSION_INITIAL, FORMAT_VERSION_LATEST } from '../modifications/versions.js'
import type { StrataExtension } from '../lint/extension.js'
import { compiledValidator, modificationDataSchema } from '../validators/compiled.js'

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
	/** strata's extension (lint suppressions); outside the checksum, like skippedErrors */
	readonly strata?: StrataExtension
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
	if (content.strata && Object.keys(content.strata).length > 0) out.strata = content.strata
	return `${JSON.stringify(out, null, '\t')}\n`
}

export const emptyMigrationContent = (): MigrationContent => ({ formatVersion: FORMAT_VERSION_LATEST, modifications: [] })

// ---------------------------------------------------------------------------------------------
// per-modification data validation (ajv validators compiled at build time, src/validators/)

/** the value at a JSON pointer (`/a/0/b`, or ajv's schema path `#/a/0/b`); undefined when absent */
const valueAt = (root: unknown, pointer: string): unknown => {
	let value = root
	for (const part of jsonPointerParts(pointer)) {
		if (typeof value !== 'object' || value === null) return undefined
		value = (value as Record<string, unknown>)[part]
	}
	return value
}

/**
 * What ajv's `verbose` option would add to an error (the failing keyword's schema, its parent
 * schema and the offending data), looked up here instead: verbose validators are a quarter larger
 * to load, and only failing files need these.
 */
const withContext = (error: ErrorObject, rootSchema: object, data: unknown): ErrorObject => ({
	...error,
	schema: valueAt(rootSchema, error.schemaPath),
	parentSchema: valueAt(rootSchema, error.schemaPath.slice(0, error.schemaPath.lastIndexOf('/'))) as ErrorObject['parentSchema'],
	data: valueAt(data, error.instancePath),
})

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
	// callers check the id first (an unknown id is the file's problem); the compiled validators also hold non-modification names
	if (!isModificationId(id)) throw new InternalError(`validateModificationData: unknown modification "${id}"`)
	const validate = compiledValidator(id)
	if (validate(data)) return []
	const seen = new Set<string>()
	const rootSchema = modificationDataSchema(id)
	return simplify((validate.errors ?? []).map(error => withContext(error, rootSchema, data)))
		.map(describeError)
		.filter(issue => {
			const key = `${issue.path}\u0000${issue.message}`
			return seen.has(key) ? false : (seen.add(key), true)
		})
		.sort((a, b) => a.path.localeCompare(b.path))
}
