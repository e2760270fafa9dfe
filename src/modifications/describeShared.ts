/**
 * Helpers for `describe()`: every module returns the same Description shape, destructive steps
 * always say why, and entity lookups never throw (describe runs on hand-written
 * migrations before they are known to apply).
 */
import type { Entity, Schema } from '../schema/model.js'
import type { Description, Warning } from './types.js'
import { own } from '../schema/model.js'

export const describeStep = (
	message: string,
	options: { destructiveReason?: string; warnings?: readonly (Warning | undefined | null | false | '' | 0)[] } = {},
): Description => ({
	message,
	destructive: options.destructiveReason !== undefined,
	...(options.destructiveReason !== undefined ? { destructiveReason: options.destructiveReason } : {}),
	warnings: (options.warnings ?? []).filter((it): it is Warning => Boolean(it)),
})

export const findEntity = (schema: Schema, entityName: string): Entity | undefined => own(schema.model.entities, entityName)

/** `table "post"` / `view "post_stats"` / `materialized view "x"` for messages */
export const storageLabel = (entity: Entity | undefined, fallbackName: string): string => {
	if (!entity) return `entity ${fallbackName}`
	if (entity.view) return `${entity.view.materialized ? 'materialized view' : 'view'} "${entity.tableName}"`
	return `table "${entity.tableName}"`
}

/** `a, b and c` */
export const listText = (items: readonly string[]): string =>
	items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
