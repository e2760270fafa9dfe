/**
 * Crash safety for the development commands that change files and the local ledger together
 * (`migrations:rebase`, `migrations:amend`).
 *
 * Several files cannot be renamed atomically, and a file change cannot share a transaction with
 * the ledger. So the command first writes a journal (`.strata/dev-journal.json`) with the state of
 * every affected file before and after, then commits the ledger transaction, then marks the
 * journal committed, writes the files and removes the journal. The ledger commit is the point of
 * no return. A run that finds a journal finishes the job: forward when the journal is marked
 * committed or the ledger already shows the new state (`probe`), back otherwise.
 *
 * A journal is data from disk, and a repository can carry one (committed by mistake or crafted),
 * and a copied project folder carries its original's. So it is applied only where it was written:
 * it names its project directory and its database, every path in it is relative to the project
 * and must lie inside the migrations directory (no `..`, no absolute path, no symlink leading out).
 * Anything else is refused with an explanation and left untouched.
 */
import { lstat, mkdir, readdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { StrataError } from '../errors.js'
import { ensureStateDir } from './stateDir.js'

export interface JournalFile {
	/** absolute in memory; stored relative to the project */
	readonly path: string
	/** content before; null = the file did not exist */
	readonly before: string | null
	/** content after; null = the file is removed */
	readonly after: string | null
}

/** A ledger row whose state tells whether the ledger transaction committed. */
export interface LedgerProbe {
	readonly version: string
	/** after the commit the row has this checksum (or is absent when null) */
	readonly checksumAfter: string | null
}

export interface DevJournal {
	readonly operation: 'rebase' | 'amend'
	readonly description: string
	readonly state: 'prepared' | 'committed'
	readonly files: readonly JournalFile[]
	readonly probe?: LedgerProbe
}

/** Which database and ledger a journal's ledger change belongs to (see `ledgerIdentity`). */
export interface DatabaseIdentity {
	/** the PostgreSQL cluster's system identifier ('' when the server does not tell) */
	readonly cluster: string
	readonly database: string
	readonly ledgerSchema: string
}

/** Where a journal may be written and applied: one project, its migrations directory, one database. */
export interface JournalScope {
	readonly projectRoot: string
	readonly migrationsDir: string
	readonly database: DatabaseIdentity
}

/** the journal's shape on disk; version 1 (absolute paths, no owner) is refused */
const JOURNAL_VERSION = 2

export const journalPath = (projectRoot: string): string => join(projectRoot, '.strata', 'dev-journal.json')

const describeDatabase = (identity: DatabaseIdentity) =>
	`database "${identity.database}" (ledger ${identity.ledgerSchema}${identity.cluster ? `, cluster ${identity.cluster}` : ''})`

const sameDatabase = (a: DatabaseIdentity, b: DatabaseIdentity) =>
	a.cluster === b.cluster && a.database === b.database && a.ledgerSchema === b.ledgerSchema

/** A journal that must not be applied here; it stays on disk, untouched. */
export class JournalRefusedError extends StrataError {
	constructor(readonly path: string, readonly reason: string, readonly fix: string) {
		super('JOURNAL_REFUSED', `${path}: ${reason}\nNothing was changed.\n${fix}`)
	}
}

/** write-to-temp then rename, so each file is either entirely old or entirely new */
const writeAtomic = async (path: string, content: string): Promise<void> => {
	await mkdir(dirname(path), { recursive: true })
	const temp = `${path}.${process.pid}.tmp`
	await writeFile(temp, content)
	await rename(temp, path)
}

/** a temporary file `writeAtomic` leaves behind when the process is killed between write and rename */
export const isJournalTempFile = (fileName: string): boolean => /^[^.].*\.json\.\d+\.tmp$/.test(fileName)

const readText = async (path: string): Promise<string | null> => {
	try {
		return await readFile(path, 'utf8')
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
		throw error
	}
}

const setFileState = async (path: string, content: string | null): Promise<void> => {
	if (content === null) await rm(path, { force: true })
	else if ((await readText(path)) !== content) await writeAtomic(path, content)
}

const isInside = (parent: string, child: string) => {
	const rel = relative(parent, child)
	return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)
}

const realOrSelf = (path: string) => realpath(path).catch(() => resolve(path))

/**
 * The reason a stored path may not be written or removed in this scope, or undefined.
 * Paths are project-relative, plain (no `.`/`..` segments), and name a file directly inside the
 * migrations directory; an existing symlink there must resolve inside it too.
 */
