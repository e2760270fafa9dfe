/**
 * `.extra({ … })` on field builders: JSON properties the DSL has no modifier for, kept in the
 * field as they are. Contember schemas carry some (older versions wrote `enumName` on Enum
 * columns), strata preserves them, and an exported schema must be declarable without losing
 * them. A property the DSL itself sets is refused, so there is one way to say each thing.
 */
import { StrataError } from '../../errors.js'
import { type Field, type JsonObject, setOwn } from '../model.js'

/** the properties of a column's JSON that its builder sets */
export const COLUMN_PROPERTIES = ['name', 'columnName', 'type', 'columnType', 'nullable', 'list', 'typeAlias', 'default', 'sequence', 'collation', 'schema'] as const
/** the properties of a relation's JSON that its builder sets */
export const RELATION_PROPERTIES = ['name', 'type', 'target', 'joiningColumn', 'joiningTable', 'nullable', 'inversedBy', 'ownedBy', 'orderBy', 'orphanRemoval'] as const

export const withExtraProperties = <F extends Field>(
	field: F,
	extra: JsonObject | undefined,
	reserved: readonly string[],
	entityName: string,
): F => {
	if (extra === undefined) return field
	const clash = Object.keys(extra).find(key => reserved.includes(key))
	if (clash !== undefined) {
		throw new StrataError('DSL_INVALID_DEFINITION',
			`entity ${entityName}: field "${field.name}": .extra() cannot set "${clash}", a property the DSL sets itself (use its modifier)`)
	}
	const result: Record<string, unknown> = { ...field }
	for (const [key, value] of Object.entries(extra)) setOwn(result, key, value)
	return result as F
}
