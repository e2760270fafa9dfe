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

/** an entity's own table: its columns (joining columns typed as the target's primary key) and foreign keys */
const entityTableFacts = (schema: Schema, entity: Entity): MutableTableFacts => {
	const facts: MutableTableFacts = { columns: new Map(), foreignKeys: [] }
	for (const field of Object.values(entity.fields)) {
		if (isColumn(field)) {
			facts.columns.set(field.columnName, { type: columnSqlType(schema, field), ...(field.collation !== undefined ? { collation: field.collation } : {}) })
			continue
		}
		const target = schema.model.entities[field.target]
		if (!target || !hasJoiningColumn(field)) continue
		facts.columns.set(field.joiningColumn.columnName, { type: foreignKeyColumnType(schema, target) })
		if (!isView(target)) facts.foreignKeys.push({ column: field.joiningColumn.columnName, toTable: target.tableName })
	}
	return facts
}

/** the junction tables of many-has-many relations, by table name */
const junctionTables = (schema: Schema): Map<string, MutableTableFacts> => {
	const tables = new Map<string, MutableTableFacts>()
	for (const entity of Object.values(schema.model.entities)) {
		if (isView(entity)) continue
		for (const field of Object.values(entity.fields)) {
			if (!('joiningTable' in field)) continue
			const target = schema.model.entities[field.target]
			if (!target) continue
			const { tableName, joiningColumn, inverseJoiningColumn } = field.joiningTable
			tables.set(tableName, {
				columns: new Map([[joiningColumn.columnName, { type: foreignKeyColumnType(schema, entity) }], [inverseJoiningColumn.columnName, { type: foreignKeyColumnType(schema, target) }]]),
				foreignKeys: [{ column: joiningColumn.columnName, toTable: entity.tableName }, { column: inverseJoiningColumn.columnName, toTable: target.tableName }],
			})
		}
	}
	return tables
}

/**
 * The tables of `schema`, each worked out on first use: describe classifies every migration of
 * a history, and most of them never ask (a migration that only adds asks about nothing).
 */
const schemaTables = (schema: Schema) => {
	let entityTables: Map<string, Entity> | undefined
	let junctions: Map<string, MutableTableFacts> | undefined
	const computed = new Map<string, MutableTableFacts | undefined>()
	const lookup = (name: string): MutableTableFacts | undefined => {
		entityTables ??= new Map(Object.values(schema.model.entities).filter(it => !isView(it)).map(it => [it.tableName, it]))
		const entity = entityTables.get(name)
		if (entity) return entityTableFacts(schema, entity)
		return (junctions ??= junctionTables(schema)).get(name)
	}
	return {
		get: (name: string): MutableTableFacts | undefined => {
			if (!computed.has(name)) computed.set(name, lookup(name))
			return computed.get(name)
		},
		/** every table name (for the domain and index lookups, which must look at all of them) */
		names: (): string[] => {
			entityTables ??= new Map(Object.values(schema.model.entities).filter(it => !isView(it)).map(it => [it.tableName, it]))
			return [...entityTables.keys(), ...(junctions ??= junctionTables(schema)).keys()]
		},
	}
}

/** foreign keys the live catalog names, plus those the schema declares and the catalog does not hold (yet) */
const mergeForeignKeys = (declared: readonly ForeignKeyFacts[], metadata: DatabaseMetadata | undefined, table: string): ForeignKeyFacts[] => {
	const live = (metadata?.live ? metadata.foreignKeysOf(table) : []).map(it => ({ column: it.fromColumn, toTable: it.toTable, name: it.constraintName }))
	return [...live, ...declared.filter(fk => !live.some(it => it.column === fk.column && it.toTable === fk.toTable))]
}

export const schemaCatalogFacts = (schema: Schema, metadata?: DatabaseMetadata): CatalogFacts => {
	const tables = schemaTables(schema)
	let indexTables: Map<string, string> | undefined
	return {
		table: (name): TableFacts | undefined => {
			const facts = tables.get(name)
			const liveForeignKeys = metadata?.live ? metadata.foreignKeysOf(name) : []
			if (!facts && liveForeignKeys.length === 0) return undefined
			return { columns: facts?.columns ?? new Map(), foreignKeys: mergeForeignKeys(facts?.foreignKeys ?? [], metadata, name) }
		},
		tablesUsingDomain: domain => {
			const quoted = `"${domain.replace(/"/g, '""')}"`
			return tables.names().filter(name => [...tables.get(name)!.columns.values()].some(it => it.type === quoted || it.type === `${quoted}[]`))
		},
		domainBaseType: domain => (Object.hasOwn(schema.model.enums, domain) ? 'text' : undefined),
		indexTable: index => {
			if (!metadata?.live) return undefined
			indexTables ??= new Map(tables.names().flatMap(table => metadata.indexesOf(table).map(it => [it.indexName, it.tableName] as const)))
			return indexTables.get(index)
		},
	}
}
