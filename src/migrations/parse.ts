/**
 * Reading one migration file: JSON syntax (with line and column), the top-level shape, and
 * every modification against its handler's ajv schema. Every problem of a file is reported
 * at once, each with the file name, modification index, JSON path and what was expected.
 */
import { ValidationError, type Problem } from '../errors.js'
import { isModificationId, modificationIds } from '../modifications/ids.js'
import type { Modification } from '../modifications/types.js'
import { migrationChecksum } from './checksum.js'
import { FORMAT_VERSION_INITIAL, FORMAT_VERSION_LATEST, type MigrationFile, type SkippedError, validateModificationData } from './format.js'
import { didYouMean, VERSION_LENGTH } from './naming.js'
import { checkStrataExtension, STRATA_EXTENSION_KEY } from '../lint/extension.js'
import { featureDescriptions, strataOnlyFeaturesUsed } from './strataOnly.js'
import { conversionExpressionProblem } from './conversionExpression.js'


/** Contember's keys, and strata's own extension (which Contember's reader ignores) */
const TOP_LEVEL_KEYS = ['formatVersion', 'modifications', 'skippedErrors', STRATA_EXTENSION_KEY]

export const typeName = (value: unknown): string =>
	value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'number' && Number.isInteger(value) ? 'integer' : typeof value

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

const show = (value: unknown): string => {
	const text = JSON.stringify(value) ?? String(value)
	return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** Line and column (1-based) of the first JSON syntax error, with what was expected there. */
export const locateJsonSyntaxError = (text: string): { line: number; column: number; message: string } | undefined => {
	let at = 0
	const fail = (expected: string, token?: string): never => {
		const found = token !== undefined ? `"${token}"` : at >= text.length ? 'end of file (is the file truncated?)' : `"${text[at]}"`
		throw Object.assign(new Error(`expected ${expected}, found ${found}`), { at })
	}
	const ws = () => {
		while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++
	}
	const literal = (word: string) => {
		if (text.startsWith(word, at)) at += word.length
		else fail(`"${word}"`, /^[\w.+-]*/.exec(text.slice(at, at + 20))![0])
	}
	const string = () => {
		if (text[at] !== '"') fail('a string in double quotes')
		at++
		for (;;) {
			if (at >= text.length) fail('a closing \'"\'')
			const char = text[at]!
			if (char === '"') return void at++
			if (char < ' ') fail('no control character (newline or tab) inside a string')
			if (char === '\\') {
				at++
				if (text[at] === 'u') {
					if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 1, at + 5))) fail('four hex digits after \\u')
					at += 5
				} else if (at < text.length && '"\\/bfnrt'.includes(text[at]!)) at++
				else fail('a valid escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)')
			} else at++
		}
	}
	const number = () => {
		const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at, at + 400))
		if (!match) fail('a value (object, array, string, number, true, false or null)')
		at += match![0].length
	}
	const value = (): void => {
		ws()
		const char = text[at]
		if (char === '{') {
			at++
			ws()
			if (text[at] === '}') return void at++
			for (;;) {
				ws()
				string()
				ws()
				if (text[at] !== ':') fail('":" after the property name')
				at++
				value()
				ws()
				if (text[at] === ',') (at++, ws(), text[at] === '}' && fail('another property (trailing commas are not allowed)'))
				else if (text[at] === '}') return void at++
				else fail('"," or "}"')
			}
		}
		if (char === '[') {
			at++
			ws()
			if (text[at] === ']') return void at++
			for (;;) {
				value()
				ws()
				if (text[at] === ',') (at++, ws(), text[at] === ']' && fail('another item (trailing commas are not allowed)'))
				else if (text[at] === ']') return void at++
				else fail('"," or "]"')
			}
		}
		if (char === '"') return string()
		if (char === 't') return literal('true')
		if (char === 'f') return literal('false')
		if (char === 'n') return literal('null')
		return number()
	}
	try {
		value()
		ws()
		if (at < text.length) fail('end of file after the top-level value')
		return undefined
	} catch (error) {
		const offset = (error as { at: number }).at
		const before = text.slice(0, offset).split('\n')
		return { line: before.length, column: before[before.length - 1]!.length + 1, message: (error as Error).message }
	}
}

const parseJson = (text: string, problem: (path: string, message: string) => void): unknown => {
	const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
	try {
		return JSON.parse(body)
	} catch (error) {
		const located = locateJsonSyntaxError(body)
		if (body.trim() === '') problem('', 'the file is empty; expected a JSON object with "formatVersion" and "modifications"')
		else if (located) problem('', `invalid JSON at line ${located.line}, column ${located.column}: ${located.message}`)
		else problem('', `invalid JSON: ${(error as Error).message}`)
		return undefined
	}
}

/** deeper than any real migration (ACL predicates nest a few dozen levels at most); bounds every recursive walk over the file */
export const MAX_JSON_DEPTH = 128

