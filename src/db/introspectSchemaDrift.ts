/**
 * What db:drift (and migrations:baseline) will report between the introspected schema and the
 * database it came from, found the way they find it, and the `--ignore` patterns that leave
 * exactly those items out. A skipped table's pattern is the table; a column's, key's or
 * foreign key's is `table.column` (for a key over several columns, its first column); an
 * enum's is its name.
 */
import type pg from 'pg'
import type { Schema } from '../schema/model.js'
import { compareCatalogs, expectedCatalog, readLiveCatalog, type DriftItem } from './drift.js'

const TABLE_KINDS = new Set(['missingTable', 'extraTable', 'missingView', 'extraView', 'viewKind', 'primaryKey'])

/** the one pattern that leaves `item` out */
export const ignorePatternOf = (item: DriftItem): string => {
	const [first] = item.targets
	if (TABLE_KINDS.has(item.kind) || item.targets.length === 1) return first ?? item.object
	return item.targets.find(target => target.includes('.')) ?? first!
}

/** the patterns for all of `items`, each once, in the order they first appear; a table's pattern covers its columns' */
export const ignorePatternsOf = (items: readonly DriftItem[]): string[] => {
	const patterns = [...new Set(items.map(ignorePatternOf))]
	const whole = new Set(patterns.filter(pattern => !pattern.includes('.')))
	return patterns.filter(pattern => !pattern.includes('.') || !whole.has(pattern.slice(0, pattern.indexOf('.'))))
}

export const introspectionDrift = async (client: pg.Client, schema: Schema, schemaName: string, skipTables: readonly string[]): Promise<DriftItem[]> =>
	compareCatalogs(expectedCatalog(schema), await readLiveCatalog(client, schemaName, { skipTables }))
