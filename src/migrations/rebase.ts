/**
 * `migrations:rebase`: give local migrations new versions after the newest migration (typically
 * after upstream ones arrived with earlier dates), keeping their labels and relative order.
 * Planning and validation are pure; `applyRebase` renames the local ledger rows (one
 * transaction) and the files (through the dev journal, so a crash leaves all-old or all-new).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { StrataError, ValidationError, type Problem } from '../errors.js'
import { validateSchema } from '../schema/validate.js'
import { emptySchema, type Schema } from '../schema/model.js'
import { abandonJournal, completeJournal, writeJournal, type DevJournal, type JournalFile, type JournalScope } from './devJournal.js'
import { findMigration, nextVersion, type MigrationFile } from './files.js'
import { MigrationReplayError, replay } from './replay.js'

export interface RebaseMove {
	readonly file: MigrationFile
	readonly newVersion: string
	readonly newName: string
}

/** Resolves the arguments (version or name) and assigns new versions, oldest first. */
export const planRebase = (files: readonly MigrationFile[], names: readonly string[], now: Date = new Date()): RebaseMove[] => {
	if (names.length === 0) throw new StrataError('NOTHING_TO_REBASE', 'Name at least one migration to rebase.')
	const targets = new Map<string, MigrationFile>()
	for (const name of names) {
		const file = findMigration([...files], name)
		targets.set(file.version, file)
	}
	// relative order is the current file order, whatever order the arguments came in
	const ordered = [...targets.values()].sort((a, b) => (a.version < b.version ? -1 : 1))
	const versions = files.map(file => file.version)
	return ordered.map(file => {
		const newVersion = nextVersion(versions, now)
		versions.push(newVersion)
		return { file, newVersion, newName: `${newVersion}-${file.label}` }
	})
}

const problemKey = (problem: Problem) => `${problem.path}\u0000${problem.message}`

/**
 * Replays the history in its rebased order (every other migration, then the moved ones in their
 * new order) in one pass, before anything is renamed. Throws when a migration does not apply
 * (the error names the migration and the modification and, for an object created twice, the
 * migration that created it first) or when a moved migration leaves problems in the schema that
 * were not there before it.
 */
export const validateRebase = (files: readonly MigrationFile[], moves: readonly RebaseMove[]): Schema => {
	const moved = new Set(moves.map(move => move.file.version))
	const others = files.filter(file => !moved.has(file.version))
	let known = new Set(others.length === 0 ? validateSchema(emptySchema).map(problemKey) : [])
	const afterFile = (schema: Schema, _file: unknown, index: number) => {
		if (index < others.length - 1) return
		const problems = validateSchema(schema)
		const move = moves[index - others.length]
		const fresh = move ? problems.filter(problem => !known.has(problemKey(problem))) : []
		if (move && fresh.length > 0) {
			throw new ValidationError(
				`Cannot rebase: ${move.file.name} produces an invalid schema on top of the other migrations`,
				fresh.map(problem => ({ ...problem, file: move.file.name })),
				'REBASE_CONFLICT',
			)
		}
		known = new Set(problems.map(problemKey))
	}
	try {
		return replay([...others, ...moves.map(move => move.file)], { afterFile })
	} catch (error) {
		if (!(error instanceof MigrationReplayError)) throw error
		const failed = moves.find(move => `${move.file.name}.json` === error.file)
		const subject = failed ? `${failed.file.name} does not apply on top of the other migrations` : 'the migrations it would move past do not replay'
		throw new StrataError('REBASE_CONFLICT', `Cannot rebase: ${subject}.\n  ${error.message}`, undefined, { cause: error })
	}
}

/** Renames ledger rows inside one transaction; implemented by the caller's database layer. */
export interface RebaseLedger {
	/** versions of the moved migrations recorded in the local ledger */
	readonly executedVersions: ReadonlySet<string>
	/** must rename every row in one transaction (all or nothing) */
	renameRows(renames: readonly { readonly fromVersion: string; readonly toVersion: string; readonly toName: string }[]): Promise<void>
}

/** The journal of a rebase: every moved file's old and new name, and the ledger probe. */
export const rebaseJournal = async (migrationsDir: string, moves: readonly RebaseMove[], executedVersions: ReadonlySet<string>): Promise<DevJournal> => {
	const files: JournalFile[] = []
	for (const move of moves) {
		// byte for byte: only the name changes, so checksums and executed state carry over
		const content = await readFile(move.file.path, 'utf8')
		files.push({ path: move.file.path, before: content, after: null })
		files.push({ path: join(migrationsDir, `${move.newName}.json`), before: null, after: content })
	}
	const firstExecuted = moves.find(move => executedVersions.has(move.file.version))
	return {
		operation: 'rebase',
		description: moves.map(move => `${move.file.name} → ${move.newName}`).join(', '),
		state: 'prepared',
		files,
		...(firstExecuted ? { probe: { version: firstExecuted.newVersion, checksumAfter: firstExecuted.file.checksum } } : {}),
	}
}

/**
 * Journal, then the ledger rows (one transaction: the point of no return), then the files.
 * A failure before the ledger commit restores everything at once; a crash is finished by
 * `recoverJournal` on the next run.
 */
export const applyRebase = async (
	scope: JournalScope,
	moves: readonly RebaseMove[],
	ledger: RebaseLedger | undefined,
): Promise<void> => {
	const executedVersions = ledger?.executedVersions ?? new Set<string>()
	const journal = await rebaseJournal(scope.migrationsDir, moves, executedVersions)
	await writeJournal(scope, journal)
	const executed = moves.filter(move => executedVersions.has(move.file.version))
	if (ledger && executed.length > 0) {
		try {
			await ledger.renameRows(executed.map(move => ({ fromVersion: move.file.version, toVersion: move.newVersion, toName: move.newName })))
		} catch (error) {
			await abandonJournal(scope, journal)
			throw error
		}
	}
	await completeJournal(scope, journal)
}

/**
 * Upstream migrations that the local database has not run although something newer has: after
 * a rebase they need `migrations:execute --force`.
 */
export const outOfOrderAfterRebase = (files: readonly MigrationFile[], moves: readonly RebaseMove[], executedVersions: ReadonlySet<string>): MigrationFile[] => {
	const renamed = new Map(moves.map(move => [move.file.version, move.newVersion]))
	const executedAfter = [...executedVersions].map(version => renamed.get(version) ?? version)
	const newestExecuted = executedAfter.reduce<string | undefined>((max, it) => (max === undefined || it > max ? it : max), undefined)
	if (newestExecuted === undefined) return []
	return files.filter(file => !renamed.has(file.version) && !executedVersions.has(file.version) && file.version < newestExecuted)
}

