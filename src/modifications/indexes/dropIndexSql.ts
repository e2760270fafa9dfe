/**
 * DROP statements for indexes and unique constraints PostgreSQL named: the schema object's
 * expected definition is matched against the live catalog (src/sql/indexIdentity.ts) and
 * exactly one physical object is dropped. Comments tell a reviewer which one when there was a
 * choice (identical duplicates, a predicate PostgreSQL prints differently) or nothing to drop;
 * objects that differ from each other and could each be the one are an error, never a guess.
 */
import { ModificationApplyError } from '../../errors.js'
import { type Entity, type Index, own, type UniqueConstraintDef, type UniqueIndexDef } from '../../schema/model.js'
import type { SqlBuilder } from '../../sql/builder.js'
import {
	chooseIndexToDrop,
	chooseUniqueConstraintToDrop,
	describeIndexDefinition,
	type DropChoice,
	type ExpectedIndex,
	type ExpectedUniqueConstraint,
	expectedKey,
} from '../../sql/indexIdentity.js'
import type { DatabaseMetadata, IndexMetadata, UniqueConstraintMetadata } from '../../sql/metadata.js'
import { quoteIdentifier } from '../../sql/quote.js'
import { fieldsToColumns } from '../sqlShared.js'

export const expectedIndexOf = (entity: Entity, index: Index): ExpectedIndex => ({
	tableName: entity.tableName,
	keys: index.fields.map(field => {
		const options = own(index.columnOptions, field)
		return expectedKey(fieldsToColumns(entity, [field])[0]!, { ...options, opClass: options?.opClass ?? index.opClass })
	}),
	include: fieldsToColumns(entity, index.include ?? []),
	method: index.method ?? 'btree',
	...(index.where !== undefined ? { where: index.where } : {}),
	unique: false,
	nullsNotDistinct: false,
})

export const expectedUniqueIndexOf = (entity: Entity, unique: UniqueIndexDef): ExpectedIndex => ({
	tableName: entity.tableName,
	keys: fieldsToColumns(entity, unique.fields).map(column => expectedKey(column)),
	include: [],
	method: unique.method ?? 'btree',
	unique: true,
	nullsNotDistinct: unique.nulls === 'not distinct',
})

export const expectedUniqueConstraintOf = (entity: Entity, unique: UniqueConstraintDef): ExpectedUniqueConstraint => ({
	tableName: entity.tableName,
	columns: fieldsToColumns(entity, unique.fields),
	deferrable: unique.timing !== undefined,
	deferred: unique.timing === 'deferred',
})

/** the index Contember gives every many-has-one joining column: `CREATE INDEX ON t (column)` */
export const joiningColumnIndex = (entity: Entity, columns: readonly string[]): ExpectedIndex => ({
	tableName: entity.tableName, keys: columns.map(column => expectedKey(column)), include: [], method: 'btree', unique: false, nullsNotDistinct: false,
})

/** the unique key of a one-has-one joining column: `ADD UNIQUE (column)` */
export const joiningColumnUnique = (entity: Entity, columns: readonly string[]): ExpectedUniqueConstraint => ({
	tableName: entity.tableName, columns, deferrable: false, deferred: false,
})

/** an object's name and its definition as the catalog has it, for comments and errors */
interface Named {
	readonly name: string
	readonly definition: string
}

const namedIndex = (it: IndexMetadata): Named => ({ name: it.indexName, definition: describeIndexDefinition(it.definition, it.columnNames) })
const namedConstraint = (it: UniqueConstraintMetadata): Named => {
	const timing = it.deferred ? ' INITIALLY DEFERRED' : it.deferrable ? ' DEFERRABLE' : ''
	return { name: it.constraintName, definition: `UNIQUE ${describeIndexDefinition(it.definition, it.columnNames)}${timing}` }
}
const full = ({ name, definition }: Named) => `${quoteIdentifier(name)} ${definition}`

/**
 * Emits the drop the choice calls for. `label` reads `index on "t" (a, b)`; `where` is the
 * schema's predicate, quoted in the comment when the catalog prints it differently.
 */
const emitChoice = <T>(
	builder: SqlBuilder, choice: DropChoice<T>, named: (it: T) => Named, label: string, drop: (name: string) => string, where?: string,
): void => {
	if (choice.kind === 'ambiguous') {
		throw new ModificationApplyError(
			`Cannot tell which ${label} to drop: the database has ${choice.candidates.map(it => full(named(it))).join(', ')}, which differ from each other. Drop the right one by hand.`,
		)
	}
	if (choice.kind === 'none') {
		const others = choice.others.map(it => full(named(it)))
		builder.comment(`no ${label} with this definition exists in the database; nothing to drop${others.length > 0 ? ` (kept, as they differ: ${others.join(', ')})` : ''}`)
		return
	}
	const target = named(choice.target)
	if (choice.kept.length > 0) {
		const kept = choice.kept.map(it => quoteIdentifier(named(it).name)).join(', ')
		builder.comment(`${quoteIdentifier(target.name)} and ${kept} are identical, both ${target.definition}: the newest, ${quoteIdentifier(target.name)}, is dropped and ${kept} kept`)
	} else if (choice.verdict === 'unsure') {
		builder.comment(`${full(target)} is the only ${label} that fits; its predicate is taken to be the schema's (${where ?? ''})`)
	}
	builder.statement(drop(target.name))
}

/** drops the one index of the catalog that has the expected definition */
export const dropIndexSql = (builder: SqlBuilder, metadata: DatabaseMetadata, expected: ExpectedIndex, label: string): void =>
	emitChoice(builder, chooseIndexToDrop(metadata.indexesOf(expected.tableName), expected), namedIndex, label, name => `DROP INDEX ${quoteIdentifier(name)}`, expected.where)

/** drops the one unique constraint of the catalog that has the expected definition */
export const dropUniqueConstraintSql = (builder: SqlBuilder, metadata: DatabaseMetadata, expected: ExpectedUniqueConstraint, label: string): void =>
	emitChoice(builder, chooseUniqueConstraintToDrop(metadata.uniqueConstraintsOf(expected.tableName), expected), namedConstraint, label,
		name => `ALTER TABLE ${quoteIdentifier(expected.tableName)} DROP CONSTRAINT ${quoteIdentifier(name)}`)
