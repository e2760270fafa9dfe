/**
 * A project as the API sees it: where it is, its settings, its migration files and its declared
 * schema. The same resolution as the CLI's (strata.config.json or package.json#strata, `projects`, defaults).
 */
import { resolveProject, type StrataConfig } from '../cli/context.js'
import { readMigrations, type MigrationFile } from '../migrations/files.js'
import { loadDeclaredSchema, projectSchemaOptions } from '../schema/loader.js'
import type { Schema } from '../schema/model.js'

export interface LoadProjectOptions {
	/** the project directory (default: the working directory) */
	readonly cwd?: string
	/** the config file, relative to `cwd` (default: strata.config.json there, else the `strata` key of package.json; optional) */
	readonly config?: string
	/** the project's name, when the config declares several `projects` */
	readonly project?: string
	/** the declared schema (a .ts/.js module, a .json file or a folder), relative to `cwd`; overrides the config's `schema` */
	readonly schema?: string
}

export interface StrataProject {
	/** the project directory: where the config file is, else `cwd` */
	readonly root: string
	/** absolute */
	readonly migrationsDir: string
	/** absolute; undefined = the default search (schema/index.ts, schema/schema.json) */
	readonly schemaPath?: string
	/** the effective settings (top-level values overridden by the selected project's) */
	readonly config: StrataConfig
	/** the config file read, if any */
	readonly configPath?: string
	/** the selected entry of `projects`, if the config has any */
	readonly projectName?: string
}

/**
 * Finds the project: the config file (optional), the selected project, the migrations
 * directory and the declared schema's path. Reads no migration and loads no schema.
 *
 * @throws StrataError `NO_PROJECT` when the directory has no config, `schema/` or `migrations/`;
 *   `CONFIG_INVALID`, `PROJECT_NOT_FOUND`, `PROJECT_REQUIRED` as the CLI reports them.
 */
export const loadProject = (options: LoadProjectOptions = {}): Promise<StrataProject> =>
	resolveProject({ cwd: options.cwd, config: options.config, project: options.project, schema: options.schema })

/**
 * Every migration file of the project, parsed and checked, in version order.
 *
 * @throws ValidationError listing every problem (file, JSON path, message) when a file is invalid
 */
export const readProjectMigrations = (project: StrataProject): Promise<MigrationFile[]> => readMigrations(project.migrationsDir)

/**
 * The declared schema: a TypeScript/JavaScript module (default export) or a JSON file, validated.
 *
 * @throws ValidationError when the schema is invalid; StrataError `SCHEMA_NOT_FOUND` when there is none
 */
export const loadProjectSchema = async (project: StrataProject): Promise<Schema> => (await loadDeclaredSchema(projectSchemaOptions(project))).schema
