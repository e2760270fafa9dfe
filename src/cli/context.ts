/**
 * Which project a command works on: the root (--cwd), the optional configuration (--config,
 * strata.config.json or package.json#strata; docs/configuration.md), and, when the config
 * declares several projects, the one named on the command line. Precedence of a setting:
 * command-line option > environment (DATABASE_URL, STRATA_SCHEMA_TIMEOUT) > the config (the
 * project's entry over the top level) > default.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'
import { StrataError, ValidationError, type Problem } from '../errors.js'
import { compiledValidator } from '../validators/compiled.js'
import { locateJsonSyntaxError } from '../migrations/parse.js'
import { didYouMean } from '../migrations/naming.js'
import { UsageError } from './output.js'
import { looksLikeConnectionString, misplacedConnectionString } from '../db/redact.js'

export const CONFIG_FILE_NAME = 'strata.config.json'

/** Settings of one project; in strata.config.json at the top level or under `projects.<name>`. */
export interface ProjectConfig {
	/** default `migrations`, relative to the config file */
	readonly migrationsDir?: string
	/** the declared schema (a .ts/.js module or a .json file), relative to the config file */
	readonly schema?: string
	readonly databaseUrl?: string
	/** PostgreSQL schema of the ledger, default `strata` */
	readonly ledgerSchema?: string
	/** time limit in seconds for loading a schema module (STRATA_SCHEMA_TIMEOUT overrides it), default 30 */
	readonly schemaTimeout?: number
	/** migrations:describe marks write-blocking rewrites and scans of tables with at least this many rows, default 1,000,000 */
	readonly largeTableRows?: number
	/** migrations:diff marks the migrations it writes online (docs/online.md), default false */
	readonly online?: boolean
	/** migrations:diff writes an expand/contract pair when the change is not backward compatible (docs/zero-downtime.md), default false */
	readonly expandContract?: boolean
	/** named databases (or schemas of one) for fleet runs (docs/fleet.md) */
	readonly targets?: { readonly [name: string]: TargetConfig }
	/** a command or a file listing more targets, one `name url-or-env [schema [ledgerSchema]]` a line */
	readonly targetsFrom?: { readonly command?: string; readonly file?: string }
}

/** one entry of `targets`: the connection inline or through an environment variable, the tables' schema, the ledger's */
export interface TargetConfig {
	readonly databaseUrl?: string
	readonly databaseUrlEnv?: string
	readonly schema?: string
	readonly ledgerSchema?: string
}

export interface StrataConfig extends ProjectConfig {
	readonly projects?: { readonly [name: string]: ProjectConfig }
}

export interface ProjectContext {
	/** the project directory: where the config file is, else --cwd, else the working directory */
	readonly root: string
	/** absolute */
	readonly migrationsDir: string
	/** absolute; undefined = the loader's default search (schema/index.ts, schema/schema.json) */
	readonly schemaPath?: string
	/** the effective settings of this project (top-level values overridden by the project's) */
	readonly config: StrataConfig
	/** the config file read, if any (strata.config.json, the --config file, or package.json) */
	readonly configPath?: string
	/** the file and the place in it the settings came from, if any */
	readonly configSource?: ConfigSource
	/** the selected entry of `projects`, if the config has any */
	readonly projectName?: string
	/** JSON pointer (in configSource's file) of the object holding the effective `targets`/`targetsFrom`, for messages */
	readonly targetsPointer?: string
}

/** where the configuration came from: a strata.config.json (or --config) file, or the `strata` key of package.json */
export interface ConfigSource {
	/** absolute path of the file read */
	readonly path: string
	/** JSON pointer of the settings inside the file: '' for a config file, '/strata' for package.json */
	readonly pointer: '' | '/strata'
}

/** `…/strata.config.json` or `…/package.json#strata`, for messages */
export const describeConfigSource = (source: ConfigSource): string => `${source.path}${source.pointer === '' ? '' : '#strata'}`

const readJsonFile = async (path: string, required: boolean): Promise<unknown> => {
	let text: string
	try {
		text = await readFile(path, 'utf8')
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !required) return undefined
		throw new StrataError('CONFIG_NOT_FOUND', `Cannot read the config file ${path}: ${(error as Error).message}`)
	}
	try {
		return JSON.parse(text)
	} catch {
		const at = locateJsonSyntaxError(text)
		throw new StrataError('CONFIG_INVALID', `The config file ${path} is not valid JSON${at ? ` (line ${at.line}, column ${at.column}: ${at.message})` : ''}.`)
	}
}

const ALLOWED_SETTINGS = ['migrationsDir', 'schema', 'databaseUrl', 'ledgerSchema', 'schemaTimeout', 'largeTableRows', 'online', 'expandContract', 'targets', 'targetsFrom', 'projects']

