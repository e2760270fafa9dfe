/** View dependency bookkeeping shared by the view differs. */
import type { Column, Entity, Schema } from '../schema/model.js'
import { hasJoiningColumn, isColumn, own } from '../schema/model.js'
import { omit, same } from './helpers.js'

/** entity name → names of the views that declare it in `view.dependencies` */
export const dependantsOf = (schema: Schema): Map<string, string[]> => {
	const out = new Map<string, string[]>()
	for (const entity of Object.values(schema.model.entities)) {
		for (const dependency of entity.view?.dependencies ?? []) {
			const list = out.get(dependency)
			if (list) list.push(entity.name)
			else out.set(dependency, [entity.name])
		}
	}
	return out
}

/**
 * equal apart from `view` itself (and uniques/indexes, which have their own differs): only
 * then can a view be replaced in place
 */
export const sameExceptView = (a: Entity, b: Entity): boolean => same(a, b, ['view', 'unique', 'indexes'])

/** a column of `before` is redefined in `after` (the same test the updateColumnDefinition differ uses) */
export const hasChangedColumnDefinition = (before: Entity, after: Entity): boolean =>
	Object.values(after.fields).some(field => {
		const old = own(before.fields, field.name)
		return old !== undefined && isColumn(old) && isColumn(field) && !sameColumnDefinition(old, field)
	})

/**
 * strata: a column (or joining column) of `before` disappears or stops being a column, which
 * PostgreSQL refuses too while a view reads the table (DROP COLUMN without CASCADE, 2BP01)
 */
export const dropsColumn = (before: Entity, after: Entity): boolean =>
	Object.values(before.fields).some(field => {
		if (!isColumn(field) && !hasJoiningColumn(field)) return false
		const next = own(after.fields, field.name)
		return next === undefined || isColumn(next) !== isColumn(field)
	})

export const sameColumnDefinition = (a: Column, b: Column): boolean => same(a, b, ['name', 'columnName'])

export const columnDefinition = <T extends { name: string; columnName: string }>(column: T): Omit<T, 'name' | 'columnName'> =>
	omit(column, 'name', 'columnName')