const pathProblem = async (scope: JournalScope, stored: unknown): Promise<string | undefined> => {
	if (typeof stored !== 'string' || stored === '') return 'a file path is not a string'
	if (isAbsolute(stored) || /^[A-Za-z]:|^[\\/]/.test(stored)) return `"${stored}" is an absolute path; journal paths are relative to the project`
	if (stored.split(/[\\/]/).some(segment => segment === '..' || segment === '.' || segment === '')) return `"${stored}" is not a plain relative path (it holds "..", "." or an empty segment)`
	const absolute = resolve(scope.projectRoot, stored)
	const migrationsDir = resolve(scope.migrationsDir)
	if (dirname(absolute) !== migrationsDir || !basename(absolute).endsWith('.json')) {
		return `"${stored}" is not a migration file in ${relative(scope.projectRoot, migrationsDir) || '.'}/`
	}
	const realDir = await realOrSelf(migrationsDir)
	const link = await lstat(absolute).catch(() => undefined)
	if (link?.isSymbolicLink() && !isInside(realDir, await realOrSelf(absolute))) return `"${stored}" is a symlink that leads out of the migrations directory`
	return undefined
}

const journalText = (scope: JournalScope, project: string, journal: DevJournal) => `${JSON.stringify({
	journal: JOURNAL_VERSION,
	project,
	database: scope.database,
	operation: journal.operation,
	description: journal.description,
	state: journal.state,
	files: journal.files.map(file => ({ path: relative(scope.projectRoot, file.path).split(sep).join('/'), before: file.before, after: file.after })),
	...(journal.probe ? { probe: journal.probe } : {}),
}, null, '\t')}\n`

export const journalExists = async (projectRoot: string): Promise<boolean> => (await lstat(journalPath(projectRoot)).catch(() => undefined)) !== undefined

