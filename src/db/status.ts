/**
 * Files versus ledger: which migrations ran, which are pending, and which break the rules
 * (executed but changed, executed but missing, pending but older than the newest executed).
 * Pure. Unlike Contember, empty migrations are executed and recorded like any other.
 */
import { createRequire } from 'node:module'
import type { Modification } from '../modifications/types.js'
import type { LedgerRow } from './ledger.js'
import type { StepProgress } from './ledgerSteps.js'
import type { StrataExtension } from '../lint/extension.js'

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
	/** strata's extension; `online` selects the online strategy */
	readonly strata?: StrataExtension
}

/** `partial`: an online migration some of whose steps ran (docs/online.md); execute continues it */
export type MigrationState = 'executed' | 'pending' | 'partial' | 'changed' | 'missing' | 'outOfOrder' | 'unreadable'

/** a migration file that could not be read (broken JSON, invalid content, a duplicate version) */
export interface UnreadableMigration {
	readonly name: string
	readonly version: string
	/** what is wrong, one line each */
	readonly problems: readonly string[]
}

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
	/** a partly applied online migration: its steps done and planned */
	readonly steps?: { readonly done: number; readonly total: number }
	/** a pending contract-phase migration (migrations:status adds it; execute stops before it without --contract) */
	readonly contractPending?: ContractPending
}

export interface MigrationsStatus {
	readonly entries: readonly StatusEntry[]
	readonly errors: readonly StatusEntry[]
	/** what `execute` would run, in version order (out-of-order ones only with `force`) */
	readonly toExecute: readonly ExecutableMigration[]
	readonly latestExecuted?: string
}