/**
 * Values JSON allows but nothing downstream can hold, found with an explicit stack (the file may
 * be nested deeper than the call stack): a number that overflowed to ±Infinity (`1e400`), a NUL
 * character (PostgreSQL refuses it in names, text and jsonb), and nesting beyond MAX_JSON_DEPTH
 * (the checksum and the updaters walk values recursively). One problem per kind is enough.
 */
const checkValues = (json: unknown, problem: (path: string, message: string, modificationIndex?: number) => void): void => {
	const reported = new Set<string>()
	const report = (kind: string, path: string[], message: string) => {
		if (reported.has(kind)) return
		reported.add(kind)
		const index = path[0] === 'modifications' && path[1] !== undefined ? Number(path[1]) : undefined
		problem(`/${path.map(part => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`, message, index)
	}
	const stack: [unknown, string[]][] = [[json, []]]
	while (stack.length > 0) {
		const [value, path] = stack.pop()!
		if (typeof value === 'number' && !Number.isFinite(value)) report('number', path, 'a number too large for a double (it would be read as Infinity); write it as a string or a smaller number')
		else if (typeof value === 'string' && value.includes('\u0000')) report('nul', path, 'contains a NUL character (\\u0000), which PostgreSQL cannot store in a name, text or jsonb value')
		else if (typeof value === 'object' && value !== null) {
			if (path.length >= MAX_JSON_DEPTH) {
				report('depth', path, `nested more than ${MAX_JSON_DEPTH} levels deep`)
				continue
			}
			for (const [key, inner] of Object.entries(value)) {
				if (key.includes('\u0000')) report('nul', [...path, key], 'the property name contains a NUL character (\\u0000)')
				stack.push([inner, [...path, key]])
			}
		}
	}
}

const checkSkippedErrors = (value: unknown, problem: (path: string, message: string) => void): SkippedError[] | undefined => {
	if (value === undefined) return undefined
	if (!Array.isArray(value)) return void problem('/skippedErrors', `expected an array of { code, path?, skipUntil? }, got ${typeName(value)}`)
	value.forEach((entry, i) => {
		if (!isObject(entry)) return problem(`/skippedErrors/${i}`, `expected an object { code, path?, skipUntil? }, got ${typeName(entry)}`)
		if (typeof entry.code !== 'string') problem(`/skippedErrors/${i}/code`, `expected a string (a validation error code), got ${typeName(entry.code)}`)
		for (const key of ['path', 'skipUntil'] as const) {
			if (entry[key] !== undefined && typeof entry[key] !== 'string') problem(`/skippedErrors/${i}/${key}`, `expected a string, got ${typeName(entry[key])}`)
		}
		for (const key of Object.keys(entry)) {
			if (!['code', 'path', 'skipUntil'].includes(key)) problem(`/skippedErrors/${i}/${key}`, `unexpected property; allowed are code, path, skipUntil.${didYouMean(key, ['code', 'path', 'skipUntil'])}`)
		}
	})
	return value as SkippedError[]
}

const checkModification = (value: unknown, index: number, problem: (path: string, message: string, modificationIndex?: number) => void): void => {
	const path = `/modifications/${index}`
	if (!isObject(value)) return problem(path, `expected an object { "modification": "<id>", ... }, got ${typeName(value)}`, index)
	const id = value.modification
	if (id === undefined) return problem(`${path}/modification`, 'missing the modification id (e.g. "createEntity")', index)
	if (typeof id !== 'string') return problem(`${path}/modification`, `expected a modification id (string), got ${typeName(id)}`, index)
	if (!isModificationId(id)) {
		return problem(`${path}/modification`, `unknown modification "${id}".${didYouMean(id, modificationIds) || ' See docs/modifications.md for the known ids.'}`, index)
	}
	const { modification: _id, ...data } = value
	for (const issue of validateModificationData(id, data)) problem(`${path}${issue.path}`, `${id}: ${issue.message}`, index)
}

/**
 * Parses and validates one migration file. `name` is the file name (with or without `.json`).
 * Throws a ValidationError listing every problem of the file.
 */
export interface ParseOptions {
	/**
	 * The text of a file beside the migration (an executeSql step's `file`); it throws when the
	 * file cannot be read. Without it (content stored in the ledger) such a step must hold `sql`.
	 */
	readonly readSqlFile?: (fileName: string) => string
}

/**
 * An executeSql step written with `file`, its SQL read from that file and held in `sql` beside
 * it, so that the step runs it and the checksum covers it.
 */
