/**
 * Contember 2.0.x compatibility of a generated migration. strata writes every modification in
 * the shape both Contember 2.0.x (the release line on npm) and the newer line read. Some
 * declared features exist only in the newer line: 2.0.x reads such a file but its SQL lacks the
 * feature (or fails). The file still says what the feature needs; each such step gets a warning
 * (code S012) so a team that also runs Contember knows which version the file requires.
 * Pure: a walk over the modifications, with the schema they start from for what is removed.
 */
import type { Modification } from '../modifications/types.js'
import { warning, WarningCode } from '../modifications/warnings.js'
import type { Column, Entity, Index, Schema, UniqueConstraint } from '../schema/model.js'
import { isColumn, isUniqueIndex, own } from '../schema/model.js'

export interface CompatibilityWarning {
	/** position of the step in the migration */
	readonly index: number
	readonly modification: string
	readonly code: string
	readonly message: string
}

/** what Contember 2.0.x does with the feature instead */
const lacks = {
	list: 'list columns (2.0.x creates a scalar column: it drops the [])',
	collation: 'collations (2.0.x leaves a changed collation out of the SQL)',
	method: 'index methods (2.0.x always builds a btree index)',
	opClass: 'operator classes (2.0.x ignores them)',
	where: 'partial indexes (2.0.x ignores the where predicate and builds a full index)',
	include: 'covering indexes (2.0.x ignores include)',
	columnOptions: 'per-column index options (2.0.x ignores order, nulls and opClass per column)',
	uniqueIndex: 'unique indexes (2.0.x adds or drops a unique constraint instead)',
	nullsNotDistinct: 'nulls not distinct (2.0.x ignores it)',
	enumInList: 'enums used by list columns (2.0.x cannot change the domain such a column uses)',
	materializedDrop: 'a materialized view dropped (2.0.x drops it with DROP VIEW, which PostgreSQL refuses)',
} as const

type Feature = keyof typeof lacks

const columnFeatures = (column: Partial<Column>, before: Partial<Column> | undefined): Feature[] => [
	...(column.list === true && before?.list !== true ? ['list' as const] : []),
	...(column.collation !== undefined && column.collation !== before?.collation ? ['collation' as const] : []),
]

const indexFeatures = (index: Partial<Index>): Feature[] =>
	(['method', 'opClass', 'where', 'include', 'columnOptions'] as const).filter(key => index[key] !== undefined)

const uniqueFeatures = (unique: UniqueConstraint | undefined): Feature[] => {
	if (!unique || !isUniqueIndex(unique)) return []
	return ['uniqueIndex', ...(unique.method !== undefined ? ['method' as const] : []), ...(unique.nulls === 'not distinct' ? ['nullsNotDistinct' as const] : [])]
}

const columnOf = (entity: Entity | undefined, fieldName: unknown): Column | undefined => {
	const field = entity && typeof fieldName === 'string' ? own(entity.fields, fieldName) : undefined
	return field && isColumn(field) ? field : undefined
}

const usedByListColumn = (schema: Schema, enumName: unknown): boolean =>
	Object.values(schema.model.entities).some(entity =>
		Object.values(entity.fields).some(field => isColumn(field) && field.type === 'Enum' && field.columnType === enumName && field.list === true))

const sameFields = (a: readonly string[], b: unknown) => Array.isArray(b) && a.length === b.length && a.every((it, i) => it === b[i])

/** the features of one step that Contember 2.0.x lacks; `base` is the schema before the migration */
const featuresOf = (step: Modification, base: Schema, declared: Schema): Feature[] => {
	const entity = typeof step.entityName === 'string' ? own(base.model.entities, step.entityName) : undefined
	switch (step.modification) {
		case 'createColumn':
			return columnFeatures(step.field as Column, undefined)
		case 'updateColumnDefinition':
			return columnFeatures(step.definition as Column, columnOf(entity, step.fieldName))
		case 'createIndex':
			return indexFeatures(step.index as Index)
		case 'removeIndex':
			return indexFeatures(step as Partial<Index>)
		case 'createUniqueConstraint':
			return uniqueFeatures(step.unique as UniqueConstraint)
		case 'removeUniqueConstraint':
			return uniqueFeatures(entity?.unique.find(it => sameFields(it.fields, step.fields)))
		case 'removeEntity':
			return entity?.view?.materialized === true ? ['materializedDrop'] : []
		case 'updateEnum':
			return usedByListColumn(declared, step.enumName) ? ['enumInList'] : []
		default:
			return []
	}
}

const where = (step: Modification): string => {
	const entity = typeof step.entityName === 'string' ? step.entityName : undefined
	const field = typeof step.fieldName === 'string' ? step.fieldName : (step.field as { name?: string } | undefined)?.name
	if (entity) return field ? `${entity}.${field}` : entity
	return typeof step.enumName === 'string' ? `enum ${step.enumName}` : step.modification
}

/**
 * One warning per step and feature. `base` is the schema the modifications start from (after
 * confirmed renames), `declared` the schema they lead to.
 */
export const contember20Warnings = (modifications: readonly Modification[], base: Schema, declared: Schema): CompatibilityWarning[] =>
	modifications.flatMap((step, index) =>
		featuresOf(step, base, declared).map(feature => ({
			index,
			modification: step.modification,
			...warning(WarningCode.newerThanContember20, `${where(step)} uses ${lacks[feature]}; applying this file needs strata or Contember newer than 2.0.x`),
		})))
