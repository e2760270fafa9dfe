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
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { StrataError } from '../errors.js'

export interface JournalFile {
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

export const journalPath = (projectRoot: string): string => join(projectRoot, '.strata', 'dev-journal.json')

/** write-to-temp then rename, so each file is either entirely old or entirely new */
const writeAtomic = async (path: string, content: string): Promise<void> => {
	await mkdir(dirname(path), { recursive: true })
	const temp = `${path}.${process.pid}.tmp`
	await writeFile(temp, content)
	await rename(temp, path)
}

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

export const readJournal = async (projectRoot: string): Promise<DevJournal | undefined> => {
	const text = await readText(journalPath(projectRoot))
	if (text === null) return undefined
	try {
		return JSON.parse(text) as DevJournal
	} catch {
		throw new StrataError('JOURNAL_CORRUPT', `${journalPath(projectRoot)} is not valid JSON. An earlier migrations:rebase or migrations:amend was interrupted; check migrations/ by hand, then delete this file.`)
	}
}

export const writeJournal = async (projectRoot: string, journal: DevJournal): Promise<void> => {
	// Refuse to start over an unfinished operation: recovering it is the caller's first step.
	await writeAtomic(journalPath(projectRoot), `${JSON.stringify(journal, null, '\t')}\n`)
}

/** Applies the new file states and removes the journal: the last step of a committed operation. */
export const completeJournal = async (projectRoot: string, journal: DevJournal): Promise<void> => {
	if (journal.state !== 'committed') await writeJournal(projectRoot, { ...journal, state: 'committed' })
	// removals last, so that a crash in between never loses content that has no new home yet
	for (const file of journal.files.filter(it => it.after !== null)) await setFileState(file.path, file.after)
	for (const file of journal.files.filter(it => it.after === null)) await setFileState(file.path, null)
	await rm(journalPath(projectRoot), { force: true })
}

/** Restores the old file states and removes the journal. */
export const abandonJournal = async (projectRoot: string, journal: DevJournal): Promise<void> => {
	for (const file of journal.files.filter(it => it.before !== null)) await setFileState(file.path, file.before)
	for (const file of journal.files.filter(it => it.before === null)) await setFileState(file.path, null)
	await rm(journalPath(projectRoot), { force: true })
}

/**
 * Finishes an interrupted operation, if any. `readLedgerChecksum(version)` answers the probe
 * (null when the row is absent); without it a prepared journal that has a probe cannot be
 * decided and is reported. Returns a sentence for the user, or undefined when there was nothing.
 */
export const recoverJournal = async (
	projectRoot: string,
	readLedgerChecksum?: (version: string) => Promise<string | null>,
): Promise<string | undefined> => {
	const journal = await readJournal(projectRoot)
	if (!journal) return undefined
	let forward = journal.state === 'committed'
	if (!forward && journal.probe) {
		if (!readLedgerChecksum) {
			throw new StrataError('JOURNAL_PENDING', `An interrupted ${journal.operation} (${journal.description}) must be finished first; run the same command again with the database available.`)
		}
		forward = (await readLedgerChecksum(journal.probe.version)) === journal.probe.checksumAfter
	}
	if (forward) {
		await completeJournal(projectRoot, journal)
		return `Finished an interrupted ${journal.operation}: ${journal.description}.`
	}
	await abandonJournal(projectRoot, journal)
	return `Rolled back an interrupted ${journal.operation}: ${journal.description}.`
}
