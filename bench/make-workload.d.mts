// Types of bench/make-workload.mjs for the TypeScript tests that import it.
export interface WorkloadParameters {
	readonly entities: number
	readonly migrations: number
	readonly pending: number
	readonly seed: string | number
}

export interface GeneratedMigration {
	readonly name: string
	readonly content: { readonly formatVersion: number; readonly modifications: readonly { readonly modification: string; readonly [key: string]: unknown }[] }
}

export interface GeneratedWorkload {
	readonly files: readonly GeneratedMigration[]
	/** the generator's own replay of the files */
	readonly replayed: unknown
	/** the replay plus the pending changes */
	readonly declared: unknown
	readonly pending: readonly { readonly modification: string }[]
}

export interface WorkloadSummary {
	readonly parameters: WorkloadParameters
	readonly counts: { readonly files: number; readonly modifications: number; readonly byKind: Record<string, number>; readonly pendingModifications: number }
}

export const SIZES: Record<'small' | 'medium' | 'large', Omit<WorkloadParameters, 'seed'>>
export const generateWorkload: (parameters: WorkloadParameters) => GeneratedWorkload
export const writeWorkload: (parameters: WorkloadParameters, out: string, options?: { force?: boolean }) => WorkloadSummary
