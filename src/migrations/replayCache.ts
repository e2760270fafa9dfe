/**
 * The replayed schema of a migration history, kept in `<project>/.strata/replay-cache.json` so
 * the next command does not replay (and validate) thousands of files again.
 *
 * Never stale: the key is a hash chained over every file's name and bytes, in version order,
 * together with strata's own version and code (the size and modification time of each of its
 * modules), so any change to a file, a file added, removed or renamed, or another strata gives
 * another key. When the history only grew (the cached key is the chain's value at an earlier
 * file), just the new files are read and replayed on top of the cached schema. Anything
 * unexpected (no cache, a damaged one, a new file with a problem) falls back to the full path,
 * which reports exactly what it always did. `STRATA_CACHE=off` turns the cache off.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { rename, unlink, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Schema } from '../schema/model.js'
import type { MigrationFile } from './format.js'
import { parseMigration } from './parse.js'
import { sqlFileReader } from './store.js'
import { replay, validateHistory } from './replay.js'
import { ensureStateDir, STATE_DIR_NAME } from './stateDir.js'
import type { MigrationDirListing, MigrationText } from './store.js'

const CACHE_FORMAT = 1
const CACHE_FILE = 'replay-cache.json'

interface CacheDocument {
	readonly format: number
	readonly code: string
	/** the chain hash after the last file the schema includes */
	readonly key: string
	readonly files: number
	/** whether the history was validated (project:validate's rules) with no problem */
	readonly validated: boolean
	readonly schema: Schema
}

export const cacheEnabled = (): boolean => !/^(off|0|false|no)$/i.test(process.env.STRATA_CACHE ?? '')

type MigrationTexts = { readonly listing: MigrationDirListing; readonly texts: readonly MigrationText[] }

/** a history the cache may cover: every file read, no listing problem (mistyped names, duplicate versions) */
const usable = (read: MigrationTexts): boolean =>
	cacheEnabled() && read.texts.length > 0 && read.listing.problems.length === 0 && read.texts.every(file => file.text !== undefined)

const cachePath = (projectRoot: string) => join(projectRoot, STATE_DIR_NAME, CACHE_FILE)

let codeFingerprint: string | undefined

/** strata's version and the size and modification time of each of its modules */
const strataCode = (): string => {
	if (codeFingerprint) return codeFingerprint
	const codeRoot = fileURLToPath(new URL('..', import.meta.url))
	const hash = createHash('sha256')
	try {
		hash.update(String((JSON.parse(readFileSync(join(codeRoot, '..', 'package.json'), 'utf8')) as { version?: unknown }).version))
	} catch {
		hash.update('unknown version')
	}
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
			const path = join(dir, entry.name)
			if (entry.isDirectory()) walk(path)
			else if (/\.(?:c?js|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
				const stats = statSync(path)
				hash.update(`${relative(codeRoot, path)}:${stats.size}:${stats.mtimeMs}\n`)
			}
		}
	}
	walk(codeRoot)
	codeFingerprint = hash.digest('hex')
	return codeFingerprint
}

/** the chain hash after each file: keys[i] covers files 0..i (names and bytes) */
export const historyKeys = (texts: readonly Pick<MigrationText, 'fileName' | 'text'>[]): string[] => {
	const keys: string[] = []
	let previous = ''
	for (const file of texts) {
		previous = createHash('sha256').update(previous).update('\0').update(file.fileName).update('\0').update(file.text ?? '').digest('hex')
		keys.push(previous)
	}
	return keys
}

const readCache = (projectRoot: string): CacheDocument | undefined => {
	try {
		const document = JSON.parse(readFileSync(cachePath(projectRoot), 'utf8')) as CacheDocument
		if (document.format !== CACHE_FORMAT || document.code !== strataCode() || typeof document.key !== 'string' || typeof document.schema !== 'object') return undefined
		return document
	} catch {
		return undefined // none yet, or damaged: the full path rebuilds it
	}
}

/** writes the cache atomically; a project where it cannot be written simply has none */
export const saveReplayCache = async (projectRoot: string, read: MigrationTexts, schema: Schema, validated: boolean): Promise<void> => {
	const { texts } = read
	if (!usable(read)) return
	const keys = historyKeys(texts)
	const document: CacheDocument = { format: CACHE_FORMAT, code: strataCode(), key: keys[keys.length - 1]!, files: texts.length, validated, schema }
	const path = cachePath(projectRoot)
	const temporary = `${path}.${process.pid}.tmp`
	try {
		await ensureStateDir(dirname(path))
		await writeFile(temporary, JSON.stringify(document))
		await rename(temporary, path)
	} catch {
		await unlink(temporary).catch(() => undefined)
	}
}

export type CacheOutcome = 'hit' | 'extended'

export interface CachedReplay {
	readonly schema: Schema
	readonly outcome: CacheOutcome
	/** the files that were not in the cache and were read and replayed now */
	readonly replayedFiles: number
}

/**
 * The replayed schema from the cache, or undefined when the full path must run. `validated`:
 * only a schema that passed project:validate's rules is taken, and files added since are
 * validated the same way (any problem: undefined, so the full path reports it).
 */
export const cachedReplay = (
	projectRoot: string, migrationsDir: string, read: MigrationTexts, options: { readonly validated: boolean },
): CachedReplay | undefined => {
	const { texts } = read
	if (!usable(read)) return undefined
	const cache = readCache(projectRoot)
	if (!cache || (options.validated && !cache.validated)) return undefined
	const keys = historyKeys(texts)
	const cachedCount = keys.indexOf(cache.key) + 1
	if (cachedCount === 0 || cachedCount !== cache.files) return undefined
	if (cachedCount === texts.length) return { schema: cache.schema, outcome: 'hit', replayedFiles: 0 }
	let added: MigrationFile[]
	try {
		added = texts.slice(cachedCount).map(file => parseMigration(file.fileName, file.text!, join(migrationsDir, file.fileName), { readSqlFile: sqlFileReader(migrationsDir) }))
	} catch {
		return undefined
	}
	// a file with skippedErrors may refer to what earlier files did: only the full history says what it skips
	if (added.some(file => (file.skippedErrors ?? []).length > 0)) return undefined
	try {
		if (!options.validated) return { schema: replay(added, { initial: cache.schema }), outcome: 'extended', replayedFiles: added.length }
		const history = validateHistory(added, { initial: cache.schema })
		if (history.problems.length > 0) return undefined
		return { schema: history.schema, outcome: 'extended', replayedFiles: added.length }
	} catch {
		return undefined
	}
}
