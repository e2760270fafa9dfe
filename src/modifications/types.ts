import type { Schema } from '../schema/model.js'
import type { SqlBuilder } from '../sql/builder.js'
import type { DatabaseMetadata } from '../sql/metadata.js'

/** A modification as stored in a migration file: `{ "modification": "<id>", ...data }`. */
export interface Modification {
	readonly modification: string
	readonly [key: string]: unknown
}

/** A stable, documented warning (see docs/warnings.md). */
export interface Warning {
	readonly code: string
	readonly message: string
}

export interface Description {
	readonly message: string
	readonly destructive: boolean
	/** why the step loses data; present when `destructive` */
	readonly destructiveReason?: string
	readonly warnings: readonly Warning[]
}

export interface DescribeContext {
	/** schema before this modification */
	readonly schema: Schema
	/** entities created earlier in the same migration (createEntity / createView) */
	readonly createdEntities: ReadonlySet<string>
}

export interface SqlContext {
	readonly formatVersion: number
	/**
	 * The live catalog. Offline it is `offlineMetadata`, which answers every lookup with
	 * "unknown": handlers then emit a comment saying the name is resolved at execution.
	 */
	readonly databaseMetadata: DatabaseMetadata
}

/**
 * One modification id = one module holding its data shape, schema update, SQL and description.
 * `Data` excludes the `modification` discriminator.
 */
export interface ModificationHandler<Data = any> {
	readonly id: string
	/** JSON Schema (draft-07, ajv) of the data, without the `modification` key */
	readonly dataSchema: object
	/** pure and immutable; throws ModificationApplyError when the schema does not fit the data */
	apply(schema: Schema, data: Data, formatVersion: number): Schema
	/** appends statements for `data` applied to `schema` (the schema before this modification) */
	sql(builder: SqlBuilder, schema: Schema, data: Data, context: SqlContext): void
	describe(data: Data, context: DescribeContext): Description
}

/** Helper giving each module a typed handler while the registry stays a plain record. */
export const defineModification = <Data>(handler: ModificationHandler<Data>): ModificationHandler<Data> => handler
