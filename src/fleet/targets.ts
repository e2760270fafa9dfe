/**
 * Fleet targets (docs/fleet.md), the pure part: the `targets` of the config and the lines of a
 * `targetsFrom` list as target specs, each resolved to a connection string, a schema for the
 * tables and a ledger schema of its own, and the selection of `--target`/`--targets`.
 * No file, process or database is touched here; every connection string learned is registered
 * with the redaction (src/db/redact.ts) before anything could print it.
 */
import { globToRegExp } from '../db/drift.js'
import { DEFAULT_LEDGER_SCHEMA } from '../db/ledgerDefaults.js'
import { looksLikeConnectionString, registerConnectionSecrets } from '../db/redact.js'
import { StrataError } from '../errors.js'
import { didYouMean } from '../migrations/naming.js'

/** a target as declared: where it came from (for messages) and how to reach it */
export interface TargetSpec {
	readonly name: string
	/** `strata.config.json /targets/eu` or `tenants.txt line 3`: prefixes every message about it */
	readonly origin: string
	/** whether `origin` is a JSON pointer (messages append `/databaseUrlEnv`) or a line */
	readonly originKind: 'pointer' | 'line'
	readonly databaseUrl?: string
	readonly databaseUrlEnv?: string
	readonly schema?: string
	readonly ledgerSchema?: string
}

/** a target ready to run: never printed whole (`url` may hold a password) */
export interface ResolvedTarget {
	readonly name: string
	readonly origin: string
	readonly url: string
	/** the PostgreSQL schema the tables go in; `public` unless the target names one */
	readonly schemaName: string
	readonly ledgerSchema: string
	/** the target declared its schema: a fleet run creates it when missing */
	readonly declaresSchema: boolean
}

export const TARGET_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

const invalid = (message: string) => new StrataError('TARGETS_INVALID', message)

/** `env:VAR` or `$VAR` (also `${VAR}`): the variable's name; undefined for anything else */
export const envReference = (word: string): string | undefined =>
	/^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(word)?.[1] ?? /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(word)?.[1]

/**
 * The lines of a `targetsFrom` command's output or file: `name url-or-env [schema [ledgerSchema]]`,
 * words separated by blanks; `#` starts a comment (at the start of a line or after a blank);
 * blank lines are skipped. The connection is a URL (postgres://… or postgresql://…) or an
 * environment variable as `env:VAR` or `$VAR`.
 *
 * @param source `tenants.txt` or `the targetsFrom command (list-tenants)`, for messages
 */
