/**
 * Relation rules: the target exists, and the owning and inverse sides point at each other with
 * paired types (ManyHasOne↔OneHasMany, OneHasOne↔OneHasOne, ManyHasMany↔ManyHasMany).
 */
import type { Entity, Field, Model, OrderBy, Relation, RelationType } from '../model.js'
import { isColumn, isInverseRelation, isOwningRelation, isRelation } from '../model.js'
import { type Report, isObject } from './codes.js'
import { own } from '../model.js'

const inverseTypeOf: Record<RelationType, RelationType> = {
	ManyHasOne: 'OneHasMany',
	OneHasMany: 'ManyHasOne',
	OneHasOne: 'OneHasOne',
	ManyHasMany: 'ManyHasMany',
}

const fieldOf = (entity: unknown, name: string): Field | undefined => {
	if (!isObject(entity) || !isObject(entity.fields)) return undefined
	const field = own(entity.fields, name)
	return isObject(field) ? (field as unknown as Field) : undefined
}

const validateOwningSide = (relation: Relation, entityName: string, target: Entity, path: string, report: Report) => {
	if (!isOwningRelation(relation) || relation.inversedBy === undefined) return
	const inverse = fieldOf(target, relation.inversedBy)
	const where = `${relation.target}.${relation.inversedBy}`
	if (!inverse) {
		report(`${path}.inversedBy`, 'RELATION_UNDEFINED_INVERSE', `inverse side ${where} does not exist`)
		return
	}
	const expected = inverseTypeOf[relation.type]
	if (!isRelation(inverse) || !isInverseRelation(inverse) || inverse.type !== expected) {
		report(`${path}.inversedBy`, 'RELATION_SIDES_DISAGREE', `${where} must be an inverse ${expected} relation`)
	} else if (inverse.target !== entityName) {
		report(`${path}.inversedBy`, 'RELATION_SIDES_DISAGREE', `${where} targets ${inverse.target}, not ${entityName}`)
	} else if (inverse.ownedBy !== relation.name) {
		report(`${path}.inversedBy`, 'RELATION_SIDES_DISAGREE', `${where} is owned by ${inverse.ownedBy}, not by ${relation.name}`)
	}
}

const validateInverseSide = (relation: Relation, entityName: string, target: Entity, path: string, report: Report) => {
	if (!isInverseRelation(relation)) return
	const owning = fieldOf(target, relation.ownedBy)
	const where = `${relation.target}.${relation.ownedBy}`
	if (!owning) {
		report(`${path}.ownedBy`, 'RELATION_UNDEFINED_OWNING', `owning side ${where} does not exist`)
		return
	}
	const expected = inverseTypeOf[relation.type]
	if (!isRelation(owning) || !isOwningRelation(owning) || owning.type !== expected) {
		report(`${path}.ownedBy`, 'RELATION_SIDES_DISAGREE', `${where} must be an owning ${expected} relation`)
	} else if (owning.target !== entityName) {
		report(`${path}.ownedBy`, 'RELATION_SIDES_DISAGREE', `${where} targets ${owning.target}, not ${entityName}`)
	} else if (owning.inversedBy !== relation.name) {
		const actual = owning.inversedBy === undefined ? 'declares no inverse side' : `is inversed by ${owning.inversedBy}`
		report(`${path}.ownedBy`, 'RELATION_SIDES_DISAGREE', `${where} ${actual}, not by ${relation.name}`)
	}
}

export const validateRelation = (model: Model, _entity: Entity, entityName: string, relation: Relation, path: string, report: Report) => {
	if (typeof relation.target !== 'string') return
	const target = own(model.entities, relation.target)
	if (!isObject(target)) {
		report(`${path}.target`, 'RELATION_UNDEFINED_TARGET', `target entity "${relation.target}" does not exist`)
		return
	}
	validateOwningSide(relation, entityName, target, path, report)
	validateInverseSide(relation, entityName, target, path, report)

	if ('joiningColumn' in relation && isObject(relation.joiningColumn)) {
		if (relation.joiningColumn.onDelete === 'set null' && relation.nullable === false) {
			report(`${path}.joiningColumn.onDelete`, 'RELATION_SET_NULL_NOT_NULLABLE', 'onDelete "set null" on a relation that is not nullable')
		}
	}
	if ('joiningTable' in relation && isObject(relation.joiningTable)) {
		const { joiningColumn, inverseJoiningColumn } = relation.joiningTable
		if (isObject(joiningColumn) && isObject(inverseJoiningColumn) && joiningColumn.columnName === inverseJoiningColumn.columnName) {
			report(`${path}.joiningTable.inverseJoiningColumn.columnName`, 'MODEL_COLUMN_NAME_COLLISION',
				`both junction columns are named "${joiningColumn.columnName}"`)
		}
	}
	if ('orderBy' in relation && Array.isArray(relation.orderBy)) {
		validateOrderBy(model, relation.target, relation.orderBy, `${path}.orderBy`, report)
	}
}

/** every segment but the last must be a relation (followed to its target), the last a column */
export const validateOrderBy = (model: Model, entityName: string, orderBy: readonly OrderBy[], path: string, report: Report) => {
	orderBy.forEach((item, i) => {
		if (!isObject(item) || !Array.isArray(item.path)) return
		let current: string = entityName
		for (const [n, segment] of item.path.entries()) {
			if (!isObject(own(model.entities, current))) return // a missing target is reported on the relation
			const field = fieldOf(own(model.entities, current), segment)
			const last = n === item.path.length - 1
			const shown = item.path.slice(0, n + 1).join('.')
			if (!field) {
				report(`${path}.${i}.path`, 'ORDER_BY_INVALID_PATH', `${current} has no field "${segment}" (path ${shown})`)
				return
			}
			if (last && !isColumn(field)) report(`${path}.${i}.path`, 'ORDER_BY_INVALID_PATH', `path ${shown} must end at a column`)
			if (!last) {
				if (!isRelation(field)) {
					report(`${path}.${i}.path`, 'ORDER_BY_INVALID_PATH', `${shown} is a column, so the path cannot continue`)
					return
				}
				current = field.target
			}
		}
	})
}
