/**
 * Pure junction tables as many-has-many relations. A table is a pure junction when it has
 * exactly two NOT NULL columns, each with a single-column foreign key to the one-column primary
 * key of a table (of the same type), a primary key (or a unique key) over both, and no other
 * unique key, CHECK or EXCLUDE constraint. Plain indexes on it are allowed and reported (the
 * model cannot declare them).
 *
 * The owning side is on the entity the first column references, named after the second column
 * (`post_tags(post_id, tag_id)` → `Post.tags`); the inverse side on the other entity is named
 * after the first column (`Tag.posts`): the column without `_id`, camelCased, in the plural.
 * When two junctions join the same two entities, `By` + the junction table in PascalCase is
 * appended to both names; a name the entity already has takes a numeric suffix.
 */
import type { ManyHasManyInverseRelation, ManyHasManyOwningRelation } from '../model.js'
import { addField, type Draft } from './draft.js'
import type { LiveForeignKey, LiveTable } from './input.js'
import { byName, camelCase, pascalCase, plural, withoutIdSuffix } from './names.js'

export interface Junction {
	readonly table: LiveTable
	/** the foreign key of the first column (the owning entity), then of the second */
	readonly keys: readonly [LiveForeignKey, LiveForeignKey]
	/** it has a unique key over both columns instead of a primary key */
	readonly uniqueInsteadOfPrimary: boolean
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every(it => b.includes(it))

const referencesAPrimaryKey = (draft: Draft, table: LiveTable, fk: LiveForeignKey): boolean => {
	if (fk.columns.length !== 1 || fk.refSchema !== draft.db.schemaName) return false
	const target = draft.db.tables.find(it => it.name === fk.refTable)
	const key = target?.primaryKey?.columns
	if (!target || target.kind !== 'table' || target.partitionOf !== undefined || key?.length !== 1 || key[0] !== fk.refColumns[0]) return false
	const own = table.columns.find(column => column.name === fk.columns[0])
	const referenced = target.columns.find(column => column.name === key[0])
	return own?.formattedType === referenced?.formattedType
}

const junctionOf = (draft: Draft, table: LiveTable): Junction | undefined => {
	if (table.kind !== 'table' || table.partitionOf !== undefined || table.columns.length !== 2 || table.columns.some(column => !column.notNull)) return undefined
	const names = table.columns.map(column => column.name)
	const keys = draft.db.foreignKeys.filter(fk => fk.table === table.name)
	const [first, second] = names.map(name => keys.find(fk => fk.columns.length === 1 && fk.columns[0] === name))
	if (keys.length !== 2 || !first || !second || !referencesAPrimaryKey(draft, table, first) || !referencesAPrimaryKey(draft, table, second)) return undefined
	if (draft.db.constraints.some(it => it.table === table.name)) return undefined
	const uniques = [
		...draft.db.uniqueConstraints.filter(it => it.tableName === table.name).map(it => it.columnNames),
		...draft.db.indexes.filter(it => it.tableName === table.name && it.unique).map(it => it.definition?.predicate === null && it.definition.keys.every(key => !key.expression) ? it.columnNames : []),
	]
	if (table.primaryKey) {
		if (!sameSet(table.primaryKey.columns, names) || uniques.length > 0) return undefined
		return { table, keys: [first, second], uniqueInsteadOfPrimary: false }
	}
	if (uniques.length !== 1 || !sameSet(uniques[0]!, names)) return undefined
	return { table, keys: [first, second], uniqueInsteadOfPrimary: true }
}

/** finds the pure junction tables and marks them in the draft (they become no entity) */
export const detectJunctions = (draft: Draft): Junction[] => {
	const junctions = draft.db.tables.map(table => junctionOf(draft, table)).filter(it => it !== undefined)
	for (const junction of junctions) draft.junctions.add(junction.table.name)
	return junctions
}

/** adds both sides of each junction's many-has-many relation; reports what the migrations would create differently */
export const addJunctions = (draft: Draft, junctions: readonly Junction[]): void => {
	const pairs = new Map<string, number>()
	const pairOf = (junction: Junction) => [junction.keys[0].refTable, junction.keys[1].refTable].sort().join('\u0000')
	for (const junction of junctions) pairs.set(pairOf(junction), (pairs.get(pairOf(junction)) ?? 0) + 1)
	for (const junction of [...junctions].sort((a, b) => byName(a.table, b.table))) {
		const tableName = junction.table.name
		const [first, second] = junction.keys
		const owner = draft.entities.get(first.refTable)
		const target = draft.entities.get(second.refTable)
		if (!owner || !target) {
			draft.unrepresentable.push({ kind: 'table', name: tableName, table: tableName, reason: `a junction table whose referenced tables are not both entities (${first.refTable}, ${second.refTable})` })
			continue
		}
		const suffix = pairs.get(pairOf(junction))! > 1 ? `By${pascalCase(tableName)}` : ''
		const owningName = owner.fieldNames.take(`${plural(camelCase(withoutIdSuffix(second.columns[0]!)))}${suffix}`)
		const inverseName = target.fieldNames.take(`${plural(camelCase(withoutIdSuffix(first.columns[0]!)))}${suffix}`)
		const owning: ManyHasManyOwningRelation = {
			name: owningName, type: 'ManyHasMany', target: target.name, inversedBy: inverseName,
			joiningTable: {
				tableName,
				joiningColumn: { columnName: first.columns[0]!, onDelete: 'cascade' },
				inverseJoiningColumn: { columnName: second.columns[0]!, onDelete: 'cascade' },
				eventLog: { enabled: true },
			},
		}
		const inverse: ManyHasManyInverseRelation = { name: inverseName, type: 'ManyHasMany', target: owner.name, ownedBy: owningName }
		addField(owner, owning)
		addField(target, inverse)
		for (const fk of junction.keys) {
			if (fk.onDelete !== 'c') draft.unrepresentable.push({ kind: 'foreignKey', name: fk.name, table: tableName, reason: `a junction table's foreign keys always cascade in the model; this one does not, so db:drift reports the difference` })
		}
		if (junction.uniqueInsteadOfPrimary) {
			draft.unrepresentable.push({ kind: 'table', name: tableName, table: tableName, reason: 'a junction table with a unique key over both columns instead of a primary key: the migrations create a primary key, so db:drift reports the difference' })
		}
		for (const index of draft.db.indexes.filter(it => it.tableName === tableName && !it.unique)) {
			draft.unrepresentable.push({ kind: 'index', name: index.indexName, table: tableName, reason: 'an index on a junction table; the model cannot declare it' })
		}
	}
}