/** the content that is stored in the ledger and compared structurally */
export const migrationContent = (file: Pick<ExecutableMigration, 'formatVersion' | 'modifications' | 'skippedErrors' | 'strata'>): Record<string, unknown> => ({
	formatVersion: file.formatVersion,
	modifications: file.modifications,
	...(file.skippedErrors !== undefined ? { skippedErrors: file.skippedErrors } : {}),
	// the strata-only features it ran with, so the stored content reads back as the file did (lint suppressions and online are not content)
	...(file.strata?.extensions !== undefined ? { strata: { extensions: file.strata.extensions } } : {}),
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
	// loaded here, not at start-up: only a changed migration needs it (json-diff is CommonJS)
	const jsonDiff = createRequire(import.meta.url)('json-diff') as typeof import('json-diff')
	return jsonDiff.diffString(pick(before), pick(after), { color: false, maxElisions: 2 }).trimEnd()
}

const unreadableEntry = (file: UnreadableMigration, row: LedgerRow | undefined): StatusEntry => ({
	version: file.version, name: file.name, state: 'unreadable', broken: true, ...(row ? { ledger: row } : {}),
	message: `${row ? 'executed' : 'not executed'}, but the file cannot be read: ${file.problems.join('; ')}`,
	rule: 'every migration file must be a valid migration',
	fix: row
		? `restore ${file.name}.json from version control (its executed content is stored in the ledger)`
		: `repair ${file.name}.json (strata validate shows every problem), or delete it if it is not meant to be a migration`,
})

export const computeStatus = (
	files: readonly ExecutableMigration[], ledgerRows: readonly LedgerRow[],
	options: { force?: boolean; unreadable?: readonly UnreadableMigration[]; steps?: ReadonlyMap<string, StepProgress> } = {},
): MigrationsStatus => {
	const filesByVersion = new Map(files.map(file => [file.version, file]))
	const unreadableByVersion = new Map((options.unreadable ?? []).map(file => [file.version, file]))
	const executedVersions = new Set(ledgerRows.map(row => row.version))
	const latest = ledgerRows.reduce<LedgerRow | undefined>((max, row) => (!max || row.version > max.version ? row : max), undefined)
	const entries: StatusEntry[] = []

	for (const row of ledgerRows) {
		const file = filesByVersion.get(row.version)
		const unreadable = unreadableByVersion.get(row.version)
		if (!file && unreadable) {
			entries.push(unreadableEntry(unreadable, row))
		} else if (!file) {
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

	for (const file of unreadableByVersion.values()) {
		if (!executedVersions.has(file.version) && !filesByVersion.has(file.version)) entries.push(unreadableEntry(file, undefined))
	}

	for (const file of files) {
		if (executedVersions.has(file.version)) continue
		if (latest && file.version < latest.version) {
			// typically an upstream migration that arrived after local ones ran: the local ones move
			const executedAfter = ledgerRows.filter(row => row.version > file.version).map(row => row.name)
			entries.push({
				version: file.version, name: file.name, state: 'outOfOrder', broken: true, file,
				message: `pending, but older than the executed migration${executedAfter.length === 1 ? '' : 's'} ${executedAfter.join(', ')}`,
				rule: 'a pending migration must be newer than the newest executed one',
				fix: `if ${executedAfter.length === 1 ? 'that migration is' : 'those migrations are'} your own, move ${executedAfter.length === 1 ? 'it' : 'them'} after ${file.name} with `
					+ `"migrations:rebase ${executedAfter.join(' ')}", then run this one on your development database with "migrations:execute --force"`,
			})
		} else {
			const progress = options.steps?.get(file.version)
			const steps = progress && { done: progress.done, total: progress.total }
			if (!progress || !steps) entries.push({ version: file.version, name: file.name, state: 'pending', broken: false, file, message: 'pending' })
			else if (progress.checksum === file.checksum) {
				entries.push({ version: file.version, name: file.name, state: 'partial', broken: false, file, steps, message: `partly applied (${file.strata?.online === true ? 'online' : 'in steps'}): ${steps.done} of ${steps.total} steps done; migrations:execute continues it` })
			} else {
				entries.push({
					version: file.version, name: file.name, state: 'changed', broken: true, file, steps,
					message: `partly applied (${file.strata?.online === true ? 'online' : 'in steps'}, ${steps.done} of ${steps.total} steps done), but the file changed since (checksum ${progress.checksum} → ${file.checksum})`,
					rule: 'a migration must not change once it started executing',
					fix: `revert ${file.name}.json to the content whose execution started, run migrations:execute to finish it, and put the change in a new migration`,
				})
			}
		}
	}

	entries.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
	const errors = entries.filter(entry => entry.broken)
	const toExecute = entries
		.filter(entry => entry.state === 'pending' || entry.state === 'partial' || (options.force && entry.state === 'outOfOrder'))
		.map(entry => entry.file!)
	return { entries, errors, toExecute, latestExecuted: latest?.version }
}

/**
 * The contract gate (docs/execute.md, "Expand/contract: the contract gate"): the phase of the
 * pending migration that makes a plain migrations:execute stop. A migration marked
 * `"strata": { "expandContract": { "phase": "contract" } }` runs only with `contract` (the CLI's
 * `--contract`) or when `until` names it (or a later contract); everything after it waits too,
 * so the order is kept. `until` naming an ordinary migration after a pending contract does not
 * open the gate.
 */
export interface ContractGate<M extends ExecutableMigration = ExecutableMigration> {
	/** what runs: the pending migrations before the first gated contract (all of them when nothing is gated) */
	readonly run: readonly M[]
	/** the first pending contract-phase migration, when the run stops before it */
	readonly stoppedAt?: M
}

export const isContractPhase = (migration: Pick<ExecutableMigration, 'strata'>): boolean => migration.strata?.expandContract?.phase === 'contract'

/**
 * @param pending the pending migrations in order, already cut by `until`
 * @param options.contract run contract migrations (`--contract`)
 * @param options.named the full name `until` resolved to, if any: a contract-phase migration named there opens the gate up to it
 */
export const contractGate = <M extends ExecutableMigration>(pending: readonly M[], options: { readonly contract?: boolean; readonly named?: M | { readonly name: string; readonly strata?: ExecutableMigration['strata'] } } = {}): ContractGate<M> => {
	if (options.contract || (options.named && isContractPhase(options.named))) return { run: [...pending] }
	const at = pending.findIndex(isContractPhase)
	if (at === -1) return { run: [...pending] }
	return { run: pending.slice(0, at), stoppedAt: pending[at]! }
}

/** the expand half of the pair a contract migration belongs to (the newest expand of that pair older than it) */
export const expandOf = <M extends Pick<ExecutableMigration, 'name' | 'version' | 'strata'>>(contract: Pick<ExecutableMigration, 'version' | 'strata'>, files: readonly M[]): M | undefined => {
	const pair = contract.strata?.expandContract?.pair
	if (pair === undefined) return undefined
	return [...files].reverse().find(file => file.version < contract.version && file.strata?.expandContract?.phase === 'expand' && file.strata.expandContract.pair === pair)
}

/** a pending contract migration in `migrations:status`: its pair, its expand and how long ago the expand ran */
export interface ContractPending {
	readonly pair: string
	/** the expand migration's name, when its file is there */
	readonly expand?: string
	/** when the expand was executed on this database; absent while it is pending too */
	readonly expandExecutedAt?: Date
	/** now − expandExecutedAt */
	readonly ageMs?: number
}

/** the contract-phase entries among the pending ones, keyed by version */
export const contractPendingEntries = (entries: readonly StatusEntry[], now: Date = new Date()): Map<string, ContractPending> => {
	const found = new Map<string, ContractPending>()
	const files = entries.flatMap(entry => (entry.file ? [{ ...entry.file, executedAt: entry.ledger?.executedAt }] : []))
	for (const entry of entries) {
		if ((entry.state !== 'pending' && entry.state !== 'partial') || !entry.file || !isContractPhase(entry.file)) continue
		const expand = expandOf(entry.file, files)
		const executedAt = expand?.executedAt
		found.set(entry.version, {
			pair: entry.file.strata!.expandContract!.pair,
			...(expand ? { expand: expand.name } : {}),
			...(executedAt ? { expandExecutedAt: executedAt, ageMs: Math.max(0, now.getTime() - executedAt.getTime()) } : {}),
		})
	}
	return found
}

/** `3 h`, `2 d`, `45 min`, `20 s`: an age for people */
export const formatAge = (ms: number): string => {
	const s = Math.floor(ms / 1000)
	if (s < 60) return `${s} s`
	if (s < 3600) return `${Math.floor(s / 60)} min`
	if (s < 86_400) return `${Math.floor(s / 3600)} h`
	return `${Math.floor(s / 86_400)} d`
}
