/**
 * JSON Schema (draft-07) fragments for the model shapes that modification data carries:
 * columns, relations, entities, unique constraints, indexes, order-by. Shared by every
 * modification module's `dataSchema` (group B imports them too).
 *
 * Strictness follows what Contember accepts from real files: required keys and value types are
 * enforced; unknown keys are rejected inside the model shapes (a typo such as `nulable` must not
 * slip through), except where Contember keeps arbitrary JSON (column `default` / `schema`).
 */

const str = { type: 'string' } as const
const nonEmpty = { type: 'string', minLength: 1 } as const
const bool = { type: 'boolean' } as const
const stringArray = { type: 'array', items: nonEmpty } as const

export const columnTypeSchema = {
	type: 'string',
	enum: ['Uuid', 'String', 'Integer', 'Double', 'Numeric', 'Bool', 'DateTime', 'Date', 'Time', 'Json', 'Enum'],
} as const

export const orderDirectionSchema = { type: 'string', enum: ['asc', 'desc', 'ascNullsFirst', 'descNullsLast', 'ascNullFirst'] } as const

export const orderBySchema = {
	type: 'array',
	items: {
		type: 'object',
		required: ['path', 'direction'],
		properties: { path: { type: 'array', items: nonEmpty, minItems: 1 }, direction: orderDirectionSchema },
		additionalProperties: false,
	},
} as const

export const sequenceSchema = {
	type: 'object',
	required: ['precedence'],
	properties: {
		precedence: { type: 'string', enum: ['ALWAYS', 'BY DEFAULT'] },
		start: { type: 'integer' },
		restart: bool,
	},
	additionalProperties: false,
} as const

/** column properties except the names (shared with updateColumnDefinition.definition) */
export const columnDefinitionProperties = {
	type: columnTypeSchema,
	columnType: nonEmpty,
	nullable: bool,
	list: bool,
	typeAlias: str,
	default: {},
	sequence: sequenceSchema,
	collation: nonEmpty,
	schema: {},
} as const

export const columnSchema = {
	type: 'object',
	required: ['name', 'columnName', 'type', 'columnType', 'nullable'],
	properties: { name: nonEmpty, columnName: nonEmpty, ...columnDefinitionProperties },
	additionalProperties: false,
} as const

export const onDeleteSchema = { type: 'string', enum: ['cascade', 'restrict', 'set null'] } as const

export const joiningColumnSchema = {
	type: 'object',
	required: ['columnName', 'onDelete'],
	properties: { columnName: nonEmpty, onDelete: onDeleteSchema },
	additionalProperties: false,
} as const

export const eventLogSchema = {
	type: 'object',
	required: ['enabled'],
	properties: { enabled: bool },
	additionalProperties: false,
} as const

export const joiningTableSchema = {
	type: 'object',
	required: ['tableName', 'joiningColumn', 'inverseJoiningColumn'],
	properties: {
		tableName: nonEmpty,
		joiningColumn: joiningColumnSchema,
		inverseJoiningColumn: joiningColumnSchema,
		eventLog: eventLogSchema,
	},
	additionalProperties: false,
} as const

const relationBase = {
	name: nonEmpty,
	target: nonEmpty,
} as const

/** any relation; the `type` decides which keys are required */
export const relationSchema = {
	type: 'object',
	required: ['name', 'type', 'target'],
	properties: {
		...relationBase,
		type: { type: 'string', enum: ['OneHasOne', 'OneHasMany', 'ManyHasOne', 'ManyHasMany'] },
		joiningColumn: joiningColumnSchema,
		joiningTable: joiningTableSchema,
		nullable: bool,
		inversedBy: nonEmpty,
		ownedBy: nonEmpty,
		orderBy: orderBySchema,
		orphanRemoval: bool,
	},
	additionalProperties: false,
	allOf: [
		{ if: { properties: { type: { const: 'ManyHasOne' } } }, then: { required: ['joiningColumn'] } },
		{ if: { properties: { type: { const: 'OneHasMany' } } }, then: { required: ['ownedBy'] } },
		{
			if: { properties: { type: { const: 'ManyHasMany' } } },
			then: { oneOf: [{ required: ['joiningTable'] }, { required: ['ownedBy'] }] },
		},
		{
			if: { properties: { type: { const: 'OneHasOne' } } },
			then: { oneOf: [{ required: ['joiningColumn'] }, { required: ['ownedBy'] }] },
		},
	],
} as const

export const fieldSchema = {
	if: { type: 'object', required: ['target'] },
	then: relationSchema,
	else: columnSchema,
} as const

export const indexMethodSchema = { type: 'string', enum: ['btree', 'gin', 'gist', 'hash', 'brin', 'spgist'] } as const

export const uniqueSchema = {
	type: 'object',
	required: ['fields'],
	properties: {
		fields: { ...stringArray, minItems: 1 },
		name: str,
		timing: { type: 'string', enum: ['deferrable', 'deferred'] },
		index: bool,
		nulls: { type: 'string', enum: ['distinct', 'not distinct'] },
		method: indexMethodSchema,
	},
	additionalProperties: false,
} as const

export const columnOptionsSchema = {
	type: 'object',
	additionalProperties: {
		type: 'object',
		properties: {
			order: { type: 'string', enum: ['asc', 'desc'] },
			nulls: { type: 'string', enum: ['first', 'last'] },
			opClass: nonEmpty,
		},
		additionalProperties: false,
	},
} as const

/** the identity properties of an index (everything but `fields` and `name`) */
export const indexIdentityProperties = {
	method: indexMethodSchema,
	opClass: nonEmpty,
	where: nonEmpty,
	include: stringArray,
	columnOptions: columnOptionsSchema,
} as const

export const indexSchema = {
	type: 'object',
	required: ['fields'],
	properties: { fields: { ...stringArray, minItems: 1 }, name: str, ...indexIdentityProperties },
	additionalProperties: false,
} as const

/** legacy files hold `unique`/`indexes` as objects keyed by constraint name */
const listOrLegacyMap = (item: object) => ({
	anyOf: [{ type: 'array', items: item }, { type: 'object', additionalProperties: item }],
})

export const viewSchema = {
	type: 'object',
	required: ['sql'],
	properties: {
		sql: nonEmpty,
		dependencies: stringArray,
		idSource: stringArray,
		materialized: bool,
	},
	additionalProperties: false,
} as const

export const entitySchema = {
	type: 'object',
	required: ['name', 'primary', 'primaryColumn', 'tableName', 'fields'],
	properties: {
		name: nonEmpty,
		primary: nonEmpty,
		primaryColumn: nonEmpty,
		tableName: nonEmpty,
		fields: { type: 'object', additionalProperties: fieldSchema },
		unique: listOrLegacyMap(uniqueSchema),
		indexes: listOrLegacyMap(indexSchema),
		eventLog: eventLogSchema,
		view: viewSchema,
		orderBy: orderBySchema,
	},
	additionalProperties: false,
} as const

/** `{ entityName }` plus extra required string keys, nothing else */
export const entityNameData = (extra: Record<string, object> = {}, required: string[] = []) => ({
	type: 'object',
	required: ['entityName', ...required],
	properties: { entityName: nonEmpty, ...extra },
	additionalProperties: false,
})

export const jsonSchemaString = nonEmpty
