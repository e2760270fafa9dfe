/**
 * JSON Schema (draft-07, ajv) of a whole Contember `Schema`. It checks structure only: shapes,
 * types and allowed keys. Cross-references (targets, inverse sides, enum names, collisions) are
 * the semantic validator's job (validate.ts).
 *
 * The model parts are strict (unknown keys are reported, to catch typos); legacy keys that real
 * histories still carry are allowed: unique/indexes as object maps, `name` on uniques and
 * indexes, `enumName` on enum columns. ACL, validation, actions and settings are checked loosely
 * (objects of objects) because strata never interprets them.
 */
import { columnTypes } from './model.js'

const string = { type: 'string' } as const
const nonEmptyString = { type: 'string', minLength: 1 } as const
const boolean = { type: 'boolean' } as const
const stringArray = { type: 'array', items: string } as const
const eventLog = {
	type: 'object',
	required: ['enabled'],
	properties: { enabled: boolean },
	additionalProperties: false,
} as const
const onDelete = { enum: ['cascade', 'restrict', 'set null'] } as const
const indexMethod = { enum: ['btree', 'gin', 'gist', 'hash', 'brin', 'spgist'] } as const

const orderBy = {
	type: 'array',
	items: {
		type: 'object',
		required: ['path', 'direction'],
		properties: {
			path: { type: 'array', items: nonEmptyString, minItems: 1 },
			// `ascNullFirst` is an old alias of `ascNullsFirst` still found in files
			direction: { enum: ['asc', 'desc', 'ascNullsFirst', 'descNullsLast', 'ascNullFirst'] },
		},
		additionalProperties: false,
	},
} as const

const joiningColumn = {
	type: 'object',
	required: ['columnName', 'onDelete'],
	properties: { columnName: nonEmptyString, onDelete },
	additionalProperties: false,
} as const

const column = {
	type: 'object',
	required: ['name', 'columnName', 'type', 'columnType', 'nullable'],
	properties: {
		name: nonEmptyString,
		columnName: nonEmptyString,
		type: { enum: columnTypes },
		columnType: nonEmptyString,
		nullable: boolean,
		list: boolean,
		typeAlias: string,
		default: {},
		sequence: {
			type: 'object',
			required: ['precedence'],
			properties: {
				precedence: { enum: ['ALWAYS', 'BY DEFAULT'] },
				start: { type: 'integer' },
				restart: boolean,
			},
			additionalProperties: false,
		},
		collation: nonEmptyString,
		schema: {},
		// legacy (2018–2019 files): the enum name, duplicated in columnType
		enumName: nonEmptyString,
	},
	additionalProperties: false,
} as const

const relationBase = { name: nonEmptyString, type: string, target: nonEmptyString } as const

const manyHasOne = {
	type: 'object',
	required: ['name', 'type', 'target', 'joiningColumn', 'nullable'],
	properties: { ...relationBase, joiningColumn, nullable: boolean, inversedBy: nonEmptyString },
	additionalProperties: false,
} as const

const oneHasMany = {
	type: 'object',
	required: ['name', 'type', 'target', 'ownedBy'],
	properties: { ...relationBase, ownedBy: nonEmptyString, orderBy },
	additionalProperties: false,
} as const

const oneHasOneOwning = {
	type: 'object',
	required: ['name', 'type', 'target', 'joiningColumn', 'nullable'],
	properties: { ...relationBase, joiningColumn, nullable: boolean, inversedBy: nonEmptyString, orphanRemoval: { const: true } },
	additionalProperties: false,
} as const

const oneHasOneInverse = {
	type: 'object',
	required: ['name', 'type', 'target', 'ownedBy', 'nullable'],
	properties: { ...relationBase, ownedBy: nonEmptyString, nullable: boolean },
	additionalProperties: false,
} as const

const manyHasManyOwning = {
	type: 'object',
	required: ['name', 'type', 'target', 'joiningTable'],
	properties: {
		...relationBase,
		joiningTable: {
			type: 'object',
			required: ['tableName', 'joiningColumn', 'inverseJoiningColumn'],
			properties: { tableName: nonEmptyString, joiningColumn, inverseJoiningColumn: joiningColumn, eventLog },
			additionalProperties: false,
		},
		inversedBy: nonEmptyString,
		orderBy,
	},
	additionalProperties: false,
} as const