export const writeJournal = async (scope: JournalScope, journal: DevJournal): Promise<void> => {
	const project = await realOrSelf(scope.projectRoot)
	for (const file of journal.files) {
		const problem = await pathProblem(scope, relative(scope.projectRoot, file.path))
		if (problem) throw new StrataError('JOURNAL_PATH_REFUSED', `Refusing to journal a change outside the migrations directory: ${problem}.`)
	}
	const path = journalPath(scope.projectRoot)
	// .strata/ ignores itself for version control: a journal is never meant to be committed
	await ensureStateDir(dirname(path))
	await writeAtomic(path, journalText(scope, project, journal))
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isContent = (value: unknown) => value === null || typeof value === 'string'

const HOW_TO_INSPECT = 'The journal lists every file\'s content before and after the interrupted operation: check migrations/ against it by hand, then delete the journal.'

/** A journal read from disk and checked against this scope: applicable, or refused with the reason. */
export type JournalInspection =
	| { readonly kind: 'none' }
	| { readonly kind: 'pending'; readonly journal: DevJournal }
	| { readonly kind: 'refused'; readonly error: JournalRefusedError }

/** Reads the journal without applying it: for status, and as the first step of recovery. */
export const inspectJournal = async (scope: JournalScope): Promise<JournalInspection> => {
	const path = journalPath(scope.projectRoot)
	const text = await readText(path)
	if (text === null) return { kind: 'none' }
	const refuse = (reason: string, fix = HOW_TO_INSPECT) => ({ kind: 'refused' as const, error: new JournalRefusedError(path, reason, fix) })
	let data: unknown
	try {
		data = JSON.parse(text)
	} catch {
		return refuse('is not valid JSON: an earlier migrations:rebase or migrations:amend was interrupted while writing it.', 'Check migrations/ by hand, then delete this file.')
	}
	if (!isObject(data) || data.journal !== JOURNAL_VERSION) {
		return refuse('was not written by this version of strata (no journal version 2 with its project and database), so it cannot be checked before it is applied.')
	}
	const { project, database, operation, description, state, files, probe } = data
	const db = isObject(database) ? database : {}
	if (typeof project !== 'string' || typeof db.cluster !== 'string' || typeof db.database !== 'string' || typeof db.ledgerSchema !== 'string'
		|| (operation !== 'rebase' && operation !== 'amend') || typeof description !== 'string' || (state !== 'prepared' && state !== 'committed')
		|| !Array.isArray(files) || !files.every(file => isObject(file) && isContent(file.before) && isContent(file.after))
		|| (probe !== undefined && !(isObject(probe) && typeof probe.version === 'string' && isContent(probe.checksumAfter)))) {
		return refuse('is malformed (a field is missing or has the wrong type).')
	}
	const here = await realOrSelf(scope.projectRoot)
	if (project !== here) {
		return refuse(`belongs to the project at ${project}, not to this one (${here}): the folder was probably copied or moved while a ${operation} was unfinished.`,
			`Finish it where it was started (run migrations:status or migrations:execute in ${project}). For this folder, check migrations/ against the journal by hand, then delete the journal.`)
	}
	const recorded = db as unknown as DatabaseIdentity
	if (!sameDatabase(recorded, scope.database)) {
		return refuse(`belongs to ${describeDatabase(recorded)}, but this command uses ${describeDatabase(scope.database)}.`,
			`Run the command against the database the ${operation} was started on to finish it.`)
	}
	for (const file of files as Record<string, unknown>[]) {
		const problem = await pathProblem(scope, file.path)
		if (problem) return refuse(`cannot be applied: ${problem}.`)
	}
	return {
		kind: 'pending',
		journal: {
			operation, description, state,
			files: (files as Record<string, unknown>[]).map(file => ({ path: resolve(scope.projectRoot, file.path as string), before: file.before as string | null, after: file.after as string | null })),
			...(probe ? { probe: probe as unknown as LedgerProbe } : {}),
		},
	}
}

/** the journal if it may be applied here; throws JournalRefusedError otherwise */
export const readJournal = async (scope: JournalScope): Promise<DevJournal | undefined> => {
	const inspection = await inspectJournal(scope)
	if (inspection.kind === 'refused') throw inspection.error
	return inspection.kind === 'pending' ? inspection.journal : undefined
}

/** Temporary files a killed `writeAtomic` left in the migrations directory and in .strata/. */
export const leftoverTempFiles = async (scope: Pick<JournalScope, 'projectRoot' | 'migrationsDir'>): Promise<string[]> => {
	const found: string[] = []
	for (const dir of [scope.migrationsDir, dirname(journalPath(scope.projectRoot))]) {
		const names = await readdir(dir).catch(() => [] as string[])
		found.push(...names.filter(isJournalTempFile).map(name => join(dir, name)))
	}
	return found
}

/** Removes them; only under the migration lock, when no rebase/amend can be writing. */
const removeTempFiles = async (scope: JournalScope) => {
	for (const path of await leftoverTempFiles(scope)) await rm(path, { force: true })
}

/** Applies the new file states and removes the journal: the last step of a committed operation. */
export const completeJournal = async (scope: JournalScope, journal: DevJournal): Promise<void> => {
	if (journal.state !== 'committed') await writeJournal(scope, { ...journal, state: 'committed' })
	// removals last, so that a crash in between never loses content that has no new home yet
	for (const file of journal.files.filter(it => it.after !== null)) await setFileState(file.path, file.after)
	for (const file of journal.files.filter(it => it.after === null)) await setFileState(file.path, null)
	await rm(journalPath(scope.projectRoot), { force: true })
}

/** Restores the old file states and removes the journal. */
export const abandonJournal = async (scope: JournalScope, journal: DevJournal): Promise<void> => {
	for (const file of journal.files.filter(it => it.before !== null)) await setFileState(file.path, file.before)
	for (const file of journal.files.filter(it => it.before === null)) await setFileState(file.path, null)
	await rm(journalPath(scope.projectRoot), { force: true })
}

/**
 * Which way an interrupted operation goes: forward when it committed (the journal says so, or
 * the ledger probe shows the new state), back otherwise. Without `readLedgerChecksum` a prepared
 * journal with a probe cannot be decided.
 */
export const journalDirection = async (
	journal: DevJournal, readLedgerChecksum?: (version: string) => Promise<string | null>,
): Promise<'forward' | 'back'> => {
	if (journal.state === 'committed' || !journal.probe) return journal.state === 'committed' ? 'forward' : 'back'
	if (!readLedgerChecksum) {
		throw new StrataError('JOURNAL_PENDING', `An interrupted ${journal.operation} (${journal.description}) must be finished first; run the same command again with the database available.`)
	}
	return (await readLedgerChecksum(journal.probe.version)) === journal.probe.checksumAfter ? 'forward' : 'back'
}

/**
 * Finishes an interrupted operation, if any, and removes leftover temporary files. Call it under
 * the migration lock. Throws JournalRefusedError for a journal that does not belong here.
 * Returns a sentence for the user, or undefined when there was nothing.
 */
export const recoverJournal = async (
	scope: JournalScope,
	readLedgerChecksum?: (version: string) => Promise<string | null>,
): Promise<string | undefined> => {
	const journal = await readJournal(scope)
	if (!journal) {
		await removeTempFiles(scope)
		return undefined
	}
	const direction = await journalDirection(journal, readLedgerChecksum)
	if (direction === 'forward') await completeJournal(scope, journal)
	else await abandonJournal(scope, journal)
	await removeTempFiles(scope)
	return direction === 'forward'
		? `Finished an interrupted ${journal.operation}: ${journal.description}.`
		: `Rolled back an interrupted ${journal.operation}: ${journal.description}.`
}
