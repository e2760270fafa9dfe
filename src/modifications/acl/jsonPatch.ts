/**
 * RFC 6902 patches on the non-model parts of the schema (ACL, validation, triggers), applied
 * with the `rfc6902` package to private copies of the containers each operation touches (the rest
 * is shared): the input is never mutated, and any failing operation fails the whole modification,
 * naming the operation.
 */
import { applyPatch, type Operation } from 'rfc6902'
import { ModificationApplyError } from '../../errors.js'
import { jsonPointerParts } from '../../jsonPointer.js'

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

/**
 * Replaces every container on the way to the parent of `pointer` by a shallow copy, so that an
 * operation there changes only copies. A patch touches a few paths of a document that grows
 * with the history (the ACL of every entity): copying those paths instead of cloning the whole
 * document keeps a long replay linear. Returns false for a path through `__proto__`, which
 * assignment cannot copy safely.
 */
const copyPathTo = (root: Record<string, unknown>, pointer: string): boolean => {
	let node: Record<string, unknown> = root
	for (const part of jsonPointerParts(pointer).slice(0, -1)) {
		if (part === '__proto__') return false
		if (!Object.hasOwn(node, part)) return true
		const child = node[part]
		if (child === null || typeof child !== 'object') return true
		const copy = Array.isArray(child) ? child.slice() : { ...(child as Record<string, unknown>) }
		node[part] = copy
		node = copy as Record<string, unknown>
	}
	return true
}

export const applyJsonPatch = <T>(document: T, patch: readonly Operation[], what: string): T => {
	if (document === null || typeof document !== 'object') return applyCopied(structuredClone(document), patch, what)
	const copy = (Array.isArray(document) ? document.slice() : { ...document }) as T & Record<string, unknown>
	// values the patch adds are the migration file's own objects: later operations must not change them
	const operations = structuredClone(patch) as Operation[]
	for (const [index, operation] of operations.entries()) {
		// copied right before the operation runs: an earlier one may have moved shared objects onto its path
		const paths = 'from' in operation ? [operation.path, operation.from] : [operation.path]
		if (!paths.every(path => typeof path === 'string' && copyPathTo(copy, path))) return applyCopied(structuredClone(document), patch, what)
		const [result] = applyPatch(copy, [operation])
		if (result) throw failure(what, patch, index, result.message)
	}
	return copy
}

const failure = (what: string, patch: readonly Operation[], index: number, message: string) => {
	const operation = patch[index]!
	return new ModificationApplyError(`Cannot apply the ${what} patch: operation #${index} (${operation.op} ${operation.path}) failed: ${message}`)
}

/** the whole patch on a document that is already private */
const applyCopied = <T>(copy: T, patch: readonly Operation[], what: string): T => {
	const results = applyPatch(copy, structuredClone(patch) as Operation[])
	const failed = results.findIndex(it => it !== null)
	if (failed !== -1) throw failure(what, patch, failed, results[failed]!.message)
	return copy
}

export type { Operation }
