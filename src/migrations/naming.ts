/**
 * Migration file names: `YYYY-MM-DD-HHMMSS-<label>.json`. The version is the first 17
 * characters, the name is the file name without `.json`. Pure: no file system here.
 */
import { looksLikeConnectionString, misplacedConnectionString } from '../db/redact.js'
import { StrataError } from '../errors.js'

/** what strata writes and what a new label must look like */
export const LABEL_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/
export const MIGRATION_FILE_PATTERN = /^\d{4}-\d{2}-\d{2}-\d{6}-[a-z0-9]+(-[a-z0-9]+)*\.json$/
/**
 * Contember accepts any `[\w-]+` label, and real histories use labels such as `whatWeDo`.
 * Existing files with such labels are read unchanged (a Contember project must work as is);
 * only new labels are held to LABEL_PATTERN.
 */
const LEGACY_FILE_PATTERN = /^\d{4}-\d{2}-\d{2}-\d{6}-[\w-]+\.json$/
/** a `.json` file starting with something date-like: probably a mistyped migration */
const DATE_LIKE_PREFIX = /^\d{2,4}[-_.]?\d{1,2}[-_.]?\d{1,2}/
export const VERSION_LENGTH = 17
const VERSION_PATTERN = /^(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})(\d{2})$/

export type FileNameKind =
	| { readonly kind: 'migration'; readonly name: string; readonly version: string; readonly label: string }
	| { readonly kind: 'mistyped'; readonly reason: string }
	| { readonly kind: 'ignored' }

/** Classifies one directory entry of `migrations/`. */
export const classifyFileName = (fileName: string): FileNameKind => {
	if (fileName === 'snapshot.json' || fileName.startsWith('.') || !fileName.endsWith('.json')) return { kind: 'ignored' }
	if (LEGACY_FILE_PATTERN.test(fileName)) {
		const name = fileName.slice(0, -'.json'.length)
		const version = name.slice(0, VERSION_LENGTH)
		if (!isValidVersion(version)) return { kind: 'mistyped', reason: `"${version}" is not a valid date and time (YYYY-MM-DD-HHMMSS)` }
		return { kind: 'migration', name, version, label: name.slice(VERSION_LENGTH + 1) }
	}
	if (DATE_LIKE_PREFIX.test(fileName)) {
		return { kind: 'mistyped', reason: 'the name looks like a migration but does not match YYYY-MM-DD-HHMMSS-<label>.json (label: lower-case letters, digits and single dashes)' }
	}
	return { kind: 'ignored' }
}

/** a 17-character version whose date and time exist (2024-02-30 does not) */
export const isValidVersion = (version: string): boolean => {
	const match = VERSION_PATTERN.exec(version)
	if (!match) return false
	const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number]
	const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second))
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
		&& date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second
}

export const versionOf = (name: string): string => name.slice(0, VERSION_LENGTH)

/**
 * A migration known by its name (a ledger row, an executable migration) with the version and the
 * label findMigration (files.ts) resolves by: every place that takes a migration on the command
 * line (--until, --to, describe, lint, amend, rebase) accepts the full name, the version or a
 * unique label, and an ambiguous label lists its candidates.
 */
export const migrationRef = <T extends { readonly name: string }>(item: T): T & { readonly version: string; readonly label: string } =>
	({ ...item, version: versionOf(item.name), label: item.name.slice(VERSION_LENGTH + 1) })

/** the resolver's error, naming the option it came from (`--until x: Migration "x" not found…`) */
export const forOption = (option: string, error: unknown): unknown =>
	error instanceof StrataError ? new StrataError(error.code, `${option}: ${error.message}`, error.exitCode) : error

const pad = (value: number, length = 2) => String(value).padStart(length, '0')

/** `YYYY-MM-DD-HHMMSS` of a date, in UTC */
export const versionFromDate = (date: Date): string =>
	`${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}-${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`

const parseVersion = (version: string): Date | undefined => {
	const match = VERSION_PATTERN.exec(version)
	if (!match) return undefined
	const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number]
	return new Date(Date.UTC(year, month - 1, day, hour, minute, second))
}

/**
 * The version for a new migration: now in UTC, or one second after the newest existing
 * version when the clock says otherwise (clock skew, versions written in local time by
 * Contember, several migrations created within one second).
 */
export const nextVersion = (existingVersions: readonly string[], now: Date = new Date()): string => {
	const candidate = versionFromDate(now)
	const newest = existingVersions.reduce<string | undefined>((max, it) => (max === undefined || it > max ? it : max), undefined)
	if (newest === undefined || candidate > newest) return candidate
	const newestDate = parseVersion(newest.slice(0, VERSION_LENGTH))
	if (!newestDate) throw new StrataError('INVALID_VERSION', `Cannot compute a version after "${newest}": it is not of the form YYYY-MM-DD-HHMMSS.`)
	return versionFromDate(new Date(newestDate.getTime() + 1000))
}

/** `Add Categories!` → `add-categories`: what a label probably meant */
export const normaliseLabel = (label: string): string =>
	label
		.replace(/([a-z0-9])([A-Z])/g, '$1-$2')
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')

/**
 * The longest label strata writes: the file name (version, dash, label, `.json`) stays at 123
 * bytes and its temporary name under 150, well below the 255 bytes file systems allow.
 */
export const MAX_LABEL_LENGTH = 100

/** Rejects a label that strata would not write; never rewrites it silently. */
export const validateLabel = (label: string): string => {
	if (label.length > MAX_LABEL_LENGTH) {
		throw new StrataError('INVALID_LABEL', `The migration name is too long (${label.length} characters); use at most ${MAX_LABEL_LENGTH}: a few words saying what the change does.`)
	}
	if (LABEL_PATTERN.test(label)) return label
	if (looksLikeConnectionString(label)) throw new StrataError('INVALID_LABEL', misplacedConnectionString('the migration name'))
	const suggestion = normaliseLabel(label)
	const hint = suggestion ? ` Use "${suggestion}" instead.` : ''
	throw new StrataError(
		'INVALID_LABEL',
		`Invalid migration name "${label}": use lower-case letters, digits and single dashes (${LABEL_PATTERN.source}).${hint}`,
	)
}

export const migrationFileName = (version: string, label: string): string => `${version}-${label}.json`

const editDistance = (a: string, b: string): number => {
	let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
	for (let i = 1; i <= a.length; i++) {
		const current = [i]
		for (let j = 1; j <= b.length; j++) {
			current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
		}
		previous = current
	}
	return previous[b.length]!
}

/** Up to `limit` candidates that look like `value` (typos, case, prefixes), closest first. */
export const nearestMatches = (value: string, candidates: readonly string[], limit = 3): string[] => {
	const needle = value.toLowerCase()
	return candidates
		.map(candidate => {
			const lower = candidate.toLowerCase()
			const distance = lower === needle ? 0 : lower.includes(needle) || needle.includes(lower) ? 1 : editDistance(needle, lower)
			return { candidate, distance }
		})
		.filter(it => it.distance <= Math.max(2, Math.floor(Math.max(value.length, it.candidate.length) / 3)))
		.sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
		.slice(0, limit)
		.map(it => it.candidate)
}

/** ` Did you mean "a" or "b"?` or an empty string */
export const didYouMean = (value: string, candidates: readonly string[]): string => {
	const matches = nearestMatches(value, candidates)
	if (matches.length === 0) return ''
	const quoted = matches.map(it => `"${it}"`)
	return ` Did you mean ${quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`}?`
}
