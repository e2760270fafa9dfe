/**
 * What `migrations:status` compares with the ledger. Unlike execute, status must show what it
 * can: a broken file becomes one broken entry instead of hiding every other migration, and an
 * interrupted rebase/amend (its dev journal) is shown first, with the files as the next command
 * will leave them, so the entries do not advise fixing what that command fixes by itself.
 */
import { readFileSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import type pg from 'pg'
import { formatProblem, StrataError, ValidationError } from '../errors.js'
import { ledgerIdentity, type LedgerRow } from '../db/ledger.js'
import type { UnreadableMigration } from '../db/status.js'
import { inspectJournal, journalDirection, leftoverTempFiles, type DevJournal, type JournalRefusedError } from '../migrations/devJournal.js'
import { listMigrationDir, parseMigration, type MigrationFile } from '../migrations/files.js'
import { sqlFileReader } from '../migrations/store.js'
import { versionOf } from '../migrations/naming.js'

export interface StatusFiles {
	readonly files: readonly MigrationFile[]
	readonly unreadable: readonly UnreadableMigration[]
	/** files in the migrations directory that look like mistyped migrations, with the reason (execute refuses them) */
	readonly ignored: readonly string[]
}

export type JournalView =
	| { readonly kind: 'none' }
	| { readonly kind: 'pending'; readonly journal: DevJournal; readonly direction: 'forward' | 'back' }
	| { readonly kind: 'refused'; readonly error: JournalRefusedError }

export interface StatusInputs extends StatusFiles {
	readonly journal: JournalView
	/** temporary files a killed write left behind (ignored) */
	readonly tempFiles: readonly string[]
}

const problemText = (error: unknown): string[] => {
	if (error instanceof ValidationError) return error.problems.map(problem => formatProblem({ ...problem, file: undefined }))
	return [error instanceof StrataError ? error.message : `cannot be read: ${(error as Error).message}`]
}

const parseOne = (fileName: string, text: string, path: string): MigrationFile | UnreadableMigration => {
	try {
		return parseMigration(fileName, text, path, { readSqlFile: sqlFileReader(dirname(path)) })
	} catch (error) {
		const name = fileName.slice(0, -'.json'.length)
		return { name, version: versionOf(name), problems: problemText(error) }
	}
}

const isFile = (item: MigrationFile | UnreadableMigration): item is MigrationFile => !('problems' in item)

/** every migration file, each either read or unreadable with its problems */
export const readStatusFiles = async (dir: string): Promise<StatusFiles> => {
	const listing = await listMigrationDir(dir)
	const listed = new Set(listing.files.map(file => file.fileName))
	const listingProblems = new Map<string, string[]>()
	const ignored: string[] = []
	for (const problem of listing.problems) {
		if (problem.file && listed.has(problem.file)) listingProblems.set(problem.file, [...(listingProblems.get(problem.file) ?? []), problem.message])
		else ignored.push(formatProblem(problem))
	}
	const files: MigrationFile[] = []
	const unreadable: UnreadableMigration[] = []
	for (const file of listing.files) {
		const problems = listingProblems.get(file.fileName)
		if (problems) {
			unreadable.push({ name: file.name, version: file.version, problems })
			continue
		}
		const path = join(dir, file.fileName)
		let item: MigrationFile | UnreadableMigration
		try {
			// synchronous, as readMigrations reads (src/migrations/store.ts): far faster for many small files
			item = parseOne(file.fileName, readFileSync(path, 'utf8'), path)
		} catch (error) {
			item = { name: file.name, version: file.version, problems: problemText(error) }
		}
		if (isFile(item)) files.push(item)
		else unreadable.push(item)
	}
	return { files, unreadable, ignored }
}

/** the files as the journal's recovery will leave them */
export const filesAfterJournal = (read: StatusFiles, journal: DevJournal, direction: 'forward' | 'back'): StatusFiles => {
	const touched = new Set(journal.files.map(file => basename(file.path)))
	const files = read.files.filter(file => !touched.has(`${file.name}.json`))
	const unreadable = read.unreadable.filter(file => !touched.has(`${file.name}.json`))
	for (const file of journal.files) {
		const content = direction === 'forward' ? file.after : file.before
		if (content === null) continue
		const item = parseOne(basename(file.path), content, file.path)
		if (isFile(item)) files.push(item)
		else unreadable.push(item)
	}
	files.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
	return { files, unreadable, ignored: read.ignored }
}

/** files, journal and leftovers, read without changing anything */
export const readStatusInputs = async (
	client: pg.Client, project: { readonly root: string; readonly migrationsDir: string }, ledgerSchema: string, ledger: readonly LedgerRow[],
	/** the files, read once by a caller that looks at many databases (a fleet) */
	files?: StatusFiles,
): Promise<StatusInputs> => {
	const read = files ?? await readStatusFiles(project.migrationsDir)
	const scope = { projectRoot: project.root, migrationsDir: project.migrationsDir, database: await ledgerIdentity(client, ledgerSchema) }
	const tempFiles = (await leftoverTempFiles(scope)).map(path => relative(project.root, path))
	const inspection = await inspectJournal(scope)
	if (inspection.kind === 'none') return { ...read, journal: { kind: 'none' }, tempFiles }
	if (inspection.kind === 'refused') return { ...read, journal: inspection, tempFiles }
	const checksums = new Map(ledger.map(row => [row.version, row.checksum]))
	const direction = await journalDirection(inspection.journal, async version => checksums.get(version) ?? null)
	return { ...filesAfterJournal(read, inspection.journal, direction), journal: { kind: 'pending', journal: inspection.journal, direction }, tempFiles }
}
