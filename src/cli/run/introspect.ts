/**
 * `db:introspect [project]`: reads the live database (only SELECTs on the catalog), maps it to
 * a declared schema (src/schema/fromDatabase), writes it with the shared writer and reports
 * every object the schema does not declare, then what db:drift will still report and the
 * `--ignore` flags that leave it out of migrations:baseline and db:drift.
 *
 * It starts projects, so a directory that is not a strata project yet is accepted when the
 * database is named (--database-url, DATABASE_URL or .env): there is nothing to introspect in
 * a new embedded database.
 */
import { existsSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { resolveDatabaseTarget } from '../../db/connection.js'
import { StrataError } from '../../errors.js'
import type { FromDatabaseResult } from '../../schema/fromDatabase/index.js'
import { introspectionTarget, introspectProjectDatabase } from '../../api/adoption.js'
import { resolveProject, type ProjectContext } from '../context.js'
import { createOutput, type Output } from '../output.js'
import type { SchemaFormat } from '../schemaFormats.js'
import { driftJson, printItems } from './drift.js'
import { ledgerSchemaOf, withDatabase, type DatabaseCommandArgs } from './status.js'

export interface IntrospectArgs extends DatabaseCommandArgs {
	readonly dbSchema?: string
	readonly format?: SchemaFormat
	readonly force?: boolean
}

/** the project, or a new one in an existing directory without config, schema/ or migrations/ when a database URL is given */
const projectOf = async (argv: IntrospectArgs): Promise<ProjectContext> => {
	try {
		return await resolveProject(argv)
	} catch (error) {
		const root = resolve(argv.cwd ?? process.cwd())
		if (!(error instanceof StrataError) || error.code !== 'NO_PROJECT' || !existsSync(root)) throw error
		const context: ProjectContext = { root, migrationsDir: join(root, 'migrations'), config: {} }
		if (resolveDatabaseTarget(context, argv).kind !== 'url') {
			throw new StrataError('NO_PROJECT', `${root} is not a strata project yet, and no database is named. Pass --database-url (or set DATABASE_URL) with the database to introspect; db:introspect then writes schema/schema.json here.`)
		}
		return context
	}
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

const summary = (result: FromDatabaseResult, tables: number, views: number): string => {
	const entities = result.mapping.filter(it => !it.view).length
	const viewEntities = result.mapping.length - entities
	const owning = result.mapping.flatMap(it => it.fields).filter(field => 'relation' in field && field.owning)
	const manyHasMany = owning.filter(field => 'relation' in field && field.relation === 'ManyHasMany').length
	const enums = Object.keys(result.schema.model.enums).length
	return [
		`${count(tables, 'table')} → ${count(entities, 'entity', 'entities')}${manyHasMany > 0 ? ` and ${count(manyHasMany, 'junction table')}` : ''}`,
		views > 0 ? `${count(views, 'view')} → ${count(viewEntities, 'view entity', 'view entities')}` : undefined,
		`${count(owning.length, 'relation')}${manyHasMany > 0 ? ` (${manyHasMany} many-has-many)` : ''}`,
		count(enums, 'enum'),
	].filter(part => part !== undefined).join('; ')
}

const printUnrepresentable = (result: FromDatabaseResult, output: Output) => {
	const rows = result.unrepresentable.map(item => ({ kind: item.kind, name: item.table !== undefined && !item.name.startsWith(item.table) ? `${item.name} (${item.table})` : item.name, reason: item.reason }))
	const kindWidth = Math.max(...rows.map(row => row.kind.length))
	const nameWidth = Math.min(40, Math.max(...rows.map(row => row.name.length)))
	for (const row of rows) output.info(`  ${output.color.yellow(row.kind.padEnd(kindWidth))}  ${row.name.padEnd(nameWidth)}  ${row.reason}`)
}

/** a pattern as a shell argument: quoted when the shell would expand or split it */
const shellWord = (pattern: string) => (/^[A-Za-z0-9_.\-]+$/.test(pattern) ? pattern : `'${pattern.replace(/'/g, `'\\''`)}'`)

export const run = async (argv: IntrospectArgs): Promise<number | void> => {
	const output = createOutput(argv)
	const context = await projectOf(argv)
	// before connecting: an existing file would stop the write after all the reading
	introspectionTarget(context, { format: argv.format ?? 'json', force: argv.force === true })
	const schemaName = argv.dbSchema ?? 'public'
	return withDatabase(argv, context, output, 'strata db:introspect', async database => {
		if (!output.jsonMode) output.note(`Database: ${database.description}, schema ${schemaName}`)
		const introspected = await introspectProjectDatabase({
			project: context, database: database.client, ledgerSchema: ledgerSchemaOf(argv, context), schemaName, format: argv.format ?? 'json', force: argv.force === true,
		})
		const { path: target, format, result, drift, ignore, shadowed } = introspected
		if (output.jsonMode) {
			output.json({ path: target, format, entities: result.mapping, unrepresentable: result.unrepresentable, drift: driftJson(drift, []).items, ignore, ...(shadowed ? { shadowed } : {}) })
			return
		}
		const shown = (file: string) => relative(process.cwd(), file) || file
		output.info(`Wrote ${shown(target)}: ${summary(result, introspected.tables, introspected.views)}.`)
		if (shadowed) output.warn(`${shown(shadowed)} is no longer read: strata reads ${shown(target)} before it. Delete it once you have checked the module.`)
		if (result.unrepresentable.length > 0) {
			output.info(output.color.bold(`Not declared in the schema (${result.unrepresentable.length}):`))
			printUnrepresentable(result, output)
		} else output.info('Every object of the schema is declared.')
		const flags = ignore.map(pattern => `--ignore ${shellWord(pattern)}`).join(' ')
		if (drift.length > 0) {
			output.info(output.color.bold(`db:drift and migrations:baseline will report ${count(drift.length, 'difference')} between the database and this schema:`))
			printItems(drift, output)
			output.info(`To leave them out, pass: ${flags}`)
		}
		output.info(`Next: review the schema, then "strata migrations:baseline initial${flags ? ` ${flags}` : ''}".`)
	})
}
