/**
 * Answers given on the command line or in a file, turned into RenameAnswers / FillAnswers.
 * Pure: the command reads the file and passes its text.
 */
import { StrataError } from '../errors.js'
import type { JsonValue } from '../schema/model.js'
import type { FillAnswer, FillAnswers, MissingFill } from './fills.js'
import type { RenameAnswers } from './renames.js'
import { own } from '../schema/model.js'

const NAME = '[A-Za-z_][A-Za-z0-9_]*'
const ENTITY_RENAME = new RegExp(`^(${NAME}):(${NAME})$`)
const FIELD_RENAME = new RegExp(`^(${NAME})\\.(${NAME}):(${NAME})$`)

/** `--rename Author:Writer`, `--rename Post.title:headline` (repeatable) */
export const parseRenameFlags = (flags: readonly string[]): Record<string, string> => {
	const out: Record<string, string> = {}
	for (const flag of flags) {
		const field = FIELD_RENAME.exec(flag)
		const entity = ENTITY_RENAME.exec(flag)
		if (field) out[`${field[1]}.${field[2]}`] = field[3]!
		else if (entity) out[entity[1]!] = entity[2]!
		else throw new StrataError('INVALID_RENAME', `--rename ${flag}: expected Entity:NewEntity or Entity.oldField:newField.`)
	}
	return out
}

/**
 * An answers file: `{ "Author": "Writer", "Post.title": "headline", "Post.body": null }`
 * (null = not a rename), optionally wrapped as `{ "renames": { … } }`.
 */
export const parseRenamesFile = (path: string, text: string): RenameAnswers => {
	let json: unknown
	try {
		json = JSON.parse(text)
	} catch (error) {
		throw new StrataError('INVALID_RENAMES_FILE', `${path} is not valid JSON: ${(error as Error).message}`)
	}
	const body = typeof json === 'object' && json !== null && 'renames' in json ? (json as { renames: unknown }).renames : json
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw new StrataError('INVALID_RENAMES_FILE', `${path}: expected an object such as { "Author": "Writer", "Post.title": "headline" }.`)
	}
	for (const [key, value] of Object.entries(body)) {
		if (value !== null && typeof value !== 'string') throw new StrataError('INVALID_RENAMES_FILE', `${path}: "${key}" must map to a new name (a string) or null.`)
	}
	return body as RenameAnswers
}

export interface RawFill {
	readonly key: string
	readonly kind: 'fill' | 'copy'
	readonly text: string
}

/** `--fill Post.title=untitled`, `--copy Post.slug=title` */
export const parseFillFlags = (fills: readonly string[], copies: readonly string[]): RawFill[] => {
	const parse = (kind: 'fill' | 'copy') => (flag: string): RawFill => {
		const eq = flag.indexOf('=')
		const key = eq < 0 ? '' : flag.slice(0, eq)
		if (!/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
			throw new StrataError('INVALID_FILL', `--${kind} ${flag}: expected Entity.field=${kind === 'fill' ? 'value' : 'otherField'}.`)
		}
		return { key, kind, text: flag.slice(eq + 1) }
	}
	return [...fills.map(parse('fill')), ...copies.map(parse('copy'))]
}

/** a fill value typed as the column needs it (numbers, booleans, JSON; text otherwise) */
export const typedFillValue = (missing: MissingFill, text: string): JsonValue => {
	const field = missing.field
	const type = 'type' in field && !('target' in field) ? field.type : 'Uuid'
	const fail = (expected: string) => new StrataError('INVALID_FILL', `Fill value for ${missing.key} must be ${expected}, got ${JSON.stringify(text)}.`)
	if ('list' in field && field.list) {
		try {
			const value = JSON.parse(text) as JsonValue
			if (Array.isArray(value)) return value
		} catch {
			// reported below
		}
		throw fail('a JSON array (the column is a list)')
	}
	switch (type) {
		case 'Integer': {
			if (!/^-?\d+$/.test(text.trim())) throw fail('an integer')
			return Number(text)
		}
		case 'Double':
		case 'Numeric': {
			const value = Number(text)
			if (text.trim() === '' || !Number.isFinite(value)) throw fail('a number')
			return value
		}
		case 'Bool':
			if (text === 'true' || text === 'false') return text === 'true'
			throw fail('true or false')
		case 'Json':
			try {
				return JSON.parse(text) as JsonValue
			} catch {
				throw fail('JSON')
			}
		default:
			return text
	}
}

/** flags matched against what is missing: unknown keys are an error (a typo would silently do nothing) */
export const fillAnswersFromFlags = (raw: readonly RawFill[], missing: readonly MissingFill[], enums: { readonly [name: string]: readonly string[] }): FillAnswers => {
	const out: Record<string, FillAnswer> = {}
	for (const flag of raw) {
		const target = missing.find(it => it.key === flag.key)
		if (!target) {
			const needed = missing.filter(it => it.fillable).map(it => it.key)
			throw new StrataError('INVALID_FILL', `--${flag.kind} ${flag.key}: this migration needs no fill value for ${flag.key}${needed.length ? ` (it needs one for ${needed.join(', ')})` : ''}.`)
		}
		if (!target.fillable) throw new StrataError('INVALID_FILL', `--${flag.kind} ${flag.key}: ${target.modification} cannot carry a fill value.`)
		if (flag.kind === 'copy') {
			out[flag.key] = { copy: flag.text }
			continue
		}
		const value = typedFillValue(target, flag.text)
		const field = target.field
		if ('type' in field && field.type === 'Enum' && 'columnType' in field) {
			const allowed = own(enums, field.columnType) ?? []
			if (typeof value === 'string' && !allowed.includes(value)) {
				throw new StrataError('INVALID_FILL', `Fill value for ${flag.key} must be one of ${allowed.join(', ')} (enum ${field.columnType}).`)
			}
		}
		out[flag.key] = { value }
	}
	return out
}
