/**
 * DEV's test project: a temporary directory with a declared schema (schema/schema.json) and a
 * migrations/ folder, the built CLI run in it against a given database, and catalog checks.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type pg from 'pg'
import { emptySchema, type Schema } from '../../../src/schema/model.js'
import { catalogDifferences, readCatalog, resolveExpected } from '../../helpers/catalog.js'
import { cliPath, runCli, type CliResult } from '../../cli/run.js'

export interface ColumnSpec {
	readonly type?: 'String' | 'Integer' | 'Bool' | 'Uuid'
	readonly nullable?: boolean
}

const columnTypes = { String: 'text', Integer: 'integer', Bool: 'boolean', Uuid: 'uuid' } as const

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()

/** an entity with an `id` primary key and the given columns (Contember's default naming) */
export const entity = (name: string, columns: Record<string, ColumnSpec> = {}) => ({
	name,
	primary: 'id',
	primaryColumn: 'id',
	tableName: snake(name),
	fields: {
		id: { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false },
		...Object.fromEntries(Object.entries(columns).map(([field, spec]) => {
			const type = spec.type ?? 'String'
			return [field, { name: field, columnName: snake(field), type, columnType: columnTypes[type], nullable: spec.nullable ?? true }]
		})),
	},
	unique: [],
	indexes: [],
	eventLog: { enabled: true },
})

/** a schema of entities built with `entity` */
export const schemaOf = (...entities: ReturnType<typeof entity>[]): Schema =>
	({ ...emptySchema, model: { enums: {}, entities: Object.fromEntries(entities.map(it => [it.name, it])) } }) as unknown as Schema

export class DevProject {
	readonly root: string
	constructor(readonly databaseUrl: string) {
		this.root = mkdtempSync(join(tmpdir(), 'strata-dev-'))
		mkdirSync(join(this.root, 'migrations'))
		mkdirSync(join(this.root, 'schema'))
	}

	declare(schema: Schema): void {
		writeFileSync(join(this.root, 'schema', 'schema.json'), `${JSON.stringify(schema, null, '\t')}\n`)
	}

	/** the CLI with --database-url (for commands that take it) */
	run(...args: string[]): CliResult {
		return runCli([...args, '--database-url', this.databaseUrl], { cwd: this.root })
	}

	/** the CLI without database options (offline commands) */
	runOffline(...args: string[]): CliResult {
		return runCli(args, { cwd: this.root })
	}

	/** started now, resolved at exit; `onOutput` sees stderr+stdout as it arrives */
	spawn(args: string[], onOutput?: (text: string) => void): Promise<CliResult> {
		return new Promise((resolve, reject) => {
			const env = { ...process.env }
			for (const key of ['NO_COLOR', 'FORCE_COLOR', 'STRATA_DEBUG', 'CI']) delete env[key]
			const child = spawn(process.execPath, [cliPath, ...args, '--database-url', this.databaseUrl], { cwd: this.root, env })
			let stdout = ''
			let stderr = ''
			child.stdout.on('data', chunk => { stdout += chunk; onOutput?.(stdout + stderr) })
			child.stderr.on('data', chunk => { stderr += chunk; onOutput?.(stdout + stderr) })
			child.on('error', reject)
			child.on('close', code => resolve({ code, stdout, stderr }))
		})
	}

	migrationNames(): string[] {
		return readdirSync(join(this.root, 'migrations')).filter(name => /^\d{4}-.*\.json$/.test(name)).map(name => name.slice(0, -5)).sort()
	}

	read(name: string): { formatVersion: number; modifications: { modification: string; [key: string]: unknown }[] } {
		return JSON.parse(readFileSync(join(this.root, 'migrations', `${name}.json`), 'utf8'))
	}

	write(name: string, content: object): void {
		writeFileSync(join(this.root, 'migrations', `${name}.json`), `${JSON.stringify(content, null, '\t')}\n`)
	}
}

/** the differences between the live `public` schema and what `schema` says it holds (empty = match) */
export const catalogMismatch = async (client: pg.Client, schema: Schema): Promise<string[]> =>
	catalogDifferences(await resolveExpected(client, schema), await readCatalog(client, 'public'))

export const ledgerRows = async (client: pg.Client): Promise<{ version: string; name: string; checksum: string }[]> =>
	(await client.query<{ version: string; name: string; checksum: string }>('SELECT "version", "name", "checksum" FROM strata.migrations ORDER BY "version"')).rows

/** the columns of a table, sorted */
export const columnsOf = async (client: pg.Client, table: string): Promise<string[]> =>
	(await client.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY column_name`, [table])).rows.map(row => row.column_name)

/** asserts exit 0, showing the command's output when it is not */
export const ok = (result: CliResult): CliResult => {
	if (result.code !== 0) throw new Error(`expected exit 0, got ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`)
	return result
}