/** the settings allowed in the object at `instancePath` of the config */
const allowedAt = (instancePath: string): readonly string[] =>
	/\/targets\/[^/]+$/.test(instancePath) ? ['databaseUrl', 'databaseUrlEnv', 'schema', 'ledgerSchema']
		: /\/targetsFrom$/.test(instancePath) ? ['command', 'file']
			: ALLOWED_SETTINGS.slice(0, instancePath ? -1 : undefined)

/** Checks settings read from `source` against the config schema (configSchema.ts); problems name the file and the path inside it. */
export const validateConfig = (json: unknown, source: ConfigSource): StrataConfig => {
	// looked up here, not at import: a project without a config never loads the validators for it
	const validate = compiledValidator('projectConfig')
	if (validate(json)) return json as StrataConfig
	const problems: Problem[] = (validate.errors ?? []).map(error => {
		const extra = (error.params as { additionalProperty?: string }).additionalProperty
		const at = `${source.pointer}${error.instancePath}`
		return extra !== undefined
			? { file: source.path, path: `${at}/${extra}`, message: `unknown setting; allowed: ${allowedAt(error.instancePath).join(', ')}.${didYouMean(extra, allowedAt(error.instancePath))}` }
			: { file: source.path, path: at || '/', message: error.message ?? 'invalid' }
	})
	const what = source.pointer === '' ? `The config file ${source.path} is invalid:` : `The "strata" settings in ${source.path} are invalid:`
	throw new ValidationError(what, problems, 'CONFIG_INVALID')
}

/**
 * The configuration of the project directory `cwd`, from one place: --config (a file; a
 * package.json given there is read for its `strata` key), else strata.config.json, else the
 * `strata` key of package.json. Both strata.config.json and package.json#strata is an error:
 * which one applies (a ledger schema, a database URL) must never be a guess.
 */
export const readProjectConfig = async (cwd: string, explicit: string | undefined): Promise<{ config: StrataConfig; source: ConfigSource } | undefined> => {
	if (explicit !== undefined) {
		const path = resolve(cwd, explicit)
		const json = await readJsonFile(path, true)
		if (basename(path) === 'package.json') {
			const settings = (json as { strata?: unknown } | null)?.strata
			if (settings === undefined) throw new StrataError('CONFIG_INVALID', `--config ${explicit}: ${path} has no "strata" key.`)
			const source = { path, pointer: '/strata' } as const
			return { config: validateConfig(settings, source), source }
		}
		const source = { path, pointer: '' } as const
		return { config: validateConfig(json, source), source }
	}
	const configFile = resolve(cwd, CONFIG_FILE_NAME)
	const packageFile = resolve(cwd, 'package.json')
	const fileJson = await readJsonFile(configFile, false)
	// package.json belongs to npm: only its "strata" key is ours, and a package.json without one is not read further
	const packageJson = existsSync(packageFile) ? await readJsonFile(packageFile, false) : undefined
	const packageSettings = typeof packageJson === 'object' && packageJson !== null ? (packageJson as { strata?: unknown }).strata : undefined
	if (fileJson !== undefined && packageSettings !== undefined) {
		throw new StrataError('CONFIG_CONFLICT', `Both ${configFile} and the "strata" key of ${packageFile} configure strata; keep one of them (docs/configuration.md). `
			+ 'Nothing was read from either.')
	}
	if (fileJson !== undefined) {
		const source = { path: configFile, pointer: '' } as const
		return { config: validateConfig(fileJson, source), source }
	}
	if (packageSettings !== undefined) {
		const source = { path: packageFile, pointer: '/strata' } as const
		return { config: validateConfig(packageSettings, source), source }
	}
	return undefined
}

/**
 * A directory is a project when it has a config file, a `schema/` or a `migrations/` folder.
 * Anything else is most likely the wrong directory: no command may create files, folders or an
 * embedded database there, so it is an error that says how to start a project.
 */
const assertProjectExists = (root: string, migrationsDir: string): void => {
	if (existsSync(migrationsDir) || existsSync(join(root, 'schema'))) return
	if (!existsSync(root)) throw new StrataError('NO_PROJECT', `The project directory ${root} does not exist. Pass --cwd <dir> with the folder of your project.`)
	throw new StrataError('NO_PROJECT',
		`${root} is not a strata project: it has no ${CONFIG_FILE_NAME}, no schema/ folder and no migrations/ folder.\n`
		+ 'To start a project here, declare the schema in schema/index.ts (`export default defineSchema({ entities: [ … ] })`, see docs/schema.md) '
		+ 'and run "strata migrations:diff init" to write the first migration. To work on a project elsewhere, pass --cwd <dir>.')
}

