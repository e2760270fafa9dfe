/**
 * The development commands that rewrite history on a developer's database: amend (fold the
 * declared schema's new edits into an existing migration) and rebase (move local migrations
 * after upstream ones). Files and the local ledger change together, under the migration lock,
 * through a journal that an interrupted run is finished or rolled back from.
 */
import { readFile } from 'node:fs/promises'
import type pg from 'pg'
import { assertLocalDatabase, deleteLedgerRow, inTransaction, ledgerChecksum, renameLedgerRows, runModificationsLive, updateLedgerRow } from '../db/bootstrap.js'
import { ledgerIdentity, readLedger } from '../db/ledger.js'
import { acquireLedgerLock, type LockHolder } from '../db/lock.js'
import { computeStatus, migrationContent } from '../db/status.js'
import type { FillAnswer } from '../diff/fills.js'
import type { ConversionAnswers } from '../diff/conversions.js'
import type { RenameAnswers } from '../diff/renames.js'
import { ExitCode, StrataError } from '../errors.js'
import type { StrataExtension } from '../lint/extension.js'
import { planAmend, type AmendAnswers, type AmendPlan } from '../migrations/amend.js'
import { abandonJournal, completeJournal, recoverJournal, writeJournal, type DevJournal, type JournalScope } from '../migrations/devJournal.js'
import { FORMAT_VERSION_LATEST, readMigrations, serializeMigration } from '../migrations/files.js'
import { applyRebase, outOfOrderAfterRebase, planRebase, validateRebase } from '../migrations/rebase.js'
import { readSnapshot } from '../migrations/snapshot.js'
import { markedExtension } from '../migrations/strataOnly.js'
import type { Schema } from '../schema/model.js'
import { quoteIdentifier } from '../sql/quote.js'
import { ledgerSchemaFor, withConnection, type DatabaseOptions } from './database.js'
import { loadProjectSchema, type StrataProject } from './project.js'

export interface DevSessionOptions extends DatabaseOptions {
	readonly project: StrataProject
	/** allow a database that is not local (localhost, 127.0.0.1, ::1, a unix socket) */
	readonly allowRemote?: boolean
	/** how long to wait for another run holding the migration lock (default 60 000 ms) */
	readonly lockWaitMs?: number
	readonly onLockWait?: (holders: readonly LockHolder[], waitedMs: number) => void
	/** what the run says besides its result (an interrupted rebase/amend finished first) */
	readonly onNotice?: (message: string) => void
}

/** the database a development command works on, connected, locked, its interrupted journal settled */
export interface DevSession {
	readonly client: pg.Client
	readonly ledgerSchema: string
	readonly journalScope: JournalScope
}

/**
 * What amend and rebase do around their work: refuse a database that is not local, take the
 * migration lock, and finish or roll back an interrupted rebase/amend before looking at the files.
 * The CLI wraps the same work in its own connection (the embedded database, interrupts).
 */
export const inDevSession = async <R>(
	connection: { readonly client: pg.Client; readonly description: string; readonly isLocal: boolean },
	options: Omit<DevSessionOptions, 'database'> & { readonly ledgerSchema: string }, command: string, work: (session: DevSession) => Promise<R>,
): Promise<R> => {
	assertLocalDatabase(connection, options.allowRemote, command)
	const { client } = connection
	const lock = await acquireLedgerLock(client, options.ledgerSchema, { waitMs: options.lockWaitMs ?? 60_000, ...(options.onLockWait ? { onWait: options.onLockWait } : {}) })
	try {
		const journalScope: JournalScope = { projectRoot: options.project.root, migrationsDir: options.project.migrationsDir, database: await ledgerIdentity(client, options.ledgerSchema) }
		const recovered = await recoverJournal(journalScope, version => ledgerChecksum(client, options.ledgerSchema, version))
		if (recovered) options.onNotice?.(recovered)
		return await work({ client, ledgerSchema: options.ledgerSchema, journalScope })
	} finally {
		await lock.release()
	}
}

