/**
 * Contember's naming conventions. The definition DSL uses them to derive table,
 * column and junction names; migration data always carries the resolved names, so nothing in
 * the migration engine recomputes them.
 */

type Named = string | { readonly name: string }

const nameOf = (value: Named): string => (typeof value === 'string' ? value : value.name)

/**
 * Every run of consecutive upper-case ASCII letters becomes `_` + the run lower-cased, then a
 * leading `_` is dropped: `SiteSetting` → `site_setting`, `URLPath` → `urlpath`,
 * `address2Line` → `address2_line`. Digits and lower case are untouched.
 */
export const snakeCase = (name: string): string =>
	name.replace(/[A-Z]+/g, run => `_${run.toLowerCase()}`).replace(/^_/, '')

/** Table of an entity: snake(entity name). */
export const defaultTableName = (entity: Named): string => snakeCase(nameOf(entity))

/** Column of a column field: snake(field name). */
export const defaultColumnName = (field: Named): string => snakeCase(nameOf(field))

/** Joining column of a many-has-one / one-has-one owning relation: snake(relation) + `_id`. */
export const joiningColumnName = (relation: Named): string => `${snakeCase(nameOf(relation))}_id`

/** Junction table of a many-has-many owning relation: snake(owning entity) + `_` + snake(relation). */
export const junctionTableName = (owningEntity: Named, relation: Named): string =>
	`${snakeCase(nameOf(owningEntity))}_${snakeCase(nameOf(relation))}`

export interface JunctionColumnNames {
	/** references the owning entity */
	readonly joiningColumn: string
	/** references the target entity */
	readonly inverseJoiningColumn: string
}

/**
 * Junction columns: snake(owning) + `_id` and snake(target) + `_id`. A self-referencing
 * relation would give the same name twice, so its second column is snake(relation) + `_id`.
 */
export const junctionColumnNames = (owningEntity: Named, targetEntity: Named, relation: Named): JunctionColumnNames => {
	const owning = nameOf(owningEntity)
	const target = nameOf(targetEntity)
	return {
		joiningColumn: `${snakeCase(owning)}_id`,
		inverseJoiningColumn: owning === target ? joiningColumnName(relation) : `${snakeCase(target)}_id`,
	}
}

/** Name of an enum not registered under its own name: entity + capitalised field (`PostStatus`). */
export const defaultEnumName = (entity: Named, field: Named): string => {
	const fieldName = nameOf(field)
	return `${nameOf(entity)}${fieldName.charAt(0).toUpperCase()}${fieldName.slice(1)}`
}
