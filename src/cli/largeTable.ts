/**
 * The row count from which a table counts as large (describe's marks, lint's L001):
 * `--large-table`, else `largeTableRows` in strata.config.json, else the default.
 */
import { StrataError } from '../errors.js'
import { DEFAULT_LARGE_TABLE_ROWS } from '../migrations/describeLocks.js'
import type { ProjectContext } from './context.js'

export const largeTableThreshold = (argv: { readonly largeTable?: number }, context: ProjectContext): number => {
	const rows = argv.largeTable ?? context.config.largeTableRows ?? DEFAULT_LARGE_TABLE_ROWS
	if (!Number.isSafeInteger(rows) || rows < 1) throw new StrataError('USAGE', `--large-table takes a number of rows (a whole number from 1), not ${JSON.stringify(argv.largeTable)}.`)
	return rows
}
