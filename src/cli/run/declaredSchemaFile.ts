/**
 * Writing a declared schema into a project: where it goes and how it is written. Used by
 * schema:export (a schema replayed from migrations) and db:introspect (a schema read from a
 * live database). An existing schema file is replaced only with `force`. A schema.json is never
 * written where the loader would read an index.ts instead; an index.ts may be written beside a
 * schema.json (it then shadows the JSON, which `shadowedSchemaFile` names so the caller can say so).
 */
import { existsSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import { writeFileAtomically } from '../../atomicWrite.js'
import { StrataError } from '../../errors.js'
import { schemaToTypeScript } from '../../schema/codegen/index.js'
import type { Schema } from '../../schema/model.js'
import type { SchemaFormat } from '../schemaFormats.js'

/** where the JSON schema goes: the config's `schema` when it names a .json file (or a folder), else schema/schema.json */
const jsonTargetOf = (root: string, schemaPath: string | undefined): string => {
	if (schemaPath === undefined) {
		const module = join(root, 'schema', 'index.ts')
		if (existsSync(module)) {
			throw new StrataError('SCHEMA_MODULE_EXISTS', `${module} exists, and strata reads it before schema/schema.json: an exported schema.json would be ignored. `
				+ 'Move schema/index.ts away (or point "schema" in strata.config.json at a .json file) and export again. Nothing was written.')
		}
		return join(root, 'schema', 'schema.json')
	}
	if (extname(schemaPath) === '.json') return schemaPath
	if (extname(schemaPath) === '') {
		if (existsSync(join(schemaPath, 'index.ts'))) {
			throw new StrataError('SCHEMA_MODULE_EXISTS', `${join(schemaPath, 'index.ts')} exists, and strata reads it before schema.json in that folder. Nothing was written.`)
		}
		return join(schemaPath, 'schema.json')
	}
	throw new StrataError('SCHEMA_NOT_JSON', `The schema path ${schemaPath} (--schema, or "schema" in the config) is not a .json file; --format json writes JSON. Point it at a .json file. Nothing was written.`)
}

const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts'])

/** where the schema module goes: the config's `schema` when it names a TypeScript file, `<folder>/index.ts` for a folder, else schema/index.ts */
const moduleTargetOf = (root: string, schemaPath: string | undefined): string => {
	if (schemaPath === undefined) return join(root, 'schema', 'index.ts')
	if (extname(schemaPath) === '') return join(schemaPath, 'index.ts')
	if (TYPESCRIPT_EXTENSIONS.has(extname(schemaPath))) return schemaPath
	throw new StrataError('SCHEMA_NOT_TS', `The schema path ${schemaPath} (--schema, or "schema" in the config) is not a TypeScript file; --format ts writes a TypeScript module. `
		+ 'Point "schema" at a .ts file or a folder (or export with --format json). Nothing was written.')
}

/** the file a schema in `format` is written to; throws when writing it there would be wrong or useless */
export const declaredSchemaTarget = (root: string, schemaPath: string | undefined, format: SchemaFormat): string => {
	switch (format) {
		case 'json': return jsonTargetOf(root, schemaPath)
		case 'ts': return moduleTargetOf(root, schemaPath)
	}
}

/**
 * The schema.json that a module written to `target` takes the place of: the loader reads
 * index.ts before schema.json in the same folder. It stays on disk, unread; undefined when there is none.
 */
export const shadowedSchemaFile = (target: string): string | undefined => {
	if (basename(target) !== 'index.ts') return undefined
	const json = join(dirname(target), 'schema.json')
	return existsSync(json) ? json : undefined
}

const render = (schema: Schema, format: SchemaFormat): string => {
	switch (format) {
		case 'json': return `${JSON.stringify(schema, null, '\t')}\n`
		case 'ts': return schemaToTypeScript(schema)
	}
}

/** writes `schema` to `target` in `format`; an existing file only with `force` */
export const writeDeclaredSchema = async (target: string, schema: Schema, format: SchemaFormat, force: boolean): Promise<void> => {
	await writeFileAtomically(target, render(schema, format), {
		replace: force,
		exists: () => new StrataError('SCHEMA_EXISTS', `${target} already exists. Pass --force to replace it. Nothing was written.`),
	})
}
