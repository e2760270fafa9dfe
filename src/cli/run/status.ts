/**
 * `migrations:status [project]`: files versus the ledger of the database. Exit 1 when anything
 * is broken; with --check, exit 3 when anything is pending or broken (for CI gates).
 * Also holds the connection wrapper shared by the database commands (definition: commands/status.ts).
 */
import { fleetRequested, type FleetArgs } from '../commands/fleetOptions.js'
import { ledgerSchemaFor } from '../../api/database.js'
import { migrationStatus, type PendingJournal } from '../../api/status.js'
import { ExitCode, StrataError } from '../../errors.js'
import { openDatabase, type Database } from '../../db/connection.js'
import { redact } from '../../db/redact.js'
import { formatAge, type StatusEntry } from '../../db/status.js'
import { resolveProject, type ProjectContext } from '../context.js'
import { createOutput, type Output } from '../output.js'
import type { ProjectCommandArgs } from '../commands/options.js'

export interface DatabaseCommandArgs extends ProjectCommandArgs {
	readonly databaseUrl?: string
	readonly embedded?: boolean
	readonly ledgerSchema?: string
}

export const ledgerSchemaOf = (argv: DatabaseCommandArgs, context: ProjectContext): string => ledgerSchemaFor(argv, context.config)

/** SQLSTATE insufficient_privilege */
const INSUFFICIENT_PRIVILEGE = '42501'

/** a database error reaching the command is the user's environment (permissions, a dropped connection), not a strata bug */
const asUserError = (error: unknown, database?: Database): unknown => {
	if (error instanceof Error) error.message = redact(error.message)
	if (error instanceof StrataError) return error
	const e = error as { code?: string; severity?: string; message?: string }
	if (typeof e?.code === 'string' && (e.severity !== undefined || /^E[A-Z]+$/.test(e.code) || /connection|terminat/i.test(e.message ?? ''))) {
		// which role lacks what: the bare "permission denied for schema strata" names neither the login nor the remedy
		const privilege = e.code === INSUFFICIENT_PRIVILEGE
			? `\nThe connection (${database?.description ?? 'its role'}) lacks a privilege. migrations:status and db:drift need CONNECT, USAGE on the project and ledger schemas and SELECT on their tables; migrations:execute needs to own them. Connect as such a role or GRANT the privilege.`
			: ''
		return new StrataError('DATABASE_ERROR', `PostgreSQL: ${redact(e.message ?? String(error))}${e.code ? ` [${e.code}]` : ''}${privilege}`, ExitCode.userError)
	}
	if (error instanceof Error && /Connection terminated|connection.*(closed|ended)/i.test(error.message)) {
		return new StrataError('CONNECTION_LOST', `The connection to PostgreSQL was lost: ${redact(error.message)}`, ExitCode.userError)
	}
	return error
}

/** opens the database for one command and always closes it (stopping the embedded cluster) */
export const withDatabase = async <R>(
	argv: DatabaseCommandArgs, context: ProjectContext, output: Output, applicationName: string, run: (database: Database) => Promise<R>,
): Promise<R> => {
	let database: Database | undefined
	try {
		database = await openDatabase(context, { databaseUrl: argv.databaseUrl, embedded: argv.embedded, applicationName }, output)
		return await run(database)
	} catch (error) {
		throw asUserError(error, database)
	} finally {
		await database?.close()
	}
}

const label = (entry: StatusEntry): string =>
	entry.contractPending ? 'CONTRACT PENDING' : ({ executed: 'executed', pending: 'pending', partial: 'PARTIAL', changed: 'CHANGED', missing: 'MISSING', outOfOrder: 'OUT OF ORDER', unreadable: 'UNREADABLE' } as const)[entry.state]

export const entryJson = (entry: StatusEntry) => ({
	version: entry.version,
	name: entry.name,
	state: entry.state,
	broken: entry.broken,
	message: entry.message,
	...(entry.rule ? { rule: entry.rule, fix: entry.fix } : {}),
	...(entry.diff ? { diff: entry.diff } : {}),
	...(entry.ledger ? { executedAt: entry.ledger.executedAt.toISOString(), executedChecksum: entry.ledger.checksum, executedBy: entry.ledger.executedBy } : {}),
	...(entry.file ? { checksum: entry.file.checksum } : {}),
	...(entry.steps ? { steps: entry.steps } : {}),
	...(entry.file?.strata?.expandContract ? { phase: entry.file.strata.expandContract.phase, pair: entry.file.strata.expandContract.pair } : {}),
	...(entry.contractPending ? {
		contractPending: {
			...(entry.contractPending.expand ? { expand: entry.contractPending.expand } : {}),
			...(entry.contractPending.expandExecutedAt ? { expandExecutedAt: entry.contractPending.expandExecutedAt.toISOString(), ageMs: entry.contractPending.ageMs } : {}),
		},
	} : {}),
})

