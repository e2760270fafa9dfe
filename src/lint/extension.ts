/**
 * strata's extension of the migration file format: a top-level `"strata"` object. Contember's
 * reader takes formatVersion, modifications and skippedErrors and ignores any other key, so a
 * file carrying it stays readable by Contember. It holds the lint suppressions:
 *
 *   "strata": { "lint": { "allow": [{ "code": "L007", "modification": 2, "reason": "post has 200 rows" }] } }
 *
 * `code` and a non-empty `reason` are required; without `modification` (the index in the file,
 * from 0) the code is allowed for every modification of the migration. Like skippedErrors, the
 * extension is not covered by the checksum: a suppression may be added to an executed migration.
 *
 * `"online": true` marks the migration for strata's online strategy (src/online/): indexes built
 * CONCURRENTLY, constraints added NOT VALID then validated, each in a step of its own. Contember
 * ignores the marker and runs its usual SQL, which builds the same schema.
 */
import { didYouMean } from '../migrations/naming.js'
import { isStrataOnlyFeature, STRATA_ONLY_FEATURES, type StrataOnlyFeature } from '../migrations/strataOnly.js'
import { isLintCode, lintCodes, type LintCode } from './codes.js'

export interface LintSuppression {
	readonly code: LintCode
	/** the modification's index in the file; absent = every modification of the migration */
	readonly modification?: number
	readonly reason: string
}

export interface StrataExtension {
	readonly lint?: { readonly allow: readonly LintSuppression[] }
	/** run with the online strategy (docs/online.md, "The online strategy") */
	readonly online?: boolean
	/** the strata-only features the file uses, which Contember cannot run (src/migrations/strataOnly.ts) */
	readonly extensions?: readonly StrataOnlyFeature[]
	/** one half of an expand/contract pair written by `migrations:diff --expand-contract` (docs/zero-downtime.md) */
	readonly expandContract?: ExpandContractMarker
}

/**
 * The phase of a migration in an expand/contract pair. `pair` is the label both files share
 * (`add-headline` for `…-add-headline-expand` and `…-add-headline-contract`). A plain
 * migrations:execute runs everything up to the first pending contract and stops there.
 */
export interface ExpandContractMarker {
	readonly phase: 'expand' | 'contract'
	readonly pair: string
}

export const EXPAND_CONTRACT_PHASES = ['expand', 'contract'] as const

/** the phase of a migration, when it is half of an expand/contract pair */
export const expandContractPhase = (migration: { readonly strata?: StrataExtension }): ExpandContractMarker['phase'] | undefined => migration.strata?.expandContract?.phase

/** whether a migration is marked for the online strategy */
export const isOnlineMigration = (migration: { readonly strata?: StrataExtension }): boolean => migration.strata?.online === true

/** the top-level key of the extension */
export const STRATA_EXTENSION_KEY = 'strata'

type Report = (path: string, message: string) => void

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

const kind = (value: unknown): string =>
	value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'number' && Number.isInteger(value) ? 'integer' : typeof value

const onlyKeys = (value: Record<string, unknown>, allowed: readonly string[], path: string, problem: Report) => {
	for (const key of Object.keys(value)) {
		if (!allowed.includes(key)) problem(`${path}/${key}`, `unexpected property; allowed are ${allowed.join(', ')}.${didYouMean(key, allowed)}`)
	}
}

const SUPPRESSION_SHAPE = '{ "code": "L…", "reason": "why it is safe here", "modification"?: <index> }'

const checkSuppression = (entry: unknown, path: string, problem: Report): void => {
	if (!isObject(entry)) return problem(path, `expected an object ${SUPPRESSION_SHAPE}, got ${kind(entry)}`)
	if (typeof entry.code !== 'string') problem(`${path}/code`, `required: a lint code (${lintCodes[0]}…${lintCodes[lintCodes.length - 1]}), got ${kind(entry.code)}`)
	else if (!isLintCode(entry.code)) problem(`${path}/code`, `unknown lint code ${JSON.stringify(entry.code)}; the codes are ${lintCodes.join(', ')} (docs/online.md, "Lint rules").`)
	if (typeof entry.reason !== 'string' || entry.reason.trim() === '') {
		problem(`${path}/reason`, `required: a non-empty string saying why the finding is safe to accept here, got ${typeof entry.reason === 'string' ? 'an empty string' : kind(entry.reason)}`)
	}
	if (entry.modification !== undefined && !(Number.isSafeInteger(entry.modification) && (entry.modification as number) >= 0)) {
		problem(`${path}/modification`, `expected the index of a modification in this file (an integer from 0), got ${JSON.stringify(entry.modification)}`)
	}
	onlyKeys(entry, ['code', 'modification', 'reason'], path, problem)
}

/** checks the value of the top-level `strata` key; every problem is reported through `problem` with its JSON pointer */
export const checkStrataExtension = (value: unknown, problem: Report): StrataExtension | undefined => {
	if (value === undefined) return undefined
	const root = `/${STRATA_EXTENSION_KEY}`
	if (!isObject(value)) return void problem(root, `expected an object { "lint": { "allow": [...] }, "online": true } (strata's extension, which Contember ignores), got ${kind(value)}`)
	onlyKeys(value, ['lint', 'online', 'extensions', 'expandContract'], root, problem)
	if (value.expandContract !== undefined) {
		const marker = value.expandContract
		const shape = '{ "phase": "expand" | "contract", "pair": "<label>" }'
		if (!isObject(marker)) problem(`${root}/expandContract`, `expected ${shape}, got ${kind(marker)}`)
		else {
			onlyKeys(marker, ['phase', 'pair'], `${root}/expandContract`, problem)
			if (!EXPAND_CONTRACT_PHASES.includes(marker.phase as never)) problem(`${root}/expandContract/phase`, `expected "expand" or "contract", got ${JSON.stringify(marker.phase)}`)
			if (typeof marker.pair !== 'string' || marker.pair === '') problem(`${root}/expandContract/pair`, `required: the label both files of the pair share, got ${kind(marker.pair)}`)
		}
	}
	if (value.online !== undefined && typeof value.online !== 'boolean') problem(`${root}/online`, `expected true or false (run with the online strategy), got ${kind(value.online)}`)
	if (value.extensions !== undefined) {
		if (!Array.isArray(value.extensions)) problem(`${root}/extensions`, `expected an array of strata-only features (${STRATA_ONLY_FEATURES.join(', ')}), got ${kind(value.extensions)}`)
		else value.extensions.forEach((name, index) => {
			if (!isStrataOnlyFeature(name)) problem(`${root}/extensions/${index}`, `unknown strata-only feature ${JSON.stringify(name)}; the features are ${STRATA_ONLY_FEATURES.join(', ')}`)
		})
	}
	const lint = value.lint
	if (lint === undefined) return value as StrataExtension
	if (!isObject(lint)) return void problem(`${root}/lint`, `expected an object { "allow": [...] }, got ${kind(lint)}`)
	onlyKeys(lint, ['allow'], `${root}/lint`, problem)
	if (!Array.isArray(lint.allow)) return void problem(`${root}/lint/allow`, `expected an array of ${SUPPRESSION_SHAPE}, got ${kind(lint.allow)}`)
	lint.allow.forEach((entry, index) => checkSuppression(entry, `${root}/lint/allow/${index}`, problem))
	return value as StrataExtension
}