export const devSession = <R>(options: DevSessionOptions, command: string, work: (session: DevSession) => Promise<R>): Promise<R> => {
	const ledgerSchema = ledgerSchemaFor(options, options.project.config)
	return withConnection(options.database, `strata ${command}`, connection => inDevSession(connection, { ...options, ledgerSchema }, command, work))
}

// ---------------------------------------------------------------------------------------------
// amend

export interface AmendAnswerOptions {
	/** the migration to amend (name, version or unique label); default: the latest */
	readonly migration?: string
	/** `Entity` or `Entity.field` → the new name, or null for drop + create */
	readonly renames?: RenameAnswers
	/** `Entity.field` → `{ value }` or `{ copy: 'otherField' }` for existing rows */
	readonly fills?: Readonly<Record<string, FillAnswer>>
	/** `Entity.field` → the SQL expression converting a type change */
	readonly conversions?: ConversionAnswers
}

export interface AmendOptions extends DevSessionOptions, AmendAnswerOptions {
	/** the declared schema; default: the project's */
	readonly declared?: Schema
	/** when the edits revert the migration completely: remove it (file and local ledger row) or keep it empty; required then */
	readonly empty?: 'remove' | 'keep'
	/** PostgreSQL lock_timeout for the statements run on the local database (default 10 000 ms) */
	readonly lockTimeoutMs?: number
	/** asked with the plan before anything changes; false ends with `action: 'aborted'` */
	readonly confirm?: (plan: AmendPlan, executedLocally: boolean) => Promise<boolean>
	/** asked instead of `empty` when the migration becomes empty */
	readonly decideEmpty?: (name: string) => Promise<'remove' | 'keep'>
}

export interface AmendOutcome {
	readonly migration: string
	readonly action: 'nothing-to-do' | 'amended' | 'removed' | 'kept-empty' | 'aborted'
	/** the migration had run on the local database: its new edits ran there and its ledger row was rewritten */
	readonly executedLocally: boolean
	/** the new checksum (null when removed or nothing changed) */
	readonly checksum: string | null
	/** the SQL run on the local database */
	readonly statements: readonly string[]
	/** the plan: new edits (delta), the amended content, the answers carried over and the questions still open */
	readonly plan?: AmendPlan
	/** migrations/snapshot.json covers the migration and is now stale */
	readonly snapshotStale: boolean
}

/** the answers as planAmend takes them */
export const amendAnswers = (options: AmendAnswerOptions & { readonly fillFlags?: AmendAnswers['fillFlags'] }): AmendAnswers => ({
	...(options.renames ? { renames: options.renames } : {}),
	...(options.fills ? { fills: options.fills } : {}),
	...(options.fillFlags ? { fillFlags: options.fillFlags } : {}),
	...(options.conversions ? { conversions: options.conversions } : {}),
})

/**
 * The amend itself, inside a development session: planned again under the lock (the ledger and
 * files are now what the change applies to), checked against the local ledger, journaled, the
 * delta run on the local database when the migration ran there, the file rewritten.
 */
