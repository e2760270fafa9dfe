/**
 * An online migration is planned whole before its first step runs (so a killed run can continue
 * the same plan), against the catalog as it is before the migration. A modification that looks
 * up a table's constraints or indexes by what they are (to drop or change one, PostgreSQL's name
 * is read from the catalog) would then miss what an earlier modification of the same migration
 * created, or find what it dropped. The plain executor does not have this problem: it generates
 * each modification after the previous one ran. This finds such a pair, so the plan is refused
 * before anything runs instead of failing half-way. Pure.
 */
import { classifyStatement } from '../sql/statementLocks.js'

/** statements after which a table's constraint and index lookups would read differently */
const CHANGES_LOOKUPS = /\b(?:ADD\s+(?:CONSTRAINT|UNIQUE|FOREIGN\s+KEY|PRIMARY\s+KEY|CHECK)|DROP\s+CONSTRAINT|CREATE\s+(?:UNIQUE\s+)?INDEX|DROP\s+INDEX|RENAME|CREATE\s+TABLE|REFERENCES)\b/i

export interface StaleLookup {
	/** the table whose catalog the reader would see as it was before the migration */
	readonly table: string
	readonly reader: { readonly index: number; readonly id: string }
	readonly writer: { readonly index: number; readonly id: string }
}

/** follows a migration's modifications in order: which tables' lookups the earlier ones changed */
export class LookupTracker {
	readonly #changedBy = new Map<string, { index: number; id: string }>()

	/** the lookups `reader` made that an earlier modification's statements invalidated, the first one */
	check(reader: { index: number; id: string }, lookedUp: Iterable<string>): StaleLookup | undefined {
		for (const table of lookedUp) {
			const writer = this.#changedBy.get(table)
			if (writer) return { table, reader, writer }
		}
		return undefined
	}

	/** the statements `writer` generated */
	record(writer: { index: number; id: string }, statements: readonly string[]): void {
		for (const sql of statements) {
			if (!CHANGES_LOOKUPS.test(sql)) continue
			for (const { table } of classifyStatement(sql).tables) {
				if (!this.#changedBy.has(table)) this.#changedBy.set(table, writer)
			}
		}
	}
}

export const describeStaleLookup = (migration: string, stale: StaleLookup): string =>
	`Migration ${migration} (online) cannot be planned: modification #${stale.reader.index} ${stale.reader.id} reads the constraints and indexes of "${stale.table}", `
	+ `which modification #${stale.writer.index} ${stale.writer.id} of the same migration changes.\n`
	+ '  An online migration is planned before its first step runs, from the catalog as it is then, so '
	+ `#${stale.reader.index} would not see what #${stale.writer.index} did. Nothing was run.\n`
	+ `  Move modification #${stale.reader.index} and those after it into a new migration (both can be online), or remove the "strata": { "online": true } marker from this one.`
