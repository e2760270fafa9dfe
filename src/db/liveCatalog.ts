/**
 * The catalog as SQL generation sees it during execution: read per table, when a step first asks
 * about that table, and read again only when statements ran since. A step is generated against
 * what is known; if it asked about a table not known fresh, the executor reads those tables and
 * generates the step again (generation is pure, so the retry is exact).
 */
import type pg from 'pg'
import type { CatalogSnapshot, DatabaseMetadata, ForeignKeyMetadata, IndexMetadata, UniqueConstraintMetadata } from '../sql/metadata.js'
import { readCatalog, readOperatorClasses, type OperatorClasses } from './introspect.js'

interface TableEntry {
	readonly foreignKeys: readonly ForeignKeyMetadata[]
	readonly indexes: readonly IndexMetadata[]
	readonly uniqueConstraints: readonly UniqueConstraintMetadata[]
	/** read since the last statement ran */
	fresh: boolean
}

const empty: TableEntry = { foreignKeys: [], indexes: [], uniqueConstraints: [], fresh: false }

export class LiveCatalog {
	readonly #tables = new Map<string, TableEntry>()
	#opClasses: OperatorClasses | undefined
	/** catalog reads so far (each one is a handful of queries over the named tables) */
	reads = 0

	constructor(
		private readonly client: pg.Client,
		private readonly schemaName: string,
		/** wraps strata's own queries, so migration timeouts do not apply to them */
		private readonly internal: <T>(run: () => Promise<T>) => Promise<T> = run => run(),
	) {}

	/** statements ran: what was read may be out of date */
	markChanged(): void {
		for (const entry of this.#tables.values()) entry.fresh = false
	}

	/**
	 * Metadata for one generation attempt, and the tables it asked about that are not known
	 * fresh; when that list is empty after the attempt, the attempt saw the live catalog.
	 */
	attempt(): { readonly metadata: DatabaseMetadata; readonly stale: ReadonlySet<string> } {
		const stale = new Set<string>()
		const entry = (table: string): TableEntry => {
			const known = this.#tables.get(table)
			if (!known?.fresh) stale.add(table)
			return known ?? empty
		}
		return {
			stale,
			metadata: {
				live: true,
				foreignKeysOf: table => entry(table).foreignKeys,
				indexesOf: table => entry(table).indexes,
				uniqueConstraintsOf: table => entry(table).uniqueConstraints,
			},
		}
	}

	/** reads `tables` from the catalog */
	async refresh(tables: ReadonlySet<string>): Promise<void> {
		const names = [...tables]
		const snapshot: CatalogSnapshot = await this.internal(async () => {
			this.#opClasses ??= await readOperatorClasses(this.client)
			return readCatalog(this.client, this.schemaName, names, this.#opClasses)
		})
		this.reads++
		for (const name of names) {
			this.#tables.set(name, {
				foreignKeys: snapshot.foreignKeys.filter(it => it.fromTable === name),
				indexes: snapshot.indexes.filter(it => it.tableName === name),
				uniqueConstraints: snapshot.uniqueConstraints.filter(it => it.tableName === name),
				fresh: true,
			})
		}
	}
}
