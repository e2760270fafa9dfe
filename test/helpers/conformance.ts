/** Loads the Contember conformance cases and real histories from test/fixtures/conformance (see its README). */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Schema } from '../../src/schema/model.js'
import type { Modification } from '../../src/modifications/types.js'
import type { CatalogSnapshot } from '../../src/sql/metadata.js'

const here = dirname(fileURLToPath(import.meta.url))
export const conformanceDir = resolve(here, '../fixtures/conformance')

export interface ConformanceCase {
	readonly file: string
	readonly name: string
	readonly checks: readonly ('diff' | 'apply' | 'sql')[]
	readonly original: Schema
	readonly updated: Schema | null
	readonly diff: readonly Modification[]
	readonly sql: string | null
	readonly noDiff?: boolean
	readonly diffOptions?: { recreateViews?: boolean }
	readonly databaseMetadata?: CatalogSnapshot
	readonly sqlMustThrow?: boolean
}

export const loadConformanceCases = (folder = 'contember'): { group: string; cases: ConformanceCase[] }[] => {
	const dir = join(conformanceDir, folder)
	return readdirSync(dir)
		.filter(it => it.endsWith('.json'))
		.sort()
		.map(file => ({
			group: file.replace(/\.json$/, ''),
			cases: (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { cases: ConformanceCase[] }).cases,
		}))
}

export interface History {
	readonly name: string
	readonly dir: string
	readonly migrations: { name: string; formatVersion: number; modifications: Modification[]; raw: string }[]
	readonly expectedSchema?: Schema
	readonly expectedFailure?: { migration: string; modificationIndex?: number; [key: string]: unknown }
	expectedSql(name: string): string
	expectedLiveSql(name: string): string | undefined
}

export const loadHistories = (): History[] => {
	const root = join(conformanceDir, 'histories')
	return readdirSync(root, { withFileTypes: true })
		.filter(it => it.isDirectory())
		.map(it => it.name)
		.sort()
		.map(name => {
			const dir = join(root, name)
			const migrations = readdirSync(join(dir, 'migrations'))
				.filter(it => it.endsWith('.json'))
				.sort()
				.map(file => {
					const raw = readFileSync(join(dir, 'migrations', file), 'utf8')
					const json = JSON.parse(raw)
					return { name: file.replace(/\.json$/, ''), formatVersion: json.formatVersion ?? 1, modifications: json.modifications, raw }
				})
			const read = (path: string) => (existsSync(join(dir, path)) ? readFileSync(join(dir, path), 'utf8') : undefined)
			const schemaText = read('expected-schema.json')
			const failureText = read('expected-failure.json')
			return {
				name,
				dir,
				migrations,
				expectedSchema: schemaText ? JSON.parse(schemaText) : undefined,
				expectedFailure: failureText ? JSON.parse(failureText) : undefined,
				expectedSql: (migration: string) => read(`expected-sql/${migration}.sql`) ?? '',
				expectedLiveSql: (migration: string) => read(`expected-sql-live/${migration}.sql`),
			}
		})
}
