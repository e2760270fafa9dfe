/**
 * Structural schema comparison: object key order never matters, array order does, except
 * `model.entities.<E>.unique` and `.indexes`, which are compared as sets of identities.
 *
 * The `name` of a unique or an index is not part of its identity. Contember files up to format
 * version 4 stored generated names (`unique_Form_slug_e3207a`); since format 5 no SQL uses a
 * stored name (the real one is read from the database when something must be dropped), so a
 * replayed legacy history keeps names that a declared schema may or may not repeat. Two schemas
 * that differ only there are in sync: `project:validate`, `migrations:diff` (its round trip),
 * amend and snapshot checks all compare through here. Contember's differ instead emits
 * `removeIndexNames` and then, comparing names, drops and re-creates every named unique.
 */
const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value)

const canonical = (value: unknown): string => {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
	if (isObject(value)) {
		return `{${Object.keys(value).filter(k => value[k] !== undefined).sort().map(k => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`
	}
	return JSON.stringify(value) ?? 'undefined'
}

/** canonical JSON of a unique or an index without its legacy name: what identifies it */
export const constraintIdentity = (item: unknown): string => (isObject(item) && item.name !== undefined ? canonical({ ...item, name: undefined }) : canonical(item))

const isUnorderedPath = (path: readonly string[]) =>
	path.length === 4 && path[0] === 'model' && path[1] === 'entities' && (path[3] === 'unique' || path[3] === 'indexes')

export interface CompareOptions {
	/** compare the legacy names of uniques and indexes too (a replay must reproduce them exactly) */
	readonly names?: boolean
}

/** Every difference as `path: what differs`; empty when the two are equal. */
export const schemaDifferences = (expected: unknown, actual: unknown, path: string[] = [], limit = 50, options: CompareOptions = {}): string[] => {
	const out: string[] = []
	const identity = options.names ? canonical : constraintIdentity
	const walk = (a: unknown, b: unknown, at: string[]) => {
		if (out.length >= limit) return
		const where = at.join('.') || '(root)'
		if (Array.isArray(a) && Array.isArray(b)) {
			if (isUnorderedPath(at)) {
				const left = a.map(identity).sort()
				const right = b.map(identity).sort()
				if (left.join('\n') !== right.join('\n')) out.push(`${where}: expected ${left.join(', ')} but got ${right.join(', ')}`)
				return
			}
			if (a.length !== b.length) {
				out.push(`${where}: expected ${a.length} items but got ${b.length}`)
				return
			}
			a.forEach((item, i) => walk(item, b[i], [...at, String(i)]))
			return
		}
		if (isObject(a) && isObject(b)) {
			const keys = new Set([...Object.keys(a), ...Object.keys(b)])
			for (const key of keys) {
				// own properties only: `constructor` or `toString` is a name here, not Object.prototype's member
				const left = Object.hasOwn(a, key) ? a[key] : undefined
				const right = Object.hasOwn(b, key) ? b[key] : undefined
				if (left === undefined && right !== undefined) out.push(`${[...at, key].join('.')}: unexpected value ${canonical(right)}`)
				else if (left !== undefined && right === undefined) out.push(`${[...at, key].join('.')}: missing (expected ${canonical(left)})`)
				else walk(left, right, [...at, key])
			}
			return
		}
		if (canonical(a) !== canonical(b)) out.push(`${where}: expected ${canonical(a)} but got ${canonical(b)}`)
	}
	walk(expected, actual, path)
	return out
}

export const schemasEqual = (a: unknown, b: unknown): boolean => schemaDifferences(a, b, [], 1).length === 0

/** canonical JSON (sorted keys, no whitespace): the basis of checksums and equality */
export const canonicalJson = canonical