export const amendInSession = async (
	session: DevSession, project: StrataProject, declared: Schema, answers: AmendAnswers,
	options: Pick<AmendOptions, 'migration' | 'empty' | 'lockTimeoutMs' | 'confirm' | 'decideEmpty'> & {
		/** the plan, once it is known to apply (the CLI shows it before asking anything) */
		readonly onPlan?: (plan: AmendPlan, executedLocally: boolean) => void
		/** just before the first change (the CLI stops there when interrupted) */
		readonly beforeChange?: () => void
	},
): Promise<AmendOutcome> => {
	const { client, ledgerSchema, journalScope } = session
	const files = await readMigrations(project.migrationsDir)
	const plan = planAmend(files, declared, options.migration, answers)
	const outcome = (rest: Partial<AmendOutcome> & Pick<AmendOutcome, 'action'>): AmendOutcome =>
		({ migration: plan.target.name, executedLocally: false, checksum: null, statements: [], snapshotStale: false, ...rest })
	if (plan.kind === 'nothing-to-do') return outcome({ action: 'nothing-to-do' })
	const { target } = plan
	const rows = await readLedger(client, ledgerSchema)
	const status = computeStatus(files, rows)
	if (status.errors.length > 0) {
		throw new StrataError('LEDGER_MISMATCH', `Cannot amend ${target.name}: the local ledger does not match the migration files:\n`
			+ status.errors.map(entry => `  - ${entry.name}: ${entry.message}`).join('\n') + '\nSee "strata migrations:status".')
	}
	const executed = new Set(rows.map(row => row.version))
	const laterPending = plan.later.filter(file => !executed.has(file.version))
	if (laterPending.length > 0) {
		throw new StrataError('LATER_MIGRATIONS_PENDING', `Cannot amend ${target.name}: later migration${laterPending.length === 1 ? ' is' : 's are'} not executed locally: ${laterPending.map(file => file.name).join(', ')}.\n`
			+ 'Run "strata migrations:execute" first, so that the local database matches every migration after the one being amended.')
	}
	const executedLocally = executed.has(target.version)
	options.onPlan?.(plan, executedLocally)
	let emptyChoice: 'remove' | 'keep' | undefined
	if (plan.amended.length === 0) {
		emptyChoice = options.empty ?? await options.decideEmpty?.(target.name)
		if (emptyChoice === undefined) {
			throw new StrataError('EMPTY_AMEND_UNDECIDED',
				`Amending ${target.name} leaves it empty (the edits revert it). Say what to do: --remove-empty (delete the file and its ledger row) or --keep-empty (keep an empty migration).`)
		}
	}
	if (options.confirm && !(await options.confirm(plan, executedLocally))) return outcome({ action: 'aborted', executedLocally, plan })

	const remove = emptyChoice === 'remove'
	// the extensions marker follows what the amended content uses; online and lint suppressions stay
	const strata = markedExtension<StrataExtension>(target.strata, plan.amended)
	const content = { formatVersion: FORMAT_VERSION_LATEST, modifications: [...plan.amended], ...(target.skippedErrors ? { skippedErrors: target.skippedErrors } : {}), ...(strata ? { strata } : {}) }
	const journal: DevJournal = {
		operation: 'amend',
		description: remove ? `remove ${target.name}` : `amend ${target.name}`,
		state: 'prepared',
		files: [{ path: target.path, before: await readFile(target.path, 'utf8'), after: remove ? null : serializeMigration(content) }],
		...(executedLocally ? { probe: { version: target.version, checksumAfter: remove ? null : plan.checksum } } : {}),
	}
	// from here the journal keeps files and database together: an interrupt either rolls both back or completes both
	options.beforeChange?.()
	await writeJournal(journalScope, journal)
	const statements: string[] = []
	if (executedLocally) {
		try {
			await inTransaction(client, async () => {
				await client.query(`SET LOCAL lock_timeout = ${Math.max(0, options.lockTimeoutMs ?? 10_000)}`)
				await client.query(`SET LOCAL search_path TO ${quoteIdentifier('public')}`)
				await runModificationsLive(client, plan.current, plan.delta, FORMAT_VERSION_LATEST, 'public', sql => statements.push(sql))
				if (remove) await deleteLedgerRow(client, ledgerSchema, target.version)
				else await updateLedgerRow(client, ledgerSchema, { version: target.version, formatVersion: FORMAT_VERSION_LATEST, checksum: plan.checksum, content: JSON.stringify(migrationContent(content)) })
			})
		} catch (error) {
			await abandonJournal(journalScope, journal)
			const reason = error instanceof Error ? error.message : String(error)
			throw new StrataError('AMEND_FAILED', `Applying the edits to the local database failed, so nothing was changed (database and ${target.name} are as before):\n  ${reason}${statements.length > 0 ? `\n  statement: ${statements[statements.length - 1]}` : ''}`, ExitCode.migrationFailed, { cause: error })
		}
	}
	await completeJournal(journalScope, journal)
	const snapshot = await readSnapshot(project.migrationsDir)
	return outcome({
		action: remove ? 'removed' : emptyChoice === 'keep' ? 'kept-empty' : 'amended',
		executedLocally,
		checksum: remove ? null : plan.checksum,
		statements,
		plan,
		snapshotStale: snapshot?.covers.some(cover => cover.version === target.version) ?? false,
	})
}

