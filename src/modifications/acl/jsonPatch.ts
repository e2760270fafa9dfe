/**
 * RFC 6902 patches on the non-model parts of the schema (ACL, validation, triggers), applied
 * with the `rfc6902` package to a private copy: the input schema is never mutated, and any
 * failing operation fails the whole modification, naming the operation.
 */
import { applyPatch, type Operation } from 'rfc6902'
import { ModificationApplyError } from '../../errors.js'

export const jsonPatchSchema = {
	type: 'array',
	items: {
		type: 'object',
		required: ['op', 'path'],
		properties: {
			op: { type: 'string', enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] },
			path: { type: 'string' },
			from: { type: 'string' },
			value: {},
		},
		additionalProperties: false,
		allOf: [
			{ if: { properties: { op: { enum: ['add', 'replace', 'test'] } } }, then: { required: ['value'] } },
			{ if: { properties: { op: { enum: ['move', 'copy'] } } }, then: { required: ['from'] } },
		],
	},
} as const

export const applyJsonPatch = <T>(document: T, patch: readonly Operation[], what: string): T => {
	const copy = structuredClone(document) as T & object
	const results = applyPatch(copy, patch as Operation[])
	const failed = results.findIndex(it => it !== null)
	if (failed !== -1) {
		const operation = patch[failed]!
		throw new ModificationApplyError(`Cannot apply the ${what} patch: operation #${failed} (${operation.op} ${operation.path}) failed: ${results[failed]!.message}`)
	}
	return copy
}

export type { Operation }