/** `contract phase of add-headline: expand …-add-headline-expand executed 3 h ago; runs with migrations:execute --contract once the new application is deployed` */
const contractMessage = (entry: StatusEntry): string => {
	const pending = entry.contractPending!
	const expand = pending.expand === undefined
		? 'no expand migration of this pair is in the directory'
		: pending.expandExecutedAt ? `expand ${pending.expand} executed ${formatAge(pending.ageMs ?? 0)} ago` : `expand ${pending.expand} is pending too`
	return `contract phase of ${pending.pair}: ${expand}; runs with migrations:execute --contract once the new application is deployed`
		+ (entry.state === 'partial' ? ` (${entry.message})` : '')
}

export const printEntries = (entries: readonly StatusEntry[], output: Output): void => {
	const { color } = output
	const width = Math.max(6, ...entries.map(entry => label(entry).length))
	const nameWidth = Math.max(9, ...entries.map(entry => entry.name.length))
	output.info(color.bold(`${'status'.padEnd(width)}  ${'migration'.padEnd(nameWidth)}  info`))
	for (const entry of entries) {
		const paint = entry.broken ? color.red : entry.state === 'pending' || entry.state === 'partial' ? color.yellow : color.green
		output.info(`${paint(label(entry).padEnd(width))}  ${entry.name.padEnd(nameWidth)}  ${entry.contractPending ? contractMessage(entry) : entry.message}`)
		if (entry.broken) {
			output.info(`${' '.repeat(width + 2)}rule: ${entry.rule}`)
			output.info(`${' '.repeat(width + 2)}fix:  ${entry.fix}`)
			if (entry.diff) output.info(entry.diff.split('\n').map(line => `${' '.repeat(width + 4)}${line}`).join('\n'))
		}
	}
}

export interface StatusArgs extends DatabaseCommandArgs {
	readonly onlyErrors?: boolean
	readonly onlyToExecute?: boolean
	readonly check?: boolean
}

export const run = async (argv: StatusArgs): Promise<number | void> => {
	// --target/--targets: the same command on several databases of the config (docs/fleet.md)
	if (fleetRequested(argv as StatusArgs & FleetArgs)) return (await import('./fleet.js')).run('status', argv as StatusArgs & FleetArgs)
	const output = createOutput(argv)
	const context = await resolveProject(argv)
	const ledgerSchema = ledgerSchemaOf(argv, context)
	return withDatabase(argv, context, output, 'strata migrations:status', async database => {
		const status = await migrationStatus({ project: context, database: database.client, ledgerSchema })
		let entries = status.migrations
		if (argv.onlyErrors || argv.onlyToExecute) {
			entries = entries.filter(entry => (argv.onlyErrors && entry.broken) || (argv.onlyToExecute && (entry.state === 'pending' || entry.state === 'partial')))
		}
		const counts = status.summary
		if (output.jsonMode) {
			output.json({
				database: database.description, ledgerSchema, ...(status.journal ? { journal: status.journal } : {}),
				...(status.temporaryFiles.length > 0 ? { temporaryFiles: status.temporaryFiles } : {}),
				...(status.ignoredFiles.length > 0 ? { ignoredFiles: status.ignoredFiles } : {}),
				migrations: entries.map(entryJson), summary: counts,
			})
		} else {
			output.note(`Database: ${database.description}, ledger ${ledgerSchema}.migrations`)
			printJournal(status.journal, output)
			for (const path of status.temporaryFiles) output.warn(`${path} is a temporary file left by a write that was killed; it is ignored and safe to delete.`)
			for (const line of status.ignoredFiles) output.error(`not read as a migration (migrations:execute refuses to run until it is renamed or moved): ${line}`)
			if (entries.length > 0) printEntries(entries, output)
			else output.info(status.migrations.length === 0 ? 'No migrations.' : 'Nothing to show.')
			output.info(`${counts.executed} executed, ${counts.pending} pending${counts.contractPending ? ` (${counts.contractPending} contract pending)` : ''}, ${counts.broken} broken.`)
			if (counts.broken > 0) output.error('Some migrations are broken: migrations:execute refuses to run until they are fixed.')
		}
		// a mistyped file name or a refused journal stops migrations:execute as a broken migration does
		if (argv.check && (counts.pending > 0 || status.blocked || status.journal?.state === 'pending')) return ExitCode.checkFailed
		return status.blocked ? ExitCode.userError : ExitCode.ok
	})
}

/** the interrupted rebase/amend comes first: the next command acts on it before anything else */
const printJournal = (journal: PendingJournal | undefined, output: Output) => {
	if (journal?.state === 'pending') {
		output.warn(`An interrupted migrations:${journal.operation} is pending (${journal.description}). The next migrations:execute, migrations:rebase or migrations:amend `
			+ (journal.direction === 'forward' ? 'finishes it (its ledger change committed)' : 'rolls it back (its ledger change never committed)')
			+ '. The migrations below are shown as they will be then.')
	}
	if (journal?.state === 'refused') {
		output.error(`A development journal cannot be applied here, so migrations:execute, rebase and amend refuse to run:\n${journal.message}`)
	}
}
