/**
 * `migrations:rebase [project] <migration...>`: move local migrations after the newest one
 * (typically after upstream migrations arrived with earlier versions). Renames the files and the
 * local ledger rows together; no SQL runs. Development only: refuses non-local databases.
 */
import type pg from 'pg'
import { assertLocalDatabase, assertLocalTarget, ledgerChecksum, renameLedgerRows } from '../../db/bootstrap.js'
import { ledgerIdentity, readLedger } from '../../db/ledger.js'
import { acquireLedgerLock, lockWaitMessage } from '../../db/lock.js'
import { recoverJournal, type JournalScope } from '../../migrations/devJournal.js'
import { readMigrations } from '../../migrations/files.js'
import { applyRebase, outOfOrderAfterRebase, planRebase, validateRebase } from '../../migrations/rebase.js'
import { readSnapshot } from '../../migrations/snapshot.js'
import { type ProjectContext, resolveProject, variadicWords } from '../context.js'
import { describeInterruptOutcome, throwIfInterrupted } from '../interrupt.js'
import { createOutput, type Output, UsageError } from '../output.js'
import { parseDuration } from './execute.js'
import { ledgerSchemaOf, withDatabase, type DatabaseCommandArgs } from './status.js'

export interface DevSessionArgs extends DatabaseCommandArgs {
	readonly allowRemote?: boolean
	readonly lockWait?: string
}

/**
 * What every development command (amend, rebase) does around its work: refuse a database that is
 * not local, connect, take the migration lock (saying who holds it while waiting), and finish or
 * roll back an interrupted rebase/amend before looking at the files.
 */
export const withDevSession = async <R>(
	argv: DevSessionArgs, context: ProjectContext, output: Output, ledgerSchema: string, command: string,
	run: (client: pg.Client, journalScope: JournalScope) => Promise<R>,
): Promise<R> => {
	const lockWaitMs = parseDuration(argv.lockWait, 60_000, 'lock-wait')
	assertLocalTarget(context, argv, argv.allowRemote, command)
	return withDatabase(argv, context, output, `strata ${command}`, async database => {
		assertLocalDatabase(database, argv.allowRemote, command)
		const client = database.client
		const lock = await acquireLedgerLock(client, ledgerSchema, { waitMs: lockWaitMs, onWait: holders => output.note(lockWaitMessage(holders)) })
		try {
			const scope: JournalScope = { projectRoot: context.root, migrationsDir: context.migrationsDir, database: await ledgerIdentity(client, ledgerSchema) }
			const recovered = await recoverJournal(scope, version => ledgerChecksum(client, ledgerSchema, version))
			if (recovered) output.warn(recovered)
			return await run(client, scope)
		} finally {
			await lock.release()
		}
	})
}

export interface RebaseArgs extends DevSessionArgs {
	readonly migrations?: string[]
}

export const run = async (argv: RebaseArgs): Promise<number | void> => {
	const output = createOutput(argv)
	const wanted = variadicWords(argv.migrations, argv)
	if (wanted.length === 0) throw new UsageError('Name the migrations to move: strata migrations:rebase <migration...> (e.g. add-tags).')
	describeInterruptOutcome(() => 'nothing was changed.')
	const context = await resolveProject(argv)
	const ledgerSchema = ledgerSchemaOf(argv, context)
	await withDevSession(argv, context, output, ledgerSchema, 'migrations:rebase', async (client, journalScope) => {
		const files = await readMigrations(context.migrationsDir)
		const moves = planRebase(files, wanted)
		if (!output.jsonMode) output.note(`Rebasing: ${moves.map(move => move.file.name).join(', ')}`)
		validateRebase(files, moves)
		const executedVersions = new Set((await readLedger(client, ledgerSchema)).map(row => row.version))
		const snapshotBefore = await readSnapshot(context.migrationsDir)
		// journaled: an interrupt from here either rolls files and ledger back together or completes both
		throwIfInterrupted()
		await applyRebase(journalScope, moves, {
			executedVersions,
			renameRows: renames => renameLedgerRows(client, ledgerSchema, renames),
		})
		describeInterruptOutcome(() => `the rebase of ${moves.map(move => move.file.name).join(', ')} completed before the interrupt took effect (files and local ledger together).`)
		const needForce = outOfOrderAfterRebase(files, moves, executedVersions)
		const coveredBySnapshot = moves.filter(move => snapshotBefore?.covers.some(cover => cover.version === move.file.version))
		if (output.jsonMode) {
			output.json({
				moved: moves.map(move => ({ from: move.file.name, to: move.newName, executedLocally: executedVersions.has(move.file.version) })),
				needForce: needForce.map(file => file.name),
			})
			return
		}
		for (const move of moves) {
			output.info(`${move.file.name} → ${move.newName}${executedVersions.has(move.file.version) ? ' (ledger row renamed)' : ''}`)
		}
		if (needForce.length > 0) {
			output.info(`Upstream migration${needForce.length === 1 ? '' : 's'} not executed locally but older than executed ones: ${needForce.map(file => file.name).join(', ')}.`)
			output.info('Run "strata migrations:execute --force" to apply them to the local database.')
		}
		if (coveredBySnapshot.length > 0) output.warn('migrations/snapshot.json covered a rebased migration and is now stale; run "strata migrations:snapshot".')
	})
}
