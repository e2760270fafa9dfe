/**
 * The migrations directory on disk: listing, reading (every problem of every file reported at
 * once) and writing new files atomically. The only module of src/migrations that touches fs.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { link, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { StrataError, ValidationError, type Problem } from '../errors.js'
import { generateValidatorsModule, usePrecompiledValidators, validatorsKey, type MigrationFile } from './format.js'
import { classifyFileName } from './naming.js'
import { parseMigration } from './parse.js'

export interface MigrationDirListing {
	/** recognised migration files, sorted by version then name */
	readonly files: readonly { readonly fileName: string; readonly name: string; readonly version: string; readonly label: string }[]
	/** files that look like mistyped migrations */
	readonly problems: readonly Problem[]
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT'

/** Lists a migrations directory without reading the files. A missing directory is empty. */
export const listMigrationDir = async (dir: string): Promise<MigrationDirListing> => {
	let entries: string[]
	try {
		entries = (await readdir(dir, { withFileTypes: true })).filter(it => it.isFile() || it.isSymbolicLink()).map(it => it.name)
	} catch (error) {
		if (isMissing(error)) return { files: [], problems: [] }
		if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw new StrataError('MIGRATIONS_DIR_NOT_DIRECTORY', `The migrations directory ${dir} is a file, not a directory.`)
		throw new StrataError('MIGRATIONS_DIR_UNREADABLE', `Cannot read the migrations directory ${dir}: ${(error as Error).message}`, undefined, { cause: error })
	}
	const files: { fileName: string; name: string; version: string; label: string }[] = []
	const problems: Problem[] = []
	for (const fileName of entries) {
		const kind = classifyFileName(fileName)
		if (kind.kind === 'migration') files.push({ fileName, name: kind.name, version: kind.version, label: kind.label })
		else if (kind.kind === 'mistyped') problems.push({ file: fileName, path: '', message: `not read as a migration: ${kind.reason}. Rename it, or move it out of the migrations directory.` })
	}
	files.sort((a, b) => (a.version === b.version ? a.name.localeCompare(b.name) : a.version < b.version ? -1 : 1))
	const byVersion = new Map<string, string[]>()
	for (const file of files) byVersion.set(file.version, [...(byVersion.get(file.version) ?? []), file.fileName])
	for (const [version, names] of byVersion) {
		if (names.length > 1) {
			for (const fileName of names) {
				problems.push({ file: fileName, path: '', message: `duplicate version ${version}: ${names.filter(it => it !== fileName).join(', ')} has the same version. Every migration needs its own version; rename one of them (migrations:rebase can do it).` })
			}
		}
	}
	return { files, problems }
}

let validatorsWarm = false

/**
 * Loads the precompiled modification validators from node_modules/.cache/strata, generating the
 * file on first use. A cache that cannot be read or written only costs time: parsing then
 * compiles each schema on first use.
 */
export const warmValidators = (): void => {
	if (validatorsWarm) return
	validatorsWarm = true
	try {
		const dir = fileURLToPath(new URL('../../node_modules/.cache/strata/', import.meta.url))
		const fileName = `modification-validators-${validatorsKey()}.cjs`
		const path = join(dir, fileName)
		if (!existsSync(path)) {
			mkdirSync(dir, { recursive: true })
			const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
			writeFileSync(temp, generateValidatorsModule())
			renameSync(temp, path)
			// validators of earlier data schemas are never used again
			for (const old of readdirSync(dir)) if (old.startsWith('modification-validators-') && old.endsWith('.cjs') && old !== fileName) unlinkSync(join(dir, old))
		}
		// the generated code requires ajv's runtime helpers, resolved from the cache's location
		usePrecompiledValidators(createRequire(import.meta.url)(path) as Record<string, unknown>)
	} catch {
		// read-only installation or similar: fall back to compiling on demand
	}
}

/** bounded parallelism: thousands of files must not exhaust file descriptors */
const mapLimited = async <T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> => {
	const results = new Array<R>(items.length)
	let next = 0
	const worker = async () => {
		while (next < items.length) {
			const index = next++
			results[index] = await run(items[index]!)
		}
	}
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
	return results
}

/**
 * Reads and validates every migration in `dir`, sorted by version. Throws one ValidationError
 * listing every problem in every file (syntax, shape, modification data, names, duplicates).
 */
export const readMigrations = async (dir: string): Promise<MigrationFile[]> => {
	const listing = await listMigrationDir(dir)
	if (listing.files.length > 0) warmValidators()
	const problems: Problem[] = [...listing.problems]
	const parsed = await mapLimited(listing.files, 32, async file => {
		const path = join(dir, file.fileName)
		try {
			return parseMigration(file.fileName, await readFile(path, 'utf8'), path)
		} catch (error) {
			if (error instanceof ValidationError) problems.push(...error.problems)
			else if (error instanceof StrataError) problems.push({ file: file.fileName, path: '', message: error.message })
			else problems.push({ file: file.fileName, path: '', message: `cannot be read: ${(error as Error).message}` })
			return undefined
		}
	})
	if (problems.length > 0) {
		const files = new Set(problems.map(it => it.file))
		throw new ValidationError(
			`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files.size} migration file${files.size === 1 ? '' : 's'} (${dir}):`,
			problems.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '')),
			'INVALID_MIGRATIONS',
		)
	}
	return parsed.filter((it): it is MigrationFile => it !== undefined)
}

/**
 * Writes `<dir>/<name>.json` atomically (temp file + link/rename) and returns its path.
 * Never overwrites: an existing file is an error.
 */
export const writeMigrationFile = async (dir: string, name: string, content: string): Promise<string> => {
	const fileName = name.endsWith('.json') ? name : `${name}.json`
	const target = join(dir, fileName)
	await mkdir(dir, { recursive: true })
	const exists = () => new StrataError('MIGRATION_EXISTS', `Migration file ${target} already exists; strata never overwrites a migration.`)
	if (await stat(target).then(() => true, () => false)) throw exists()
	// dot-prefixed, so a crash never leaves something that lists as a migration
	const temp = join(dir, `.${fileName}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
	const handle = await open(temp, 'wx')
	try {
		await handle.writeFile(content, 'utf8')
		await handle.sync()
	} finally {
		await handle.close()
	}
	try {
		// link() fails with EEXIST instead of replacing, which closes the race with a concurrent writer
		await link(temp, target)
		await unlink(temp)
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code
		if (code === 'EEXIST') {
			await unlink(temp).catch(() => undefined)
			throw exists()
		}
		// file systems without hard links: rename after the existence check above
		if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'ENOSYS') await rename(temp, target)
		else {
			await unlink(temp).catch(() => undefined)
			throw error
		}
	}
	return target
}