export const parseTargetLines = (text: string, source: string): TargetSpec[] => {
	const specs: TargetSpec[] = []
	// every URL on every line first: a message about line 3 must not echo the password of line 2
	for (const line of text.split(/\r?\n/)) for (const word of line.split(/\s+/)) if (looksLikeConnectionString(word)) registerConnectionSecrets(word)
	text.split(/\r?\n/).forEach((raw, index) => {
		const line = raw.replace(/(^|\s)#.*$/, '').trim()
		if (line === '') return
		const at = `${source} line ${index + 1}`
		const words = line.split(/\s+/)
		const [name, connection, schema, ledgerSchema, ...rest] = words
		if (rest.length > 0 || connection === undefined) {
			throw invalid(`${at}: expected "name url-or-env [schema [ledgerSchema]]", found ${words.length} word${words.length === 1 ? '' : 's'}.`)
		}
		if (looksLikeConnectionString(name!)) throw invalid(`${at}: the line starts with a database URL (not shown); the target's name comes first.`)
		if (!TARGET_NAME.test(name!)) throw invalid(`${at}: "${name}" is not a target name (letters, digits, _ and -).`)
		const env = envReference(connection)
		if (env === undefined && !looksLikeConnectionString(connection)) {
			throw invalid(`${at}: the connection of ${name} is neither a URL (postgresql://…) nor an environment variable (env:VAR or $VAR).`)
		}
		for (const [what, value] of [['schema', schema], ['ledger schema', ledgerSchema]] as const) {
			if (value !== undefined && !IDENTIFIER.test(value)) throw invalid(`${at}: the ${what} "${value}" of ${name} is not a plain identifier.`)
		}
		specs.push({
			name: name!, origin: at, originKind: 'line',
			...(env === undefined ? { databaseUrl: connection } : { databaseUrlEnv: env }),
			...(schema !== undefined ? { schema } : {}),
			...(ledgerSchema !== undefined ? { ledgerSchema } : {}),
		})
	})
	return specs
}

/** the `targets` object of the config as specs; `at` is `strata.config.json /targets` */
export const configTargets = (targets: { readonly [name: string]: { readonly databaseUrl?: string; readonly databaseUrlEnv?: string; readonly schema?: string; readonly ledgerSchema?: string } }, at: string): TargetSpec[] =>
	Object.entries(targets).map(([name, target]) => {
		registerConnectionSecrets(target.databaseUrl)
		return { name, origin: `${at}/${name}`, originKind: 'pointer', ...target }
	})

/** @throws StrataError `TARGETS_INVALID` when two specs have one name */
export const assertUniqueNames = (specs: readonly TargetSpec[]): void => {
	const seen = new Map<string, TargetSpec>()
	for (const spec of specs) {
		const earlier = seen.get(spec.name)
		if (earlier) throw invalid(`The target ${spec.name} is declared twice: ${earlier.origin} and ${spec.origin}.`)
		seen.set(spec.name, spec)
	}
}

/** `origin/field: message` for a config entry, `origin: field message` for a line */
const where = (spec: TargetSpec, field: string) => (spec.originKind === 'pointer' ? `${spec.origin}/${field}` : `${spec.origin} (${spec.name})`)

/** host, port and database of a URL, for telling whether two targets are the same database */
const databaseKey = (url: string): string => {
	try {
		const parsed = new URL(url)
		return `${parsed.hostname.toLowerCase()}:${parsed.port || '5432'}/${decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username)}`
	} catch {
		return url
	}
}

/** the ledger of a tenant schema, when the target names none: one per schema, so two tenants never share one */
export const derivedLedgerSchema = (schema: string): string => `${schema}_strata`

/**
 * Each spec with its connection (inline, or read from `env`), its schema and its ledger schema.
 * A target in a schema other than `public` gets the ledger `<schema>_strata` unless it names one;
 * a target in `public` gets the project's ledger schema. Two targets on one database may share
 * neither the tables' schema nor the ledger: each would apply the history over the other's.
 *
 * @throws StrataError `TARGETS_INVALID` (a duplicate name, a shared ledger), `TARGET_ENV_MISSING`
 */
export const resolveTargets = (specs: readonly TargetSpec[], env: NodeJS.ProcessEnv, defaults: { readonly ledgerSchema?: string } = {}): ResolvedTarget[] => {
	assertUniqueNames(specs)
	const resolved = specs.map((spec): ResolvedTarget => {
		let url = spec.databaseUrl
		if (url !== undefined && spec.databaseUrlEnv !== undefined) throw invalid(`${spec.origin}: give databaseUrl or databaseUrlEnv, not both.`)
		if (spec.databaseUrlEnv !== undefined) {
			url = env[spec.databaseUrlEnv]
			if (url === undefined || url.trim() === '') {
				throw new StrataError('TARGET_ENV_MISSING', `${where(spec, 'databaseUrlEnv')}: environment variable ${spec.databaseUrlEnv} is not set${url === undefined ? '' : ' (it is empty)'}.`)
			}
			registerConnectionSecrets(url)
		}
		if (url === undefined) throw invalid(`${spec.origin}: the target ${spec.name} has no connection; give databaseUrl or databaseUrlEnv (an environment variable's name, so no secret sits in the file).`)
		const schemaName = spec.schema ?? 'public'
		const ledgerSchema = spec.ledgerSchema ?? (schemaName === 'public' ? defaults.ledgerSchema ?? DEFAULT_LEDGER_SCHEMA : derivedLedgerSchema(schemaName))
		if (!IDENTIFIER.test(ledgerSchema)) {
			throw invalid(`${where(spec, 'ledgerSchema')}: the derived ledger schema ${ledgerSchema} is too long for PostgreSQL (63 characters); name one with ledgerSchema.`)
		}
		if (ledgerSchema === schemaName) throw invalid(`${where(spec, 'ledgerSchema')}: the ledger schema must not be the schema of the tables (${schemaName}).`)
		return { name: spec.name, origin: spec.origin, url, schemaName, ledgerSchema, declaresSchema: spec.schema !== undefined }
	})
	const ledgers = new Map<string, ResolvedTarget>()
	const tables = new Map<string, ResolvedTarget>()
	for (const target of resolved) {
		const key = databaseKey(target.url)
		const sameLedger = ledgers.get(`${key} ${target.ledgerSchema}`)
		if (sameLedger) throw invalid(`The targets ${sameLedger.name} (${sameLedger.origin}) and ${target.name} (${target.origin}) share the ledger ${target.ledgerSchema} of one database; give each its own ledgerSchema.`)
		ledgers.set(`${key} ${target.ledgerSchema}`, target)
		const sameTables = tables.get(`${key} ${target.schemaName}`)
		if (sameTables) throw invalid(`The targets ${sameTables.name} (${sameTables.origin}) and ${target.name} (${target.origin}) put their tables in the same schema ${target.schemaName} of one database.`)
		tables.set(`${key} ${target.schemaName}`, target)
	}
	return resolved
}

export interface TargetSelection {
	/** `--target NAME`, repeatable */
	readonly target?: readonly string[]
	/** `--targets all` or a glob (`tenant_*`, `eu-?`) */
	readonly targets?: string
}

export const selectionGiven = (selection: TargetSelection): boolean => (selection.target?.length ?? 0) > 0 || (selection.targets !== undefined && selection.targets !== '')

/**
 * The names selected, in declaration order, each once. `--target` names must exist; a glob
 * must match at least one. `--targets all` is every target.
 *
 * @throws StrataError `TARGET_NOT_FOUND`
 */
export const selectTargets = (names: readonly string[], selection: TargetSelection, configLabel: string): string[] => {
	const chosen = new Set<string>()
	const known = names.length === 0 ? 'no targets' : `the targets ${names.slice(0, 10).join(', ')}${names.length > 10 ? `, … (${names.length})` : ''}`
	for (const name of selection.target ?? []) {
		if (looksLikeConnectionString(name)) throw new StrataError('TARGET_NOT_FOUND', '--target takes a target\'s name; a database URL (not shown: it may hold a password) was given.')
		if (!names.includes(name)) throw new StrataError('TARGET_NOT_FOUND', `Unknown target "${name}"; ${configLabel} declares ${known}.${didYouMean(name, names)}`)
		chosen.add(name)
	}
	if (selection.targets !== undefined && selection.targets !== '') {
		const pattern = selection.targets
		const matched = pattern === 'all' ? [...names] : names.filter(name => globToRegExp(pattern).test(name))
		if (matched.length === 0) throw new StrataError('TARGET_NOT_FOUND', `--targets ${pattern} matches no target; ${configLabel} declares ${known}.`)
		for (const name of matched) chosen.add(name)
	}
	return names.filter(name => chosen.has(name))
}