const manyHasManyInverse = {
	type: 'object',
	required: ['name', 'type', 'target', 'ownedBy'],
	properties: { ...relationBase, ownedBy: nonEmptyString, orderBy },
	additionalProperties: false,
} as const

const isType = (...types: readonly string[]) => ({ required: ['type'], properties: { type: { enum: types } } })
const isInverse = { required: ['ownedBy'] }

/**
 * A field is a column or one of the six relation shapes. Dispatching with if/then on `type`
 * (and on `ownedBy` for the two symmetric kinds) gives errors about the right shape instead of
 * a `oneOf` listing every alternative.
 */
const field = {
	type: 'object',
	required: ['name', 'type'],
	properties: { type: { enum: [...columnTypes, 'ManyHasOne', 'OneHasMany', 'OneHasOne', 'ManyHasMany'] } },
	allOf: [
		{ if: isType(...columnTypes), then: column },
		{ if: isType('ManyHasOne'), then: manyHasOne },
		{ if: isType('OneHasMany'), then: oneHasMany },
		{ if: { allOf: [isType('OneHasOne'), isInverse] }, then: oneHasOneInverse },
		{ if: { allOf: [isType('OneHasOne'), { not: isInverse }] }, then: oneHasOneOwning },
		{ if: { allOf: [isType('ManyHasMany'), isInverse] }, then: manyHasManyInverse },
		{ if: { allOf: [isType('ManyHasMany'), { not: isInverse }] }, then: manyHasManyOwning },
	],
} as const

const unique = {
	type: 'object',
	required: ['fields'],
	properties: {
		fields: { type: 'array', items: nonEmptyString, minItems: 1 },
		name: string,
		timing: { enum: ['deferrable', 'deferred'] },
		index: boolean,
		nulls: { enum: ['distinct', 'not distinct'] },
		method: indexMethod,
	},
	additionalProperties: false,
} as const

const index = {
	type: 'object',
	required: ['fields'],
	properties: {
		fields: { type: 'array', items: nonEmptyString, minItems: 1 },
		name: string,
		method: indexMethod,
		opClass: string,
		where: string,
		include: stringArray,
		columnOptions: {
			type: 'object',
			additionalProperties: {
				type: 'object',
				properties: { order: { enum: ['asc', 'desc'] }, nulls: { enum: ['first', 'last'] }, opClass: string },
				additionalProperties: false,
			},
		},
	},
	additionalProperties: false,
} as const

/** array (current) or object map keyed by a legacy constraint name */
const listOrMap = (item: object) => ({ type: ['array', 'object'], items: item, additionalProperties: item })

const entity = {
	type: 'object',
	required: ['name', 'primary', 'primaryColumn', 'tableName', 'fields'],
	properties: {
		name: nonEmptyString,
		primary: nonEmptyString,
		primaryColumn: nonEmptyString,
		tableName: nonEmptyString,
		fields: { type: 'object', additionalProperties: field },
		unique: listOrMap(unique),
		indexes: listOrMap(index),
		eventLog,
		view: {
			type: 'object',
			required: ['sql'],
			properties: { sql: nonEmptyString, dependencies: stringArray, idSource: stringArray, materialized: boolean },
			additionalProperties: false,
		},
		orderBy,
	},
	additionalProperties: false,
} as const

const objectOf = (value: object) => ({ type: 'object', additionalProperties: value })
const anyObject = { type: 'object' } as const

export const schemaJsonSchema = {
	$schema: 'http://json-schema.org/draft-07/schema#',
	title: 'Contember schema',
	type: 'object',
	required: ['model'],
	properties: {
		model: {
			type: 'object',
			required: ['entities'],
			properties: {
				enums: objectOf(stringArray),
				entities: objectOf(entity),
			},
			additionalProperties: false,
		},
		acl: {
			type: 'object',
			required: ['roles'],
			properties: { customPrimary: boolean, roles: objectOf(anyObject) },
		},
		validation: objectOf(objectOf({ type: 'array', items: anyObject })),
		actions: {
			type: 'object',
			properties: { triggers: objectOf(anyObject), targets: objectOf(anyObject) },
			additionalProperties: false,
		},
		settings: anyObject,
	},
	additionalProperties: false,
} as const
