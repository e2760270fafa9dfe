/**
 * Folding a list of modifications over a schema: apply, SQL and descriptions. Pure; the SQL of
 * each modification is generated against the schema as the earlier modifications left it.
 */
import { ModificationApplyError, StrataError } from '../errors.js'
import type { Schema } from '../schema/model.js'
import { SqlBuilder } from '../sql/builder.js'
import { type DatabaseMetadata, offlineMetadata } from '../sql/metadata.js'
import { getModificationHandler } from './registry.js'
import { withTransientEntities } from './updaters.js'
import type { Description, Modification } from './types.js'

const dataOf = (modification: Modification): Record<string, unknown> => {
	const { modification: _id, ...data } = modification
	return data
}

/** Raised when a modification cannot be applied; names the modification's index and id. */
export class ModificationFailedError extends StrataError {
	constructor(readonly modificationIndex: number, readonly modificationId: string, readonly reason: string, cause?: unknown) {
		super('MODIFICATION_FAILED', `modification #${modificationIndex} (${modificationId}): ${reason}`, undefined, { cause })
	}
}

const wrap = <T>(index: number, modification: Modification, run: () => T): T => {
	try {
		return run()
	} catch (error) {
		if (error instanceof ModificationApplyError) throw new ModificationFailedError(index, modification.modification, error.message, error)
		throw error
	}
}

export const applyModification = (schema: Schema, modification: Modification, formatVersion: number): Schema =>
	getModificationHandler(modification.modification).apply(schema, dataOf(modification), formatVersion)

export const applyModifications = (schema: Schema, modifications: readonly Modification[], formatVersion: number): Schema =>
	withTransientEntities(() =>
		modifications.reduce((acc, modification, index) => wrap(index, modification, () => applyModification(acc, modification, formatVersion)), schema))

export interface ModificationStep {
	readonly index: number
	readonly modification: Modification
	readonly description: Description
	readonly sql: SqlBuilder
	/** the schema after this step */
	readonly schema: Schema
}

export interface FoldOptions {
	readonly formatVersion: number
	readonly databaseMetadata?: DatabaseMetadata
}

/** a step of a fold: the schema after it is not kept (the fold updates one schema in place) */
export type FoldStep = Omit<ModificationStep, 'schema'>

/**
 * Describes and generates SQL for each modification, advancing the schema step by step.
 * `databaseMetadata` is used for every step; the executor, which must re-read the catalog
 * after DDL, calls `stepModification` itself instead. Folds in a transient session (the
 * entities record is updated in place after its first copy), so the steps do not carry the
 * schema after each of them; the input schema is never changed.
 */
export const foldModifications = (schema: Schema, modifications: readonly Modification[], options: FoldOptions): { steps: FoldStep[]; schema: Schema } =>
	withTransientEntities(() => {
		const createdEntities = new Set<string>()
		const steps: FoldStep[] = []
		let current = schema
		modifications.forEach((modification, index) => {
			const { schema: next, ...step } = stepModification(current, modification, index, { ...options, createdEntities })
			steps.push(step)
			current = next
		})
		return { steps, schema: current }
	})

export const stepModification = (
	schema: Schema,
	modification: Modification,
	index: number,
	options: FoldOptions & { createdEntities: Set<string> },
): ModificationStep =>
	wrap(index, modification, () => {
		const handler = getModificationHandler(modification.modification)
		const data = dataOf(modification)
		const description = handler.describe(data, { schema, createdEntities: options.createdEntities })
		const sql = new SqlBuilder()
		handler.sql(sql, schema, data, { formatVersion: options.formatVersion, databaseMetadata: options.databaseMetadata ?? offlineMetadata })
		const next = handler.apply(schema, data, options.formatVersion)
		if (modification.modification === 'createEntity' || modification.modification === 'createView') {
			const entity = (data as { entity?: { name?: string } }).entity
			if (entity?.name) options.createdEntities.add(entity.name)
		}
		return { index, modification, description, sql, schema: next }
	})
