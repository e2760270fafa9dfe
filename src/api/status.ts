/**
 * The state of a database's migrations: each file against the ledger (executed, pending,
 * partly applied, changed, missing, out of order, unreadable), with the rule and the fix for
 * every broken one. Reads only; takes no lock.
 */
import { readLedger } from '../db/ledger.js'
import { readStepProgress } from '../db/ledgerSteps.js'
import { computeStatus, contractPendingEntries, type StatusEntry } from '../db/status.js'
import { readStatusInputs, type StatusFiles } from '../cli/statusInputs.js'
import { ledgerSchemaFor, withConnection, type DatabaseOptions } from './database.js'
import type { StrataProject } from './project.js'

export interface StatusOptions extends DatabaseOptions {
	readonly project: StrataProject
	/** the migration files as readStatusFiles reads them, once for many databases (fleetStatus); default: read by this call */
	readonly files?: StatusFiles
}

/** an interrupted migrations:rebase or migrations:amend on this machine, which the next command finishes or rolls back */
export type PendingJournal =
	| { readonly state: 'pending'; readonly operation: string; readonly description: string; readonly direction: 'forward' | 'back' }
	| { readonly state: 'refused'; readonly message: string }

export interface ProjectStatus {
	/** host, port, database and user; never the password */
	readonly database: string
	readonly ledgerSchema: string
	/** every migration, files and ledger together, in version order */
	readonly migrations: readonly StatusEntry[]
	/** `contractPending` (only when there is one): how many of the pending ones are contract-phase migrations, which a plain migrations:execute stops before */
	readonly summary: { readonly executed: number; readonly pending: number; readonly broken: number; readonly contractPending?: number }
	readonly journal?: PendingJournal
	/** files in the migrations directory that look like mistyped migrations (execute refuses to run until they are renamed or moved) */
	readonly ignoredFiles: readonly string[]
	/** temporary files a killed write left behind (ignored, safe to delete) */
	readonly temporaryFiles: readonly string[]
	/** migrations:execute would refuse to run: a broken migration, a mistyped file or a refused journal */
	readonly blocked: boolean
}

/** Compares the project's migration files with the database's ledger. */
export const migrationStatus = async (options: StatusOptions): Promise<ProjectStatus> => {
	const { project } = options
	const ledgerSchema = ledgerSchemaFor(options, project.config)
	return withConnection(options.database, 'strata migrations:status', async ({ client, description }) => {
		const ledger = await readLedger(client, ledgerSchema)
		const inputs = await readStatusInputs(client, project, ledgerSchema, ledger, options.files)
		const status = computeStatus(inputs.files, ledger, { unreadable: inputs.unreadable, steps: await readStepProgress(client, ledgerSchema) })
		// a pending contract-phase migration: its pair, its expand and the expand's age
		const contracts = contractPendingEntries(status.entries)
		const summary = {
			executed: status.entries.filter(entry => entry.state === 'executed').length,
			pending: status.entries.filter(entry => entry.state === 'pending' || entry.state === 'partial').length,
			broken: status.errors.length,
			...(contracts.size > 0 ? { contractPending: contracts.size } : {}),
		}
		const migrations = status.entries.map(entry => {
			const contractPending = contracts.get(entry.version)
			return contractPending ? { ...entry, contractPending } : entry
		})
		const journal: PendingJournal | undefined = inputs.journal.kind === 'pending'
			? { state: 'pending', operation: inputs.journal.journal.operation, description: inputs.journal.journal.description, direction: inputs.journal.direction }
			: inputs.journal.kind === 'refused' ? { state: 'refused', message: inputs.journal.error.message } : undefined
		return {
			database: description,
			ledgerSchema,
			migrations,
			summary,
			...(journal ? { journal } : {}),
			ignoredFiles: inputs.ignored,
			temporaryFiles: inputs.tempFiles,
			blocked: summary.broken > 0 || journal?.state === 'refused' || inputs.ignored.length > 0,
		}
	})
}
