/**
 * Foreign keys as has-one relations. A single-column foreign key from an entity table to the
 * primary key of an entity table, on a column of the same type, becomes
 * - a one-has-one owning relation when the column alone is unique (that unique key is the
 *   relation's own, so it is not declared again), else
 * - a many-has-one relation (Contember indexes its column: that index is the relation's own;
 *   a column without it is reported, since the migrations create one).
 * The field is the column without `_id`, camelCased (`author_id` → `author`); nullability is
 * the column's; ON DELETE CASCADE / SET NULL map as they are, NO ACTION and RESTRICT are
 * `restrict` (created as NO ACTION; db:drift counts a RESTRICT key as the same), SET DEFAULT is reported.
 * Every other foreign key is reported and its column stays a column.
 */
import type { JoiningColumn, ManyHasOneRelation, OnDelete, OneHasOneOwningRelation } from '../model.js'
import { addField, qualified, type Draft, type DraftEntity } from './draft.js'
import type { LiveColumn, LiveForeignKey } from './input.js'
import { relationIndexOn, uniqueKeyOn } from './keyShapes.js'
import { camelCase, withoutIdSuffix } from './names.js'

/** table → joining column → its foreign key */
export type HasOnePlan = Map<string, Map<string, LiveForeignKey>>

const columnOf = (entity: DraftEntity, name: string): LiveColumn | undefined => entity.live?.columns.find(column => column.name === name)

/** why a foreign key of an entity table cannot be a relation, or undefined when it can */
const whyNotARelation = (draft: Draft, fk: LiveForeignKey, source: DraftEntity): string | undefined => {
	if (fk.columns.length !== 1) return `a foreign key over ${fk.columns.length} columns (${fk.columns.join(', ')}); relations have one joining column`
	if (fk.refSchema !== draft.db.schemaName) return `it references ${fk.refSchema}.${fk.refTable}, outside the schema`
	const target = draft.entities.get(fk.refTable)
	if (!target || target.view) return `it references ${fk.refTable}, which is not an entity (see that table)`
	if (fk.refColumns[0] !== target.primaryColumn) return `it references ${fk.refTable}(${fk.refColumns.join(', ')}), not the primary key ${target.primaryColumn}; relations reference the primary key`
	const column = fk.columns[0]!
	if (column === source.primaryColumn) return 'its column is the primary key, which must stay a column'
	const own = columnOf(source, column)
	const referenced = columnOf(target, target.primaryColumn)
	if (!own || !referenced || own.formattedType !== referenced.formattedType) {
		return `its column's type (${own?.formattedType}) differs from the referenced key's (${referenced?.formattedType}); a joining column has the target's key type`
	}
	return undefined
}

/** which foreign keys become has-one relations; the others are reported */
export const planHasOne = (draft: Draft): HasOnePlan => {
	const plan: HasOnePlan = new Map()
	for (const fk of draft.db.foreignKeys) {
		const source = draft.entities.get(fk.table)
		// keys of tables that are not entities go with their table's report (junctions have their own rule)
		if (!source) continue
		const reason = whyNotARelation(draft, fk, source)
			?? (plan.get(fk.table)?.has(fk.columns[0]!) ? `${fk.columns[0]} already has a foreign key that became the relation` : undefined)
		if (reason !== undefined) {
			draft.unrepresentable.push({ kind: 'foreignKey', name: fk.name, table: fk.table, reason: `${qualified(fk.table, fk.columns.join(', '))} → ${fk.refTable}: ${reason}` })
			continue
		}
		const columns = plan.get(fk.table) ?? new Map<string, LiveForeignKey>()
		columns.set(fk.columns[0]!, fk)
		plan.set(fk.table, columns)
	}
	return plan
}

const onDeleteOf = (draft: Draft, fk: LiveForeignKey, nullable: boolean): OnDelete => {
	const report = (reason: string) => draft.unrepresentable.push({ kind: 'foreignKey', name: fk.name, table: fk.table, reason })
	switch (fk.onDelete) {
		case 'c': return 'cascade'
		case 'n':
			if (nullable) return 'set null'
			report(`ON DELETE SET NULL on the NOT NULL column ${fk.columns[0]}: declared as restrict (created as NO ACTION)`)
			return 'restrict'
		case 'r':
			report('ON DELETE RESTRICT is declared as restrict, which strata creates as NO ACTION (checked at the end of the statement, not at once); db:drift counts both as restrict')
			return 'restrict'
		case 'd':
			report('ON DELETE SET DEFAULT has no equivalent in the model: declared as restrict (created as NO ACTION)')
			return 'restrict'
		default: return 'restrict'
	}
}

/** adds the planned relations' owning sides (see inverses.ts for the other side) */
export const addHasOneRelations = (draft: Draft, plan: HasOnePlan): void => {
	for (const entity of draft.entities.values()) {
		const planned = plan.get(entity.table)
		if (!planned || !entity.live) continue
		entity.live.columns.forEach((column, position) => {
			const fk = planned.get(column.name)
			if (!fk) return
			const target = draft.entities.get(fk.refTable)!
			const nullable = !column.notNull
			const joiningColumn: JoiningColumn = { columnName: column.name, onDelete: onDeleteOf(draft, fk, nullable) }
			const name = entity.fieldNames.take(camelCase(withoutIdSuffix(column.name)))
			const unique = uniqueKeyOn(draft, entity.table, [column.name])
			if (unique !== undefined) {
				draft.consumed.add(unique)
				const relation: OneHasOneOwningRelation = { name, type: 'OneHasOne', target: target.name, joiningColumn, nullable }
				addField(entity, relation, column.name, position)
				return
			}
			const index = relationIndexOn(draft, entity.table, column.name)
			if (index !== undefined) draft.consumed.add(index)
			else {
				draft.unrepresentable.push({
					kind: 'relationIndex', name: qualified(entity.table, column.name), table: entity.table,
					reason: `strata's many-has-one relation ${entity.name}.${name} has an index on its column and the database has none: create it (CREATE INDEX ON "${entity.table}" ("${column.name}")) before migrations:baseline, or db:drift reports it missing`,
				})
			}
			const relation: ManyHasOneRelation = { name, type: 'ManyHasOne', target: target.name, joiningColumn, nullable }
			addField(entity, relation, column.name, position)
		})
	}
}
