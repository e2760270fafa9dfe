/**
 * Files versus ledger: which migrations ran, which are pending, and which break the rules
 * (executed but changed, executed but missing, pending but older than the newest executed).
 * Pure. Unlike Contember, empty migrations are executed and recorded like any other.
 */
import jsonDiff from 'json-diff'
import type { Modification } from '../modifications/types.js'
import type { LedgerRow } from './ledger.js'

/** the parts of a MigrationFile (src/migrations/files.ts) that status and execution need */
export interface ExecutableMigration {
	readonly name: string
	readonly version: string
	readonly formatVersion: number
	readonly modifications: readonly Modification[]
	readonly skippedErrors?: unknown
	/** `sha256:<hex>` */
	readonly checksum: string
	readonly path?: string
}

export type MigrationState = 'executed' | 'pending' | 'changed' | 'missing' | 'outOfOrder'

export interface StatusEntry {
	readonly version: string
	readonly name: string
	readonly state: MigrationState
	readonly broken: boolean
	/** one line for the table */
	readonly message: string
	/** the rule a broken entry violates, and how to fix it */
	readonly rule?: string
	readonly fix?: string
	/** structural diff of the executed content (−) and the file (+), for `changed` */
	readonly diff?: string
	readonly file?: ExecutableMigration
	readonly ledger?: LedgerRow
}

export interface MigrationsStatus {
	readonly entries: readonly StatusEntry[]
	readonly errors: readonly StatusEntry[]
	/** what `execute` would run, in version order (out-of-order ones only with `force`) */
	readonly toExecute: readonly ExecutableMigration[]
	readonly latestExecuted?: string
}

/** the content that is stored in the ledger and compared structurally */
export const migrationContent = (file: Pick<ExecutableMigration, 'formatVersion' | 'modifications' | 'skippedErrors'>): Record<string, unknown> => ({
	formatVersion: file.formatVersion,
	modifications: file.modifications,
	...(file.skippedErrors !== undefined ? { skippedErrors: file.skippedErrors } : {}),
})

const parseStored = (text: string): unknown => {
	try {
		return JSON.parse(text)
	} catch {
		return text
	}
}

export const contentDiff = (stored: string, file: ExecutableMigration): string => {
	const before = parseStored(stored) as Record<string, unknown>
	const after = migrationContent(file)
	// skippedErrors do not affect the checksum; compare what does
	const pick = (value: Record<string, unknown>) => ({ formatVersion: value?.formatVersion, modifications: value?.modifications })
	return jsonDiff.diffString(pick(before), pick(after), { color: false, maxElisions: 2 }).trimEnd()
}

export const computeStatus = (files: readonly ExecutableMigration[], ledgerRows: readonly LedgerRow[], options: { force?: boolean } = {}): MigrationsStatus => {
	const filesByVersion = new Map(files.map(file => [file.version, file]))
	const executedVersions = new Set(ledgerRows.map(row => row.version))
	const latest = ledgerRows.reduce<LedgerRow | undefined>((max, row) => (!max || row.version > max.version ? row : max), undefined)
	const entries: StatusEntry[] = []

	for (const row of ledgerRows) {
		const file = filesByVersion.get(row.version)
		if (!file) {
			entries.push({
				version: row.version, name: row.name, state: 'missing', broken: true, ledger: row,
				message: `executed ${row.executedAt.toISOString()}, but the file ${row.name}.json is missing`,
				rule: 'an executed migration must stay in the migrations directory',
				fix: `restore ${row.name}.json from version control (its content is stored in the ledger)`,
			})
		} else if (file.checksum !== row.checksum || file.name !== row.name) {
			const renamed = file.name !== row.name
			entries.push({
				version: row.version, name: file.name, state: 'changed', broken: true, ledger: row, file,
				message: renamed && file.checksum === row.checksum
					? `executed as ${row.name}, but the file was renamed to ${file.name}.json`
					: `executed ${row.executedAt.toISOString()}, but the file changed since (checksum ${row.checksum} → ${file.checksum})`,
				rule: 'an executed migration must never change',
				fix: renamed && file.checksum === row.checksum
					? `rename the file back to ${row.name}.json`
					: `revert ${file.name}.json to its executed content and put the change in a new migration (migrations:diff or migrations:blank)`,
				diff: file.checksum !== row.checksum ? contentDiff(row.migration, file) : undefined,
			})
		} else {
			entries.push({
				version: row.version, name: row.name, state: 'executed', broken: false, ledger: row, file,
				message: `executed ${row.executedAt.toISOString()} in ${row.durationMs} ms`,
			})
		}
	}

	for (const file of files) {
		if (executedVersions.has(file.version)) continue
		if (latest && file.version < latest.version) {
			entries.push({
				version: file.version, name: file.name, state: 'outOfOrder', broken: true, file,
				message: `pending, but older than the executed migration ${latest.name}`,
				rule: 'a pending migration must be newer than the newest executed one',
				fix: `rename it after ${latest.name} with migrations:rebase ${file.name} (or, on a development database, run migrations:execute --force)`,
			})
		} else {
			entries.push({ version: file.version, name: file.name, state: 'pending', broken: false, file, message: 'pending' })
		}
	}

	entries.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
	const errors = entries.filter(entry => entry.broken)
	const toExecute = entries
		.filter(entry => entry.state === 'pending' || (options.force && entry.state === 'outOfOrder'))
		.map(entry => entry.file!)
	return { entries, errors, toExecute, latestExecuted: latest?.version }
}
