/**
 * `migrations:rebase [project] <migration...>`: move local migrations after the newest one
 * (typically after upstream migrations arrived with earlier versions). Renames the files and the
 * local ledger rows together; no SQL runs. Development only: refuses non-local databases.
 */
import { inDevSession, rebaseInSession, type DevSession } from '../../api/dev.js'
import { assertLocalTarget } from '../../db/bootstrap.js'
import { lockWaitMessage } from '../../db/lock.js'
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
 * not local before connecting, connect (the embedded database too), then the API's development
 * session: the lock (saying who holds it while waiting) and an interrupted rebase/amend settled.
 */
export const withDevSession = async <R>(
	argv: DevSessionArgs, context: ProjectContext, output: Output, ledgerSchema: string, command: string,
	run: (session: DevSession) => Promise<R>,
): Promise<R> => {
	const lockWaitMs = parseDuration(argv.lockWait, 60_000, 'lock-wait')
	assertLocalTarget(context, argv, argv.allowRemote, command)
	return withDatabase(argv, context, output, `strata ${command}`, database =>
		inDevSession(database, {
			project: context, ledgerSchema, allowRemote: argv.allowRemote, lockWaitMs,
			onLockWait: holders => output.note(lockWaitMessage(holders)), onNotice: message => output.warn(message),
		}, command, run))
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
	await withDevSession(argv, context, output, ledgerSchema, 'migrations:rebase', async session => {
		const { moved, needForce, snapshotStale } = await rebaseInSession(session, context, wanted, {
			onPlanned: names => { if (!output.jsonMode) output.note(`Rebasing: ${names.join(', ')}`) },
			// journaled: an interrupt from here either rolls files and ledger back together or completes both
			beforeChange: throwIfInterrupted,
		})
		describeInterruptOutcome(() => `the rebase of ${moved.map(move => move.from).join(', ')} completed before the interrupt took effect (files and local ledger together).`)
		if (output.jsonMode) {
			output.json({ moved, needForce })
			return
		}
		for (const move of moved) output.info(`${move.from} → ${move.to}${move.executedLocally ? ' (ledger row renamed)' : ''}`)
		if (needForce.length > 0) {
			output.info(`Upstream migration${needForce.length === 1 ? '' : 's'} not executed locally but older than executed ones: ${needForce.join(', ')}.`)
			output.info('Run "strata migrations:execute --force" to apply them to the local database.')
		}
		if (snapshotStale) output.warn('migrations/snapshot.json covered a rebased migration and is now stale; run "strata migrations:snapshot".')
	})
}
