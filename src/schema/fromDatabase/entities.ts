/**
 * Tables as entities. A table becomes an entity when it has a primary key over one column,
 * which becomes the entity's primary field (whatever its name and type). Partitioned tables,
 * partitions and tables without such a key are reported instead (pure junction tables are
 * relations, see junctions.ts). Entity names follow names.ts; a name the model reserves
 * (Query, Mutation), an enum's name or a `…Meta` clash takes the next numeric suffix.
 */
import { columnField } from './columns.js'
import { addField, newDraftEntity, type Draft } from './draft.js'
import type { LiveTable } from './input.js'
import { byName, camelCase, pascalCase } from './names.js'

const RESERVED = new Set(['Query', 'Mutation'])

/** whether `name` may be an entity beside the ones named so far (validation's collision rules) */
export const entityNameAllowed = (draft: Draft) => (name: string): boolean =>
	!RESERVED.has(name) && !(name in draft.enums)
	&& !draft.entityNames.has(`${name}Meta`) && !(name.endsWith('Meta') && draft.entityNames.has(name.slice(0, -4)))

const whyNotAnEntity = (table: LiveTable): string | undefined => {
	if (table.partitionOf !== undefined) return `a partition of ${table.partitionOf}; the model has no partitioning`
	if (table.kind === 'partitioned') return 'a partitioned table; the model has no partitioning'
	if (!table.primaryKey) return 'it has no primary key; an entity needs a primary key over one column'
	if (table.primaryKey.columns.length !== 1) return `its primary key is over ${table.primaryKey.columns.length} columns (${table.primaryKey.columns.join(', ')}); an entity needs a primary key over one column`
	return undefined
}

/** an entity with its primary field for each table that can be one (junction tables excepted) */
export const mapTables = (draft: Draft): void => {
	for (const table of [...draft.db.tables].sort(byName)) {
		if (draft.junctions.has(table.name)) continue
		const reason = whyNotAnEntity(table)
		if (reason !== undefined) {
			draft.unrepresentable.push({ kind: 'table', name: table.name, table: table.name, reason })
			continue
		}
		const primaryColumn = table.columns.find(column => column.name === table.primaryKey!.columns[0])!
		const primaryName = camelCase(primaryColumn.name)
		const primary = columnField(draft, table.name, primaryColumn, primaryName, true)
		if (!primary) {
			draft.unrepresentable.push({ kind: 'table', name: table.name, table: table.name, reason: `its primary key column ${primaryColumn.name} cannot be declared (see that column)` })
			continue
		}
		const entity = newDraftEntity(draft.entityNames.take(pascalCase(table.name), entityNameAllowed(draft)), table.name, table)
		entity.fieldNames.take(primaryName)
		entity.primary = primaryName
		entity.primaryColumn = primaryColumn.name
		addField(entity, primary, primaryColumn.name, table.columns.indexOf(primaryColumn))
		draft.entities.set(table.name, entity)
	}
}

/**
 * The other columns of each entity table as column fields, except the joining columns of
 * relations (`isJoining`); named before the relations, so a column keeps its name and a
 * relation takes the suffix when they clash.
 */
export const mapColumns = (draft: Draft, isJoining: (table: string, column: string) => boolean): void => {
	for (const entity of draft.entities.values()) {
		if (!entity.live) continue
		entity.live.columns.forEach((column, position) => {
			if (entity.fieldOfColumn.has(column.name) || isJoining(entity.table, column.name)) return
			const field = columnField(draft, entity.table, column, entity.fieldNames.take(camelCase(column.name)))
			if (field) addField(entity, field, column.name, position)
		})
	}
}