/**
 * Folds the declared schema's new edits into an existing migration (the latest by default), on
 * disk and, when it ran there, in the local database: only the delta SQL runs and the ledger row
 * is rewritten, in one transaction under the migration lock. Development only.
 *
 * @throws StrataError `REMOTE_REFUSED`, `LEDGER_MISMATCH`, `LATER_MIGRATIONS_PENDING`, `EMPTY_AMEND_UNDECIDED`, `AMEND_FAILED`, …
 */
export const amendMigration = async (options: AmendOptions): Promise<AmendOutcome> => {
	const declared = options.declared ?? await loadProjectSchema(options.project)
	return devSession(options, 'migrations:amend', session => amendInSession(session, options.project, declared, amendAnswers(options), options))
}

// ---------------------------------------------------------------------------------------------
// rebase

export interface RebaseOptions extends DevSessionOptions {
	/** the migrations to move after the newest one (names, versions or unique labels) */
	readonly migrations: readonly string[]
}

export interface RebaseOutcome {
	readonly moved: readonly { readonly from: string; readonly to: string; readonly executedLocally: boolean }[]
	/** upstream migrations not executed locally but older than executed ones: `executeProject` needs `force` for them */
	readonly needForce: readonly string[]
	/** migrations/snapshot.json covered a moved migration and is now stale */
	readonly snapshotStale: boolean
}

/** the rebase itself, inside a development session: files and ledger rows renamed together through the journal */
export const rebaseInSession = async (
	session: DevSession, project: StrataProject, names: readonly string[],
	hooks: { readonly onPlanned?: (names: readonly string[]) => void; readonly beforeChange?: () => void } = {},
): Promise<RebaseOutcome> => {
	const { client, ledgerSchema, journalScope } = session
	const files = await readMigrations(project.migrationsDir)
	const moves = planRebase(files, names)
	hooks.onPlanned?.(moves.map(move => move.file.name))
	validateRebase(files, moves)
	const executedVersions = new Set((await readLedger(client, ledgerSchema)).map(row => row.version))
	const snapshotBefore = await readSnapshot(project.migrationsDir)
	hooks.beforeChange?.()
	await applyRebase(journalScope, moves, { executedVersions, renameRows: renames => renameLedgerRows(client, ledgerSchema, renames) })
	return {
		moved: moves.map(move => ({ from: move.file.name, to: move.newName, executedLocally: executedVersions.has(move.file.version) })),
		needForce: outOfOrderAfterRebase(files, moves, executedVersions).map(file => file.name),
		snapshotStale: moves.some(move => snapshotBefore?.covers.some(cover => cover.version === move.file.version)),
	}
}

/**
 * Moves local migrations after the newest one (typically after upstream migrations arrived with
 * earlier versions): files and local ledger rows are renamed together; no SQL runs. Development only.
 */
export const rebaseMigrations = async (options: RebaseOptions): Promise<RebaseOutcome> => {
	if (options.migrations.length === 0) throw new StrataError('INVALID_OPTION', 'migrations: name at least one migration to move.')
	return devSession(options, 'migrations:rebase', session => rebaseInSession(session, options.project, options.migrations))
}
