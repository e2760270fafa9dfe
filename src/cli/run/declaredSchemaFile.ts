/**
 * Writing a declared schema into a project: where it goes and how it is written. Used by
 * schema:export (a schema replayed from migrations) and db:introspect (a schema read from a
 * live database). An existing schema file is replaced only with `force`; a file the loader would
 * read instead of the written one (schema/index.ts before schema/schema.json) is never shadowed.
 */
import { existsSync } from 'node:fs'
import { extname, join } from 'node:path'
import { writeFileAtomically } from '../../atomicWrite.js'
import { StrataError } from '../../errors.js'
import type { Schema } from '../../schema/model.js'

export const SCHEMA_FORMATS = ['json'] as const
export type SchemaFormat = (typeof SCHEMA_FORMATS)[number]

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
	throw new StrataError('SCHEMA_NOT_JSON', `strata.config.json names ${schemaPath} as the schema, which is not a .json file; --format json writes JSON. Point "schema" at a .json file. Nothing was written.`)
}

/** the file a schema in `format` is written to; throws when writing it there would be wrong or useless */
export const declaredSchemaTarget = (root: string, schemaPath: string | undefined, format: SchemaFormat): string => {
	switch (format) {
		case 'json': return jsonTargetOf(root, schemaPath)
	}
}

const render = (schema: Schema, format: SchemaFormat): string => {
	switch (format) {
		case 'json': return `${JSON.stringify(schema, null, '\t')}\n`
	}
}

/** writes `schema` to `target` in `format`; an existing file only with `force` */
export const writeDeclaredSchema = async (target: string, schema: Schema, format: SchemaFormat, force: boolean): Promise<void> => {
	await writeFileAtomically(target, render(schema, format), {
		replace: force,
		exists: () => new StrataError('SCHEMA_EXISTS', `${target} already exists. Pass --force to replace it. Nothing was written.`),
	})
}
