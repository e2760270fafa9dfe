/**
 * The shapes of unique keys and indexes the relations account for: a one-has-one joining
 * column is unique (a unique constraint, or a full unique index, on that column alone), and a
 * many-has-one joining column has Contember's index, a plain ascending btree on it alone.
 */
import type { IndexDefinition, IndexMetadata } from '../../sql/metadata.js'
import type { Draft } from './draft.js'

/** keys are columns, ascending, NULLS LAST, default operator classes; no predicate, no INCLUDE */
export const isPlainDefinition = (definition: IndexDefinition | undefined): boolean =>
	definition !== undefined && definition.predicate === null && definition.include.length === 0
	&& definition.keys.every(key => !key.expression && key.defaultOpClass && !key.descending && !key.nullsFirst)

const sameColumns = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every(column => b.includes(column))

const isFullUniqueIndex = (index: IndexMetadata) => index.unique && index.definition !== undefined && index.definition.predicate === null
	&& index.definition.keys.every(key => !key.expression)

/** the unique constraint or full unique index over exactly `columns`, not yet accounted for */
export const uniqueKeyOn = (draft: Draft, table: string, columns: readonly string[]): string | undefined =>
	draft.db.uniqueConstraints.find(it => it.tableName === table && sameColumns(it.columnNames, columns) && !draft.consumed.has(it.constraintName))?.constraintName
	?? draft.db.indexes.find(it => it.tableName === table && isFullUniqueIndex(it) && sameColumns(it.columnNames, columns) && !draft.consumed.has(it.indexName))?.indexName

/** the index Contember gives a many-has-one joining column, when the table has one not yet accounted for */
export const relationIndexOn = (draft: Draft, table: string, column: string): string | undefined =>
	draft.db.indexes.find(it => it.tableName === table && !it.unique && it.definition?.method === 'btree' && isPlainDefinition(it.definition)
		&& it.columnNames.length === 1 && it.columnNames[0] === column && !draft.consumed.has(it.indexName))?.indexName
