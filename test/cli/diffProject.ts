/** A temporary copy of the example project (schema/ + migrations/), for the migrations:diff CLI tests. */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from './run.js'

export const exampleProject = (): string => {
	const dir = mkdtempSync(join(tmpdir(), 'strata-diff-'))
	cpSync(join(repoRoot, 'schema'), join(dir, 'schema'), { recursive: true })
	cpSync(join(repoRoot, 'migrations'), join(dir, 'migrations'), { recursive: true })
	// an ES module package, as this repository is: the schema module loads without a CommonJS detour
	writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
	// the example schema imports the definition DSL as `strata/schema`: point `strata` at this checkout
	mkdirSync(join(dir, 'node_modules'))
	symlinkSync(repoRoot, join(dir, 'node_modules', 'strata'), 'dir')
	return dir
}

/** replaces text in the project's schema/index.ts (fails loudly when the text is not there) */
export const editSchema = (dir: string, from: string, to: string): void => {
	const path = join(dir, 'schema', 'index.ts')
	const text = readFileSync(path, 'utf8')
	if (!text.includes(from)) throw new Error(`schema/index.ts does not contain ${JSON.stringify(from)}`)
	writeFileSync(path, text.replace(from, to))
}

export const migrationNames = (dir: string): string[] => readdirSync(join(dir, 'migrations')).filter(it => it.endsWith('.json')).sort()

/** the migration files written by the test (those not in the example project) */
export const newMigrations = (dir: string): { name: string; content: { formatVersion: number; modifications: Record<string, unknown>[] } }[] => {
	const original = new Set(readdirSync(join(repoRoot, 'migrations')))
	return migrationNames(dir)
		.filter(it => !original.has(it))
		.map(name => ({ name, content: JSON.parse(readFileSync(join(dir, 'migrations', name), 'utf8')) }))
}