export interface ResolveArgs {
	readonly cwd?: string
	readonly config?: string
	readonly project?: string
	/** --schema: the declared schema, relative to the project directory; overrides the config's `schema` */
	readonly schema?: string
}

/** Resolves the project a command works on. The config file is optional. */
export const resolveProject = async (argv: ResolveArgs): Promise<ProjectContext> => {
	const cwd = resolve(argv.cwd ?? process.cwd())
	const read = await readProjectConfig(cwd, argv.config)
	const fileConfig = read?.config
	const configPath = read ? describeConfigSource(read.source) : resolve(cwd, CONFIG_FILE_NAME)
	const root = read && argv.config !== undefined ? dirname(read.source.path) : cwd
	const { projects, ...topLevel } = fileConfig ?? {}
	const names = Object.keys(projects ?? {})
	let projectName: string | undefined
	if (argv.project !== undefined) {
		// a URL typed where the project name goes must not be echoed: it may carry a password
		if (looksLikeConnectionString(argv.project)) {
			throw new StrataError('PROJECT_NOT_FOUND', misplacedConnectionString('a project name'))
		}
		if (names.length === 0) {
			throw new StrataError('PROJECT_NOT_FOUND', `Project "${argv.project}" given, but ${fileConfig ? `${configPath} declares no "projects"` : `there is no ${CONFIG_FILE_NAME}`}.`)
		}
		if (!names.includes(argv.project)) {
			throw new StrataError('PROJECT_NOT_FOUND', `Unknown project "${argv.project}"; ${configPath} declares ${names.join(', ')}.${didYouMean(argv.project, names)}`)
		}
		projectName = argv.project
	} else if (names.length === 1) {
		projectName = names[0]
	} else if (names.length > 1) {
		throw new StrataError('PROJECT_REQUIRED', `${configPath} declares several projects (${names.join(', ')}); name one, e.g. "strata <command> ${names[0]} ...".`)
	}
	const config: StrataConfig = { ...topLevel, ...(projectName ? projects![projectName] : {}) }
	const inRoot = (path: string) => (isAbsolute(path) ? path : resolve(root, path))
	const migrationsDir = inRoot(config.migrationsDir ?? 'migrations')
	if (!fileConfig) assertProjectExists(root, migrationsDir)
	return {
		root,
		migrationsDir,
		...(argv.schema !== undefined ? { schemaPath: resolve(cwd, argv.schema) } : config.schema ? { schemaPath: inRoot(config.schema) } : {}),
		config,
		...(read ? { configPath: read.source.path, configSource: read.source } : {}),
		...(projectName ? { projectName } : {}),
		...(read ? { targetsPointer: projectName && (projects![projectName]!.targets || projects![projectName]!.targetsFrom) ? `${read.source.pointer}/projects/${projectName}` : read.source.pointer } : {}),
	}
}

/**
 * Optional positionals in command-line order, including words after `--`: yargs never fills
 * positionals from those and leaves them in `_`, after the command. `names` are the command's
 * optional positionals in order; the words go to them in order, more words is a usage error.
 */
export const fillPositionals = <A extends { readonly _?: readonly (string | number)[] }>(argv: A, names: readonly (keyof A & string)[]): A => {
	const [command, ...afterSeparator] = (argv._ ?? []).map(String)
	const words = [...names.map(name => argv[name] as string | undefined), ...afterSeparator].filter((word): word is string => word !== undefined)
	if (words.length > names.length) {
		throw new UsageError(`Too many arguments (${words.length}): strata ${command ?? '<command>'} takes ${names.map(name => `[${name}]`).join(' ')}.`)
	}
	const filled: Record<string, unknown> = { ...argv, _: command === undefined ? [] : [command] }
	names.forEach((name, index) => (filled[name] = words[index]))
	return filled as A
}

/** A variadic positional's words followed by the words after `--` (see fillPositionals). */
export const variadicWords = (values: readonly string[] | undefined, argv: { readonly _?: readonly (string | number)[] }): string[] =>
	[...(values ?? []), ...(argv._ ?? []).slice(1).map(String)]

/**
 * `[project] [name]` positionals, in command-line order: one word is the name, two are the
 * project and the name. Both are optional for yargs so that the name may follow `--`
 * (`strata migrations:blank -- add-tags`); the name is required here.
 */
export const projectAndName = (argv: { readonly project?: string; readonly name?: string; readonly _?: readonly (string | number)[] }): { project?: string; name: string } => {
	const { project, name } = fillPositionals(argv, ['project', 'name'])
	if (project === undefined) throw new UsageError(`Name the migration: strata ${argv._?.[0] ?? '<command>'} [project] <name> (e.g. add-categories).`)
	return name === undefined ? { name: project } : { project, name }
}
