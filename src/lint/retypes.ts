/**
 * The columns a migration re-types, with both SQL types as the generator writes them: what the
 * cast rule (L005) needs and the statement classification does not carry (it knows the new type,
 * not the old one). Only a file that has an updateColumnDefinition is walked.
 */
import { applyModification } from '../modifications/fold.js'
import { columnSqlType } from '../modifications/sqlShared.js'
import type { Modification } from '../modifications/types.js'
import { withTransientEntities } from '../modifications/updaters.js'
import { type ColumnDefinition, type Schema, isColumn, own } from '../schema/model.js'
import type { ColumnRetype } from './rule.js'

interface RetypeData {
	readonly entityName?: string
	readonly fieldName?: string
	readonly definition?: ColumnDefinition
	readonly conversion?: string
}

/** per modification index, the column it re-types */
export const columnRetypes = (schemaBefore: Schema, file: { readonly formatVersion: number; readonly modifications: readonly Modification[] }): Map<number, ColumnRetype> => {
	const retypes = new Map<number, ColumnRetype>()
	if (!file.modifications.some(it => it.modification === 'updateColumnDefinition')) return retypes
	withTransientEntities(() => {
		let schema = schemaBefore
		file.modifications.forEach((modification, index) => {
			if (modification.modification === 'updateColumnDefinition') {
				const { entityName = '', fieldName = '', definition, conversion } = modification as RetypeData
				const before = own(own(schema.model.entities, entityName)?.fields, fieldName)
				if (before && isColumn(before) && definition) {
					// the strings are taken now: the session updates the schema's records in place
					const from = columnSqlType(schema, before)
					const to = columnSqlType(schema, definition)
					if (from !== to) retypes.set(index, { field: `${entityName}.${fieldName}`, from, to, ...(conversion !== undefined ? { conversion } : {}) })
				}
			}
			schema = applyModification(schema, modification, file.formatVersion)
		})
	})
	return retypes
}
