/**
 * One check of every option's value against its declared type, for all commands (a global yargs
 * middleware in main.ts). yargs does not enforce types: a scalar option given twice arrives as
 * an array (`--database-url a --database-url b` → `['a', 'b']`, which then crashes deep inside),
 * `--flag=maybe` silently becomes `false`, `--database-url=` an empty string. Options declared
 * `array: true` are the repeatable ones. Messages name the option, never its value (it may be a
 * connection string).
 */
import { UsageError } from './output.js'

/** the part of yargs' getOptions() this check reads */
export interface DeclaredOptions {
	readonly array: readonly string[]
	readonly boolean: readonly string[]
	readonly string: readonly string[]
	readonly number: readonly string[]
	readonly choices: Readonly<Record<string, readonly unknown[]>>
	/** options declared with requiresArg (yargs keeps them as `narg`) */
	readonly narg: Readonly<Record<string, unknown>>
	/** yargs' own: never repeated by the user in a meaningful way */
	readonly key: Readonly<Record<string, unknown>>
}

const BUILT_IN = new Set(['help', 'version'])

const flag = (key: string) => `--${key}`

const camelCase = (key: string) => key.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())

/** `--flag=value` with a value yargs would silently read as false */
const booleanWithValue = (key: string, rawArgs: readonly string[]): string | undefined => {
	const forms = new Set([key, camelCase(key)])
	for (const arg of rawArgs) {
		const match = /^--([^=]+)=(.*)$/s.exec(arg)
		if (match && forms.has(match[1]!) && !['true', 'false'].includes(match[2]!)) return match[1]
	}
	return undefined
}

export const checkOptionTypes = (argv: Readonly<Record<string, unknown>>, options: DeclaredOptions, rawArgs: readonly string[]): void => {
	const repeatable = new Set(options.array)
	const scalars = new Set([...options.string, ...options.boolean, ...options.number, ...Object.keys(options.choices)])
	for (const key of scalars) {
		if (repeatable.has(key) || BUILT_IN.has(key)) continue
		const value = argv[key]
		if (value === undefined) continue
		if (Array.isArray(value)) {
			throw new UsageError(`${flag(key)} was given ${value.length} times; give it once.`)
		}
		if (options.boolean.includes(key)) {
			const written = booleanWithValue(key, rawArgs)
			if (typeof value !== 'boolean' || written !== undefined) throw new UsageError(`${flag(key)} is a switch: give it alone (or as --no-${key}), not with a value.`)
		} else if (options.number.includes(key)) {
			if (typeof value !== 'number' || !Number.isFinite(value)) throw new UsageError(`${flag(key)} needs a number.`)
		} else if (typeof value !== 'string' && !(key in options.choices)) {
			throw new UsageError(`${flag(key)} needs a text value.`)
		} else if (value === '' && key in options.narg) {
			throw new UsageError(`${flag(key)} needs a value; it was given an empty one.`)
		}
	}
}

/** global options that take a value, so the word after them is not the command */
const GLOBAL_WITH_VALUE = new Set(['--cwd', '--config'])

/** The command word of a command line: its first word that is not a global option or its value. */
export const firstCommandWord = (args: readonly string[]): string | undefined => {
	for (let i = 0; i < args.length; i++) {
		const arg = args[i]!
		if (arg === '--') return undefined
		if (GLOBAL_WITH_VALUE.has(arg)) i++
		else if (!arg.startsWith('-')) return arg
	}
	return undefined
}

/**
 * ` Did you mean "migrations:status"?` for a command word: a bare word names the command it ends
 * (`status` → migrations:status, `drift` → db:drift, `export` → schema:export), a misspelling
 * the closest commands (by full name or by the word after the colon).
 */
export const commandSuggestion = async (word: string, commands: readonly string[]): Promise<string> => {
	// loaded only for a wrong command line: `strata --help` loads no migrations code
	const { didYouMean, nearestMatches } = await import('../migrations/naming.js')
	const bare = commands.filter(name => name.slice(name.indexOf(':') + 1) === word.slice(word.indexOf(':') + 1))
	if (bare.length > 0) return didYouMean(bare[0]!, bare)
	const byWord = nearestMatches(word.slice(word.indexOf(':') + 1), commands.map(name => name.slice(name.indexOf(':') + 1)))
		.flatMap(short => commands.filter(name => name.endsWith(`:${short}`)))
	const matches = [...new Set(byWord)].slice(0, 3)
	return matches.length > 0 ? didYouMean(matches[0]!, matches) : ' Run "strata --help" for the list of commands.'
}

/** the options of the running command as yargs declares them, with the aliases */
export interface OptionNames {
	readonly key: Readonly<Record<string, unknown>>
}

/** ` Did you mean --check?` for each unknown option: the closest declared option of the command */
export const optionSuggestions = async (unknown: readonly string[], options: OptionNames): Promise<string> => {
	const { nearestMatches } = await import('../migrations/naming.js')
	const declared = Object.keys(options.key).filter(key => !key.includes('$') && !/[A-Z]/.test(key) && key !== '_')
	return unknown
		.map(word => {
			const name = word.replace(/^-+/, '')
			const near = nearestMatches(name, declared).map(it => `--${it}`)
			return near.length === 0 ? '' : ` Did you mean ${near.length === 1 ? near[0] : `${near.slice(0, -1).join(', ')} or ${near[near.length - 1]}`}${unknown.length > 1 ? ` (for ${name})` : ''}?`
		})
		.join('')
}

/** options yargs does not know; main.ts adds the suggestions (optionSuggestions) before reporting */
export class UnknownOptionError extends UsageError {
	constructor(readonly names: readonly string[], readonly declared: OptionNames) {
		super(`Unknown argument${names.length === 1 ? '' : 's'}: ${names.join(', ')}.`)
	}

	async withSuggestions(): Promise<UsageError> {
		return new UsageError(`${this.message}${await optionSuggestions(this.names, this.declared)}`)
	}
}