const resolveSqlFiles = (modifications: readonly Modification[], options: ParseOptions, problem: (at: string, message: string, modificationIndex?: number) => void): Modification[] =>
	modifications.map((modification, index) => {
		const file = modification['file']
		if (modification.modification !== 'executeSql' || typeof file !== 'string') return modification
		if (!options.readSqlFile) {
			if (typeof modification['sql'] !== 'string') problem(`/modifications/${index}/file`, `the SQL file ${file} is not available here, and the step holds no "sql"`, index)
			return modification
		}
		if (modification['sql'] !== undefined) {
			problem(`/modifications/${index}`, 'give the SQL either inline ("sql") or in a file beside the migration ("file"), not both', index)
			return modification
		}
		try {
			const sql = options.readSqlFile(file)
			if (sql.trim() === '') problem(`/modifications/${index}/file`, `${file} beside the migration is empty`, index)
			return { ...modification, sql }
		} catch (error) {
			problem(`/modifications/${index}/file`, `cannot read ${file} beside the migration: ${error instanceof Error ? error.message : String(error)}`, index)
			return modification
		}
	})

export const parseMigration = (name: string, text: string, path?: string, options: ParseOptions = {}): MigrationFile => {
	const fileName = name.endsWith('.json') ? name : `${name}.json`
	const bareName = fileName.slice(0, -'.json'.length)
	const problems: Problem[] = []
	const problem = (at: string, message: string, modificationIndex?: number) =>
		problems.push({ file: fileName, ...(modificationIndex === undefined ? {} : { modificationIndex }), path: at, message })
	const fail = () => new ValidationError(`Migration ${fileName} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):`, problems, 'INVALID_MIGRATION')

	const json = parseJson(text, problem)
	if (problems.length > 0) throw fail()
	checkValues(json, problem)
	if (problems.length > 0) throw fail()
	if (!isObject(json)) {
		problem('', `expected a JSON object { "formatVersion": ${FORMAT_VERSION_LATEST}, "modifications": [...] }, got ${typeName(json)}`)
		throw fail()
	}
	if (json.modifications === undefined && (json.query !== undefined || json.queries !== undefined)) {
		problem('', 'this is a Contember content migration (GraphQL "query"/"queries"); strata runs schema migrations only ("modifications")')
		throw fail()
	}
	let formatVersion = FORMAT_VERSION_INITIAL
	if (json.formatVersion !== undefined) {
		const version = json.formatVersion
		if (typeof version === 'number' && Number.isInteger(version) && version >= FORMAT_VERSION_INITIAL && version <= FORMAT_VERSION_LATEST) formatVersion = version
		else problem('/formatVersion', `expected an integer from ${FORMAT_VERSION_INITIAL} to ${FORMAT_VERSION_LATEST}, got ${show(version)}`)
	}
	for (const key of Object.keys(json)) {
		if (!TOP_LEVEL_KEYS.includes(key)) problem(`/${key}`, `unexpected property; a migration holds only formatVersion, modifications, skippedErrors and strata.${didYouMean(key, TOP_LEVEL_KEYS)}`)
	}
	const skippedErrors = checkSkippedErrors(json.skippedErrors, problem)
	const strata = checkStrataExtension(json[STRATA_EXTENSION_KEY], problem)
	const modifications = json.modifications
	if (modifications === undefined) problem('/modifications', 'missing; expected an array of modifications (it may be empty)')
	else if (!Array.isArray(modifications)) problem('/modifications', `expected an array of modifications, got ${typeName(modifications)}`)
	else modifications.forEach((modification, index) => checkModification(modification, index, problem))
	if (problems.length > 0) throw fail()
	for (const [index, modification] of (modifications as Modification[]).entries()) {
		const conversion = (modification as { conversion?: unknown }).conversion
		const wrong = modification.modification === 'updateColumnDefinition' && typeof conversion === 'string' ? conversionExpressionProblem(conversion) : undefined
		if (wrong) problem(`/modifications/${index}/conversion`, `not usable as USING (…): ${wrong}`, index)
	}
	// a file Contember cannot run as strata does must say so where a reader sees it
	for (const [feature, indexes] of strataOnlyFeaturesUsed(modifications as Modification[])) {
		if (strata?.extensions?.includes(feature)) continue
		for (const index of indexes) {
			problem(feature === 'executeSql' ? `/modifications/${index}` : `/modifications/${index}/${feature}`, `strata's extension (${featureDescriptions[feature]}); a file holding it must declare it at the top level: "strata": { "extensions": ["${feature}"] }`, index)
		}
	}
	if (problems.length > 0) throw fail()

	const valid = resolveSqlFiles(modifications as Modification[], options, problem)
	if (problems.length > 0) throw fail()
	// computed on first use: replay and validation never need it, the ledger does
	let checksum: string | undefined
	return {
		name: bareName,
		version: bareName.slice(0, VERSION_LENGTH),
		label: bareName.slice(VERSION_LENGTH + 1),
		path: path ?? fileName,
		formatVersion,
		modifications: valid,
		...(skippedErrors ? { skippedErrors } : {}),
		...(strata ? { strata } : {}),
		get checksum() {
			return (checksum ??= migrationChecksum({ formatVersion, modifications: valid }))
		},
	}
}

export { show as showValue }
