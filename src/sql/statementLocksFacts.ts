/**
 * What the lock classification needs to know about the catalog a statement meets: the type of a
 * column (does a re-type rewrite?), the foreign keys of a table (dropping one, or the table or
 * column holding it, locks the referenced table too), the tables using a domain (a new domain
 * check scans them) and the table of an index.
 *
 * `trackCatalog` keeps these facts true through a script: it starts from what the schema and
 * the live catalog say before the migration and applies each classified statement's change, so
 * a column added earlier in the same migration is known when a later statement re-types it.
 */
import type { ColumnTypeFacts } from './statementLocksRetype.js'

export interface ForeignKeyFacts {
	/** the referencing column */
	readonly column: string
	readonly toTable: string
	/** the constraint's name, when the live catalog told it */
	readonly name?: string
}

export interface TableFacts {
	readonly columns: ReadonlyMap<string, ColumnTypeFacts>
	readonly foreignKeys: readonly ForeignKeyFacts[]
}

export interface CatalogFacts {
	table(name: string): TableFacts | undefined
	/** tables with a column of the domain (scalar or list) */
	tablesUsingDomain(domain: string): readonly string[]
	/** the base type of a domain (`text` for strata's enums) */
	domainBaseType(domain: string): string | undefined
	indexTable(index: string): string | undefined
}

/** knows nothing: every re-type rewrites and no referenced table is known */
export const noCatalogFacts: CatalogFacts = {
	table: () => undefined,
	tablesUsingDomain: () => [],
	domainBaseType: () => undefined,
	indexTable: () => undefined,
}

/** how a statement changes the facts */
export type CatalogChange =
	| { readonly change: 'createTable'; readonly table: string; readonly columns: ReadonlyMap<string, ColumnTypeFacts>; readonly foreignKeys: readonly ForeignKeyFacts[] }
	| { readonly change: 'dropTable'; readonly table: string }
	| { readonly change: 'renameTable'; readonly table: string; readonly to: string }
	| { readonly change: 'addColumn'; readonly table: string; readonly column: string; readonly facts: ColumnTypeFacts }
	| { readonly change: 'dropColumn'; readonly table: string; readonly column: string }
	| { readonly change: 'renameColumn'; readonly table: string; readonly column: string; readonly to: string }
	| { readonly change: 'setColumnType'; readonly table: string; readonly column: string; readonly facts: ColumnTypeFacts }
	| { readonly change: 'addForeignKey'; readonly table: string; readonly foreignKey: ForeignKeyFacts }
	| { readonly change: 'dropConstraint'; readonly table: string; readonly name: string }

interface MutableTable {
	columns: Map<string, ColumnTypeFacts>
	foreignKeys: ForeignKeyFacts[]
}

export interface TrackedCatalog extends CatalogFacts {
	apply(change: CatalogChange): void
}

/** facts that follow the statements of a script, over `base` (the catalog before it) */
export const trackCatalog = (base: CatalogFacts): TrackedCatalog => {
	// tables a statement touched, copied from `base` on first touch; null = dropped or renamed away
	const touched = new Map<string, MutableTable | null>()
	const own = (name: string): MutableTable | undefined => {
		const known = touched.get(name)
		if (known !== undefined) return known ?? undefined
		const facts = base.table(name)
		const copy = facts ? { columns: new Map(facts.columns), foreignKeys: [...facts.foreignKeys] } : { columns: new Map(), foreignKeys: [] }
		touched.set(name, copy)
		return copy
	}
	const table = (name: string): TableFacts | undefined => (touched.has(name) ? touched.get(name) ?? undefined : base.table(name))
	return {
		table,
		tablesUsingDomain: domain => {
			const quoted = `"${domain.replace(/"/g, '""')}"`
			const usesDomain = (facts: TableFacts) => [...facts.columns.values()].some(it => it.type === quoted || it.type === `${quoted}[]`)
			const untouched = base.tablesUsingDomain(domain).filter(name => !touched.has(name))
			const tracked = [...touched].filter(([, facts]) => facts !== null && usesDomain(facts)).map(([name]) => name)
			return [...untouched, ...tracked]
		},
		domainBaseType: domain => base.domainBaseType(domain),
		indexTable: index => base.indexTable(index),
		apply: change => {
			switch (change.change) {
				case 'createTable':
					touched.set(change.table, { columns: new Map(change.columns), foreignKeys: [...change.foreignKeys] })
					return
				case 'dropTable':
					touched.set(change.table, null)
					return
				case 'renameTable': {
					const moved = own(change.table)
					touched.set(change.table, null)
					if (moved) touched.set(change.to, moved)
					return
				}
				case 'addColumn':
				case 'setColumnType':
					own(change.table)?.columns.set(change.column, change.facts)
					return
				case 'dropColumn': {
					const facts = own(change.table)
					if (!facts) return
					facts.columns.delete(change.column)
					facts.foreignKeys = facts.foreignKeys.filter(it => it.column !== change.column)
					return
				}
				case 'renameColumn': {
					const facts = own(change.table)
					const column = facts?.columns.get(change.column)
					if (!facts) return
					facts.columns.delete(change.column)
					if (column) facts.columns.set(change.to, column)
					facts.foreignKeys = facts.foreignKeys.map(it => (it.column === change.column ? { ...it, column: change.to } : it))
					return
				}
				case 'addForeignKey':
					own(change.table)?.foreignKeys.push(change.foreignKey)
					return
				case 'dropConstraint': {
					const facts = own(change.table)
					if (facts) facts.foreignKeys = facts.foreignKeys.filter(it => it.name !== change.name)
					return
				}
			}
		},
	}
}
