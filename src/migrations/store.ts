/**
 * The migrations directory on disk: listing, reading (every problem of every file reported at
 * once) and writing new files atomically. The only module of src/migrations that touches fs.
 */
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative } from 'node:path'
import { writeFileAtomically } from '../atomicWrite.js'
import { FileSystemError, StrataError, ValidationError, type Problem } from '../errors.js'
import type { MigrationFile } from './format.js'
import { classifyFileName } from './naming.js'
import { parseMigration } from './parse.js'

export interface MigrationDirListing {
	/** recognised migration files, sorted by version then name */
	readonly files: readonly { readonly fileName: string; readonly name: string; readonly version: string; readonly label: string; readonly symbolicLink: boolean }[]
	/** files that look like mistyped migrations */
	readonly problems: readonly Problem[]
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT'

/** Lists a migrations directory without reading the files. A missing directory is empty. */
export const listMigrationDir = async (dir: string): Promise<MigrationDirListing> => {
	let entries: string[]
	const links = new Set<string>()
	try {
		entries = (await readdir(dir, { withFileTypes: true })).filter(it => it.isFile() || it.isSymbolicLink()).map(it => {
			if (it.isSymbolicLink()) links.add(it.name)
			return it.name
		})
	} catch (error) {
		if (isMissing(error)) return { files: [], problems: [] }
		if ((error as NodeJS.ErrnoException).code === 'ENOTDIR' && existsSync(dir)) throw new StrataError('MIGRATIONS_DIR_NOT_DIRECTORY', `The migrations directory ${dir} is a file, not a directory.`)
		throw new FileSystemError(error, 'list', dir)
	}
	const files: { fileName: string; name: string; version: string; label: string; symbolicLink: boolean }[] = []
	const problems: Problem[] = []
	for (const fileName of entries) {
		const kind = classifyFileName(fileName)
		if (kind.kind === 'migration') files.push({ fileName, name: kind.name, version: kind.version, label: kind.label, symbolicLink: links.has(fileName) })
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

const isInside = (parent: string, path: string) => {
	const inside = relative(parent, path)
	return inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))
}

/**
 * The text of one migration file. A symbolic link is followed only when it resolves inside the
 * project: a link to a file elsewhere (or to nothing) is refused by name, so that no error
 * message ever quotes the content of a file outside the project.
 */
/**
 * A migration file's text. Synchronous on purpose: thousands of small files are read about six
 * times faster one after another with readFileSync than with as many concurrent promises (the
 * thread pool and the promise machinery cost more than the reads). The directory listing says
 * which entries are links, so a plain file costs one read and nothing else.
 */
const readMigrationText = (path: string, projectRoot: string, symbolicLink: boolean): string => {
	if (symbolicLink) {
		let target: string
		try {
			target = realpathSync(path)
		} catch {
			throw new StrataError('MIGRATION_LINK_BROKEN', 'is a symbolic link to a file that does not exist (or cannot be reached).')
		}
		let root = projectRoot
		try {
			root = realpathSync(projectRoot)
		} catch {
			// a project root that cannot be resolved is compared as given
		}
		if (!isInside(root, target)) {
			throw new StrataError('MIGRATION_LINK_OUTSIDE', `is a symbolic link to a file outside the project (${root}); strata does not read it. Put the migration itself into the migrations directory.`)
		}
	}
	return readFileSync(path, 'utf8')
}

/**
 * Reads the SQL files executeSql steps name (`"file": "<name>.sql"`), beside the migrations in
 * `dir`, with the same rule for symbolic links as the migration files; the name pattern of the
 * step keeps them in `dir`.
 */
export const sqlFileReader = (dir: string, projectRoot: string = dirname(dir)) => (fileName: string): string => {
	const path = join(dir, fileName)
	let symbolicLink = false
	try {
		symbolicLink = lstatSync(path).isSymbolicLink()
	} catch {
		throw new StrataError('SQL_FILE_MISSING', 'no such file')
	}
	return readMigrationText(path, projectRoot, symbolicLink)
}

export interface ReadMigrationsOptions {
	/** symbolic links must resolve inside it; default: the folder holding the migrations directory */
	readonly projectRoot?: string
}

/** a listed migration file with its text, or why it could not be read */
export type MigrationText = MigrationDirListing['files'][number] & ({ readonly text: string; readonly problem?: undefined } | { readonly text?: undefined; readonly problem: Problem })

/** Lists `dir` and reads every migration file's text (no parsing), sorted by version. */
export const readMigrationTexts = async (dir: string, options: ReadMigrationsOptions = {}): Promise<{ listing: MigrationDirListing; texts: MigrationText[] }> => {
	const listing = await listMigrationDir(dir)
	const projectRoot = options.projectRoot ?? dirname(dir)
	const texts = listing.files.map((file): MigrationText => {
		const path = join(dir, file.fileName)
		try {
			return { ...file, text: readMigrationText(path, projectRoot, file.symbolicLink) }
		} catch (error) {
			const message = error instanceof StrataError ? error.message : `cannot be read: ${new FileSystemError(error, 'read', path).message.replace(/^Cannot read \S+: /, '')}`
			return { ...file, problem: { file: file.fileName, path: '', message } }
		}
	})
	return { listing, texts }
}

/** Parses and validates what readMigrationTexts read; throws one ValidationError listing every problem. */
export const parseMigrationTexts = (dir: string, read: { listing: MigrationDirListing; texts: readonly MigrationText[] }): MigrationFile[] => {
	const problems: Problem[] = [...read.listing.problems]
	const parsed = read.texts.map(file => {
		if (file.text === undefined) {
			problems.push(file.problem)
			return undefined
		}
		try {
			return parseMigration(file.fileName, file.text, join(dir, file.fileName), { readSqlFile: sqlFileReader(dir) })
		} catch (error) {
			if (error instanceof ValidationError) problems.push(...error.problems)
			else if (error instanceof StrataError) problems.push({ file: file.fileName, path: '', message: error.message })
			else throw error
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
 * Reads and validates every migration in `dir`, sorted by version. Throws one ValidationError
 * listing every problem in every file (syntax, shape, modification data, names, duplicates,
 * unreadable files and links out of the project).
 */
export const readMigrations = async (dir: string, options: ReadMigrationsOptions = {}): Promise<MigrationFile[]> =>
	parseMigrationTexts(dir, await readMigrationTexts(dir, options))

/**
 * Writes `<dir>/<name>.json` atomically (temp file + link/rename) and returns its path.
 * Never overwrites: an existing file is an error.
 */
export const writeMigrationFile = async (dir: string, name: string, content: string): Promise<string> => {
	const target = join(dir, name.endsWith('.json') ? name : `${name}.json`)
	await writeFileAtomically(target, content, {
		exists: () => new StrataError('MIGRATION_EXISTS', `Migration file ${target} already exists; strata never overwrites a migration.`),
	})
	return target
}
