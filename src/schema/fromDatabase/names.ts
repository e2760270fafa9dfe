/**
 * How db:introspect names entities and fields after tables and columns, so that the forward
 * rule (snake_case, src/schema/naming.ts) gives the same table and column back wherever it can:
 *
 * - words are the runs of ASCII letters and digits between any other characters (`_`, `-`,
 *   spaces); a name with none is `table` / `field`;
 * - entity: every word with its first letter upper-cased (`post_tags` → `PostTags`);
 * - field: the first word lower-cased when it is all capitals, else its first letter
 *   lower-cased; the others with their first letter upper-cased (`created_at` → `createdAt`);
 * - a name starting with a digit gets a leading `_` (identifiers start with a letter or `_`);
 * - a name already taken gets the smallest numeric suffix from 2 that is free (`Post2`).
 */

const words = (name: string): string[] => name.split(/[^A-Za-z0-9]+/).filter(word => word !== '')

const upperFirst = (word: string) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`
const lowerFirst = (word: string) => (/^[A-Z0-9]+$/.test(word) ? word.toLowerCase() : `${word.charAt(0).toLowerCase()}${word.slice(1)}`)

const asIdentifier = (name: string, fallback: string) => (name === '' ? fallback : /^[0-9]/.test(name) ? `_${name}` : name)

/** `post_tags` → `PostTags` */
export const pascalCase = (name: string): string => asIdentifier(words(name).map(upperFirst).join(''), 'Table')

/** `created_at` → `createdAt`, `URL_path` → `urlPath` */
export const camelCase = (name: string): string => {
	const [first, ...rest] = words(name)
	return asIdentifier(first === undefined ? '' : `${lowerFirst(first)}${rest.map(upperFirst).join('')}`, 'field')
}

/**
 * English plural of the last word, without a dictionary: `y` after a consonant → `ies`
 * (`category` → `categories`), `s`, `x`, `z`, `ch`, `sh` → `+es`, anything else → `+s`.
 */
export const plural = (name: string): string => {
	if (/[^aeiou]y$/i.test(name)) return `${name.slice(0, -1)}ies`
	if (/(s|x|z|ch|sh)$/i.test(name)) return `${name}es`
	return `${name}s`
}

/** a joining column's relation name: the column without a trailing `_id` / `Id` (`author_id` → `author`) */
export const withoutIdSuffix = (column: string): string => {
	const stripped = column.replace(/(_id|Id|_ID)$/, '')
	return stripped === '' ? column : stripped
}

/** names handed out in one namespace (an entity's fields, the entities); `take` resolves a clash with a numeric suffix */
export class NameSpace {
	readonly #taken = new Set<string>()

	constructor(taken: Iterable<string> = []) {
		for (const name of taken) this.#taken.add(name)
	}

	has(name: string): boolean {
		return this.#taken.has(name)
	}

	/** `wanted`, or `wanted2`, `wanted3`, … whichever is free first and `allowed` accepts; recorded as taken */
	take(wanted: string, allowed: (name: string) => boolean = () => true): string {
		let name = wanted
		for (let suffix = 2; this.#taken.has(name) || !allowed(name); suffix++) name = `${wanted}${suffix}`
		this.#taken.add(name)
		return name
	}
}

/** code-point order of names, the same on every machine (localeCompare depends on the locale) */
export const byName = <T extends { readonly name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
