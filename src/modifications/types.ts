import type { Schema } from '../schema/model.js'
import type { SqlBuilder } from '../sql/builder.js'
import type { DatabaseMetadata } from '../sql/metadata.js'
import type { WarningCode } from './warnings.js'

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

/** the section of docs/modifications.md a modification is listed in */
export const modificationCategories = {
	entities: 'Entities',
	views: 'Views',
	fields: 'Fields',
	enums: 'Enums (PostgreSQL domains over text)',
	constraints: 'Unique constraints and indexes',
	columns: 'Columns',
	relations: 'Relations',
	acl: 'ACL (no SQL)',
	validation: 'Validation rules (no SQL)',
	actions: 'Actions: triggers and targets (no SQL)',
	settings: 'Settings (no SQL)',
	sql: 'strata\'s own: hand-written SQL',
} as const
export type ModificationCategory = keyof typeof modificationCategories

/**
 * What docs/modifications.md says of a modification (scripts/generate-docs.ts renders it with
 * the data schema). Required, so a new module cannot go undocumented.
 */
export interface ModificationDocs<Data> {
	readonly category: ModificationCategory
	/** one or two sentences: what the modification is for */
	readonly summary: string
	/** 'contember': an id of the Contember format; 'strata': strata's extension, which Contember refuses to read */
	readonly origin: 'contember' | 'strata'
	/** whether migrations:diff writes it; false: only hand-written */
	readonly writtenByDiff: boolean
	/** markdown: how it changes the schema, where that is more than the summary says (format versions, errors) */
	readonly apply?: string
	/** markdown: the SQL it emits, or 'none' */
	readonly sql: string
	/** when the step is destructive (strata's classification: it loses data), or false */
	readonly destructive: string | false
	/** the step warnings it may raise (src/modifications/warnings.ts) */
	readonly warnings: readonly WarningCode[]
	/** the data of a typical use, without the `modification` key; a test checks it against dataSchema */
	readonly example: Data
}

/**
 * One modification id = one module holding its data shape, schema update, SQL and description.
 * `Data` excludes the `modification` discriminator.
 */
export interface ModificationHandler<Data = any> {
	readonly id: string
	/** what docs/modifications.md says of it */
	readonly docs: ModificationDocs<Data>
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
