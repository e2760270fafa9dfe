/**
 * The last resort of the generator: what the written module's defineSchema() would build
 * differently from the schema it was given (something strata's DSL cannot express, such as a
 * primary field other than `id`) is set on the built schema as data, in a post-processing step
 * the module states openly. Nothing the schema holds is silently dropped.
 */
import { canonicalJson } from '../compare.js'
import type { JsonValue, Schema } from '../model.js'
import { own } from '../model.js'
import { literal } from './literal.js'

/** set `value` at `path`, or remove the property at `path` when `value` is undefined */
export interface Override {
	readonly path: readonly string[]
	readonly value: JsonValue | undefined
}

type JsonRecord = Readonly<Record<string, unknown>>

const keysOf = (...records: JsonRecord[]) => [...new Set(records.flatMap(record => Object.keys(record)))]

/** uniques and indexes are compared as sets, as the schema comparison does, but with their names */
const sameSet = (left: unknown, right: unknown) => {
	const items = (value: unknown) => (Array.isArray(value) ? value.map(canonicalJson).sort().join('\n') : canonicalJson(value))
	return items(left) === items(right)
}

const compareRecords = (wanted: JsonRecord, built: JsonRecord, path: readonly string[], deeper: (key: string) => ((w: JsonRecord, b: JsonRecord, at: string[]) => Override[]) | undefined): Override[] =>
	keysOf(wanted, built).flatMap(key => {
		const left = own(wanted, key)
		const right = own(built, key)
		const at = [...path, key]
		const nested = deeper(key)
		if (nested && isRecord(left) && isRecord(right)) return nested(left, right, at)
		const equal = key === 'unique' || key === 'indexes' ? sameSet(left, right) : canonicalJson(left) === canonicalJson(right)
		return equal ? [] : [{ path: at, value: left as JsonValue | undefined }]
	})

const isRecord = (value: unknown): value is JsonRecord => typeof value === 'object' && value !== null && !Array.isArray(value)

const compareEntity = (wanted: JsonRecord, built: JsonRecord, path: string[]): Override[] =>
	compareRecords(wanted, built, path, key => (key === 'fields' ? (w, b, at) => compareRecords(w, b, at, () => undefined) : undefined))

/**
 * The overrides that turn `built` into `wanted`, at the coarsest path that still names one
 * entity property or one field, so each says plainly what the DSL could not.
 */
export const overridesBetween = (wanted: Schema, built: Schema): Override[] =>
	compareRecords(wanted as unknown as JsonRecord, built as unknown as JsonRecord, [], key => key !== 'model' ? undefined
		: (w, b, at) => compareRecords(w, b, at, modelKey => modelKey !== 'entities' ? undefined
			: (we, be, entitiesAt) => compareRecords(we, be, entitiesAt, () => compareEntity)))

/** the post-processing step: a helper applying the overrides, and the module's default export */
export const overridesSection = (definedName: string, overrides: readonly Override[]): string => {
	const items = overrides.map(override => override.value === undefined
		? `\t{ path: ${literal([...override.path])}, remove: true },`
		: `\t{ path: ${literal([...override.path])}, value: ${literal(override.value, 1)} },`)
	return [
		'// Post-processing. strata\'s definition DSL cannot express these parts of the schema, so they are',
		'// set on what defineSchema() built, as data: without them this module would declare a different',
		'// schema. Move them into the definitions above if the DSL learns to express them.',
		'type Override = { readonly path: readonly string[]; readonly value?: unknown; readonly remove?: true }',
		'',
		'const overrides: readonly Override[] = [',
		...items,
		']',
		'',
		'/** a copy of `schema` with each override applied: a value set at its path, or the property removed */',
		'const withOverrides = (schema: Schema): Schema => {',
		'\tconst result = structuredClone(schema) as Record<string, any>',
		'\tfor (const override of overrides) {',
		'\t\tconst parent = override.path.slice(0, -1).reduce((node, key) => node[key], result)',
		'\t\tconst key = override.path[override.path.length - 1]!',
		'\t\tif (override.remove) delete parent[key]',
		'\t\telse Object.defineProperty(parent, key, { value: override.value, enumerable: true, writable: true, configurable: true })',
		'\t}',
		'\treturn result as Schema',
		'}',
		'',
		`export default withOverrides(${definedName})`,
	].join('\n')
}
