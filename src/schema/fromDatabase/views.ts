/**
 * Views and materialized views as view entities: `view.sql` is the body pg_get_viewdef
 * prints, `dependencies` the entities it reads (from pg_depend; a junction table counts as the
 * entity owning its relation), and each column a nullable column field, `id` being the
 * primary. A view without an `id` column, one reading a table or view that is not an entity,
 * or one reading another schema's relations is reported instead. Relations of a view (which
 * the model allows) cannot be told from its columns, so its joining columns are plain columns.
 */
import { columnField } from './columns.js'
import { addField, newDraftEntity, type Draft } from './draft.js'
import { entityNameAllowed } from './entities.js'
import type { LiveView } from './input.js'
import { byName, camelCase, pascalCase } from './names.js'

/** views in an order where each comes after the views it reads */
const inDependencyOrder = (views: readonly LiveView[]): LiveView[] => {
	const viewsByName = new Map(views.map(view => [view.name, view]))
	const ordered: LiveView[] = []
	const visiting = new Set<string>()
	const visit = (view: LiveView) => {
		if (ordered.includes(view) || visiting.has(view.name)) return
		visiting.add(view.name)
		for (const dependency of view.dependencies) {
			const other = viewsByName.get(dependency)
			if (other) visit(other)
		}
		ordered.push(view)
	}
	for (const view of [...views].sort(byName)) visit(view)
	return ordered
}

/** the entity a view reads through `relation`, or undefined when it reads something that is not one */
const dependencyEntity = (draft: Draft, relation: string): string | undefined => {
	const entity = draft.entities.get(relation)
	if (entity) return entity.name
	if (!draft.junctions.has(relation)) return undefined
	for (const owner of draft.entities.values()) {
		for (const field of owner.fields.values()) {
			if ('joiningTable' in field && field.joiningTable.tableName === relation) return owner.name
		}
	}
	return undefined
}

const whyNotAViewEntity = (draft: Draft, view: LiveView): string | undefined => {
	if (view.foreignDependencies.length > 0) return `it reads ${view.foreignDependencies.join(', ')}, outside the schema`
	const missing = view.dependencies.filter(relation => relation !== view.name && dependencyEntity(draft, relation) === undefined)
	if (missing.length > 0) return `it reads ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not declared, so a database built from the migrations could not create it`
	if (!view.columns.some(column => column.name === 'id')) return 'it has no id column; a view entity\'s primary field is id'
	return undefined
}

export const mapViews = (draft: Draft): void => {
	for (const view of inDependencyOrder(draft.db.views)) {
		const kind = view.materialized ? 'materialized view' : 'view'
		const reason = whyNotAViewEntity(draft, view)
		const primaryColumn = view.columns.find(column => column.name === 'id')
		const primary = reason === undefined ? columnField(draft, view.name, primaryColumn!, 'id', true) : undefined
		if (reason !== undefined || !primary) {
			draft.unrepresentable.push({ kind: 'view', name: view.name, table: view.name, reason: `a ${kind}: ${reason ?? 'its id column cannot be declared'}` })
			continue
		}
		const entity = newDraftEntity(draft.entityNames.take(pascalCase(view.name), entityNameAllowed(draft)), view.name)
		entity.fieldNames.take('id')
		addField(entity, primary, 'id', view.columns.indexOf(primaryColumn!))
		const dependencies = [...new Set(view.dependencies.filter(it => it !== view.name).map(it => dependencyEntity(draft, it)!))]
		entity.view = {
			sql: view.definition.trim().replace(/;\s*$/, ''),
			...(dependencies.length > 0 ? { dependencies } : {}),
			...(view.materialized ? { materialized: true } : {}),
		}
		view.columns.forEach((column, position) => {
			if (column.name === 'id') return
			const field = columnField(draft, view.name, column, entity.fieldNames.take(camelCase(column.name)))
			if (field) addField(entity, field, column.name, position)
		})
		draft.entities.set(view.name, entity)
	}
}
