/**
 * strata's extensions that change what a migration does, so that Contember cannot run the file
 * as strata does: a modification property or a modification Contember does not know. A file that
 * holds one declares it at the top level, `"strata": { "extensions": ["conversion"] }`, so a
 * reader of the file (and strata, when it writes one into a history) sees at once that it is
 * strata's. The `online` marker and lint suppressions are not among them: Contember runs such a
 * file to the same schema.
 */
import type { Modification } from '../modifications/types.js'

export const STRATA_ONLY_FEATURES = ['conversion', 'executeSql'] as const
export type StrataOnlyFeature = (typeof STRATA_ONLY_FEATURES)[number]

export const isStrataOnlyFeature = (name: unknown): name is StrataOnlyFeature => STRATA_ONLY_FEATURES.includes(name as StrataOnlyFeature)

/** what each feature is, for messages */
export const featureDescriptions: Readonly<Record<StrataOnlyFeature, string>> = {
	conversion: 'a type change converted by an expression of its own (USING), which Contember does not know and would replace by a plain cast',
	executeSql: 'a hand-written SQL step, a modification Contember does not know: it refuses to read the file',
}

/** the strata-only features the modifications use, each with the indexes of the modifications using it */
export const strataOnlyFeaturesUsed = (modifications: readonly Modification[]): Map<StrataOnlyFeature, number[]> => {
	const used = new Map<StrataOnlyFeature, number[]>()
	modifications.forEach((modification, index) => {
		if (modification.modification === 'updateColumnDefinition' && (modification as { conversion?: unknown }).conversion !== undefined) {
			used.set('conversion', [...(used.get('conversion') ?? []), index])
		}
		if (modification.modification === 'executeSql') used.set('executeSql', [...(used.get('executeSql') ?? []), index])
	})
	return used
}

/** the warning strata prints when it writes such a file */
export const contemberCannotRun = (fileName: string, features: Iterable<StrataOnlyFeature>): string =>
	`${fileName} uses strata's extension${[...features].length === 1 ? '' : 's'} (${[...features].map(it => `${it}: ${featureDescriptions[it]}`).join('; ')}). `
	+ 'Contember cannot run this migration as strata does; the file is marked with "strata": { "extensions": [...] }.'

/**
 * The file's `strata` key with `extensions` saying exactly which strata-only features the
 * modifications use (none: no `extensions`; nothing left: no `strata` key at all, so a plain
 * migration is written as it always was).
 */
export const markedExtension = <Extension extends { readonly extensions?: readonly StrataOnlyFeature[] }>(
	strata: Extension | undefined, modifications: readonly Modification[],
): Extension | undefined => {
	const { extensions: _old, ...rest } = strata ?? ({} as Extension)
	const used = [...strataOnlyFeaturesUsed(modifications).keys()]
	const marked = { ...rest, ...(used.length > 0 ? { extensions: used } : {}) }
	return Object.keys(marked).length > 0 ? (marked as unknown as Extension) : undefined
}
