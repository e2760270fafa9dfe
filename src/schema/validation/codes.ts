/**
 * Problem codes of schema validation, each with the rule it stands for. The codes are stable:
 * tests, `--json` output and users' scripts may depend on them.
 */
export const schemaProblemCodes = {
	INVALID_STRUCTURE: 'the value does not have the shape the Contember schema format requires',
	MODEL_NAME_MISMATCH: 'a map key differs from the `name` inside the value',
	MODEL_INVALID_IDENTIFIER: 'entity, field and enum names must match ^[_a-zA-Z][_a-zA-Z0-9]*$',
	MODEL_RESERVED_NAME: 'the name is reserved (Query, Mutation, or the and/or/not operators)',
	MODEL_NAME_COLLISION: 'two names would produce the same API type (X and XMeta, an enum and an entity)',
	MODEL_INVALID_ENUM_VALUE: 'enum values must be identifiers and must not be and/or/not',
	MODEL_DUPLICATE_ENUM_VALUE: 'an enum lists the same value twice',
	MODEL_EMPTY_ENUM: 'an enum needs at least one value',
	MODEL_UNDEFINED_PRIMARY: 'the primary field is missing or is not a column',
	MODEL_UNDEFINED_ENUM: 'an Enum column names an enum that does not exist',
	MODEL_INVALID_COLUMN_TYPE: 'the SQL column type does not look like a PostgreSQL type',
	MODEL_NULLABLE_SEQUENCE: 'a sequence (identity) column cannot be nullable',
	MODEL_INVALID_COLLATION: 'a collation is only allowed on String columns',
	MODEL_TABLE_NAME_COLLISION: 'two entities or junction tables use the same table name',
	MODEL_COLUMN_NAME_COLLISION: 'two fields of one entity (or both junction columns) use the same column name',
	MODEL_NAME_TOO_LONG: 'a table, column or enum name exceeds PostgreSQL\'s 63-byte identifier limit (it would be silently truncated)',
	RELATION_UNDEFINED_TARGET: 'a relation targets an entity that does not exist',
	RELATION_UNDEFINED_INVERSE: 'inversedBy names a field that does not exist on the target',
	RELATION_UNDEFINED_OWNING: 'ownedBy names a field that does not exist on the target',
	RELATION_SIDES_DISAGREE: 'the owning and inverse sides do not point at each other with matching types',
	RELATION_SET_NULL_NOT_NULLABLE: 'onDelete "set null" needs a nullable relation',
	ORDER_BY_INVALID_PATH: 'an orderBy path does not lead through relations to a column',
	UNIQUE_UNDEFINED_FIELD: 'a unique constraint names a field that does not exist',
	UNIQUE_INVALID_FIELD: 'unique fields must be non-list columns or many-has-one relations',
	UNIQUE_DUPLICATE: 'two unique constraints cover the same fields, or a field is listed twice',
	UNIQUE_INVALID_OPTION: 'nulls/method belong to unique indexes (index: true), timing to constraints',
	INDEX_UNDEFINED_FIELD: 'an index names a field that does not exist',
	INDEX_INVALID_FIELD: 'index fields must be columns, many-has-one or one-has-one owning relations',
	INDEX_INVALID_WHERE: 'an index predicate must be non-empty and contain no `;`',
	INDEX_INVALID_OPCLASS: 'an operator class must be an (optionally schema-qualified) identifier',
	INDEX_INVALID_COLUMN_OPTIONS: 'columnOptions keys must be key fields; order/nulls only for btree',
	INDEX_DUPLICATE: 'two identical indexes (they cannot be told apart when dropped), or a field listed twice',
	INDEX_FIELD_IN_KEY_AND_INCLUDE: 'a field cannot be both an index key and an included column',
	VIEW_UNDEFINED_DEPENDENCY: 'a view depends on an entity that does not exist',
	VIEW_UNIQUE_NOT_INDEX: 'a unique on a materialized view must be a unique index (index: true)',
	VIEW_INVALID_RELATION: 'views cannot own many-has-many; their has-many and inverse one-has-one must target views',
	SQL_UNTERMINATED: 'a view body or index predicate ends inside a quote, quoted identifier, dollar quote or block comment (it would swallow the statements after it)',
	SQL_MULTIPLE_STATEMENTS: 'a view body has a `;` outside quotes and comments before its end: it would run as more than one statement',
	SQL_PSQL_META_COMMAND: 'a view body or index predicate has a backslash outside a quoted string, which psql would run as a meta-command',
} as const

export type SchemaProblemCode = keyof typeof schemaProblemCodes

/**
 * Problem codes of a history that does not replay because a modification conflicts with the
 * schema the earlier ones built. Stable like the schema codes; a migration's `skippedErrors`
 * may name REPLAY_OBJECT_EXISTS (an executed history that relied on Contember's overwrite).
 */
export const replayConflictCodes = {
	REPLAY_OBJECT_EXISTS: 'a modification creates an entity, view, field, enum, unique constraint or index that already exists (Contember would overwrite it; a fresh database fails)',
	REPLAY_OBJECT_MISSING: 'a modification removes or changes an entity, view, field, enum, unique constraint or index that does not exist',
} as const

export type ReplayConflictCode = keyof typeof replayConflictCodes

/** Collects problems; `path` is dotted, e.g. `model.entities.Post.fields.author`. */
export type Report = (path: string, code: SchemaProblemCode, message: string) => void

export const IDENTIFIER = /^[_a-zA-Z][_a-zA-Z0-9]*$/

/** PostgreSQL truncates longer identifiers (NAMEDATALEN - 1), so two long names can become one object */
export const MAX_IDENTIFIER_BYTES = 63

export const checkIdentifierLength = (name: unknown, what: string, path: string, report: Report) => {
	if (typeof name === 'string' && Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) {
		report(path, 'MODEL_NAME_TOO_LONG', `${what} "${name}" is ${Buffer.byteLength(name, 'utf8')} bytes long; PostgreSQL keeps only the first ${MAX_IDENTIFIER_BYTES}`)
	}
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value)
