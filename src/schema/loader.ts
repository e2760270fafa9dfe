/**
 * Loads the project's declared schema: an explicit path (from `--schema` or the
 * config), else `schema/index.ts` (default export, loaded with tsx: no build step), else
 * `schema/schema.json`. The result is normalised and validated; every problem is reported
 * with the file it came from.
 */
import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { extname, isAbsolute, join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { StrataError } from '../errors.js'
import type { Schema } from './model.js'
import { assertValidSchema } from './validate.js'

export interface LoadSchemaOptions {
	/** project root; relative paths are resolved against it */
	readonly root: string
	/** explicit schema file (or a folder holding index.ts / schema.json) */
	readonly schemaPath?: string
}

export interface LoadedSchema {
	readonly schema: Schema
	/** the file it came from, relative to the root when inside it */
	readonly source: string
}

const DEFAULT_CANDIDATES = ['schema/index.ts', 'schema/schema.json']
const CODE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'])

const isFile = (path: string) => existsSync(path) && statSync(path).isFile()

const findSchemaFile = (root: string, schemaPath: string | undefined): string => {
	if (schemaPath === undefined) {
		const candidates = DEFAULT_CANDIDATES.map(candidate => join(root, candidate))
		const found = candidates.find(isFile)
		if (found) return found
		throw new StrataError('SCHEMA_NOT_FOUND',
			`No declared schema found. Looked for:\n${candidates.map(it => `  - ${it}`).join('\n')}\nCreate schema/index.ts (default export: the schema) or pass --schema <path>.`)
	}
	const explicit = resolve(root, schemaPath)
	if (existsSync(explicit) && statSync(explicit).isDirectory()) {
		const candidates = ['index.ts', 'schema.json'].map(name => join(explicit, name))
		const found = candidates.find(isFile)
		if (found) return found
		throw new StrataError('SCHEMA_NOT_FOUND', `No schema in folder ${explicit}. Looked for:\n${candidates.map(it => `  - ${it}`).join('\n')}`)
	}
	if (!isFile(explicit)) throw new StrataError('SCHEMA_NOT_FOUND', `Schema file ${explicit} does not exist.`)
	return explicit
}

const firstLines = (text: string, count = 6) => text.split('\n').filter(line => line.trim() !== '').slice(0, count).join('\n  ')

const loadJson = async (file: string, source: string): Promise<unknown> => {
	const text = await readFile(file, 'utf8')
	try {
		return JSON.parse(text)
	} catch (error) {
		throw new StrataError('SCHEMA_LOAD_FAILED', `${source} is not valid JSON: ${(error as Error).message}`)
	}
}

const hasModel = (value: unknown): boolean => typeof value === 'object' && value !== null && 'model' in value

const loadModule = async (file: string, source: string): Promise<unknown> => {
	let module: Record<string, unknown>
	try {
		const { tsImport } = await import('tsx/esm/api')
		module = await tsImport(pathToFileURL(file).href, import.meta.url)
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error)
		throw new StrataError('SCHEMA_LOAD_FAILED', `Cannot load the declared schema from ${source}:\n  ${firstLines(message)}`, undefined, { cause: error })
	}
	let exported = module.default
	// a CommonJS-compiled module exposes its exports object as the default
	if (!hasModel(exported) && typeof exported === 'object' && exported !== null && 'default' in exported) {
		exported = (exported as { default: unknown }).default
	}
	if (typeof exported === 'function') {
		try {
			exported = await (exported as () => unknown)()
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error)
			throw new StrataError('SCHEMA_LOAD_FAILED', `The default export of ${source} threw:\n  ${firstLines(message)}`, undefined, { cause: error })
		}
	}
	if (exported === undefined) {
		throw new StrataError('SCHEMA_LOAD_FAILED', `${source} has no default export. Export the schema: \`export default defineSchema({ … })\`.`)
	}
	return exported
}

/** Finds, loads, normalises and validates the declared schema. */
export const loadDeclaredSchema = async (options: LoadSchemaOptions): Promise<LoadedSchema> => {
	const root = resolve(options.root)
	const file = findSchemaFile(root, options.schemaPath)
	const inside = relative(root, file)
	const source = inside.startsWith('..') || isAbsolute(inside) ? file : inside
	const raw = CODE_EXTENSIONS.has(extname(file)) ? await loadModule(file, source) : await loadJson(file, source)
	return { schema: assertValidSchema(raw, source), source }
}
