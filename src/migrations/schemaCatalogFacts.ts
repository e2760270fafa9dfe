/**
 * The catalog facts the lock classification needs (src/sql/statementLocksFacts.ts), read from
 * the schema a migration starts from and, when describe has one, from the live catalog, which
 * alone knows the names PostgreSQL gave foreign keys and indexes. Pure.
 */
import { type Entity, type Schema, hasJoiningColumn, isColumn } from '../schema/model.js'
import { columnSqlType, foreignKeyColumnType, isView } from '../modifications/sqlShared.js'
import type { DatabaseMetadata } from '../sql/metadata.js'
import type { CatalogFacts, ForeignKeyFacts, TableFacts } from '../sql/statementLocksFacts.js'
import type { ColumnTypeFacts } from '../sql/statementLocksRetype.js'

interface MutableTableFacts {
	readonly columns: Map<string, ColumnTypeFacts>
	readonly foreignKeys: ForeignKeyFacts[]
}

const entityTable = (schema: Schema, entity: Entity, tables: Map<string, MutableTableFacts>): void => {
	const facts: MutableTableFacts = { columns: new Map(), foreignKeys: [] }
	tables.set(entity.tableName, facts)
	for (const field of Object.values(entity.fields)) {
		if (isColumn(field)) {
			facts.columns.set(field.columnName, { type: columnSqlType(schema, field), ...(field.collation !== undefined ? { collation: field.collation } : {}) })
			continue
		}
		const target = schema.model.entities[field.target]
		if (!target) continue
		if (hasJoiningColumn(field)) {
			facts.columns.set(field.joiningColumn.columnName, { type: foreignKeyColumnType(schema, target) })
			if (!isView(target)) facts.foreignKeys.push({ column: field.joiningColumn.columnName, toTable: target.tableName })
		} else if ('joiningTable' in field) {
			const { tableName, joiningColumn, inverseJoiningColumn } = field.joiningTable
			tables.set(tableName, {
				columns: new Map([[joiningColumn.columnName, { type: foreignKeyColumnType(schema, entity) }], [inverseJoiningColumn.columnName, { type: foreignKeyColumnType(schema, target) }]]),
				foreignKeys: [{ column: joiningColumn.columnName, toTable: entity.tableName }, { column: inverseJoiningColumn.columnName, toTable: target.tableName }],
			})
		}
	}
}

/** the tables of `schema` (entity tables and junction tables), built once on first use */
const schemaTables = (schema: Schema): Map<string, MutableTableFacts> => {
	const tables = new Map<string, MutableTableFacts>()
	for (const entity of Object.values(schema.model.entities)) if (!isView(entity)) entityTable(schema, entity, tables)
	return tables
}

/** foreign keys the live catalog names, plus those the schema declares and the catalog does not hold (yet) */
const mergeForeignKeys = (declared: readonly ForeignKeyFacts[], metadata: DatabaseMetadata | undefined, table: string): ForeignKeyFacts[] => {
	const live = (metadata?.live ? metadata.foreignKeysOf(table) : []).map(it => ({ column: it.fromColumn, toTable: it.toTable, name: it.constraintName }))
	return [...live, ...declared.filter(fk => !live.some(it => it.column === fk.column && it.toTable === fk.toTable))]
}

export const schemaCatalogFacts = (schema: Schema, metadata?: DatabaseMetadata): CatalogFacts => {
	let tables: Map<string, MutableTableFacts> | undefined
	const all = () => (tables ??= schemaTables(schema))
	let indexTables: Map<string, string> | undefined
	return {
		table: (name): TableFacts | undefined => {
			const facts = all().get(name)
			const liveForeignKeys = metadata?.live ? metadata.foreignKeysOf(name) : []
			if (!facts && liveForeignKeys.length === 0) return undefined
			return { columns: facts?.columns ?? new Map(), foreignKeys: mergeForeignKeys(facts?.foreignKeys ?? [], metadata, name) }
		},
		tablesUsingDomain: domain => {
			const quoted = `"${domain.replace(/"/g, '""')}"`
			return [...all()].filter(([, facts]) => [...facts.columns.values()].some(it => it.type === quoted || it.type === `${quoted}[]`)).map(([name]) => name)
		},
		domainBaseType: domain => (Object.hasOwn(schema.model.enums, domain) ? 'text' : undefined),
		indexTable: index => {
			if (!metadata?.live) return undefined
			indexTables ??= new Map([...all().keys()].flatMap(table => metadata.indexesOf(table).map(it => [it.indexName, it.tableName] as const)))
			return indexTables.get(index)
		},
	}
}
