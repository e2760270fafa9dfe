/**
 * The catalog the lock classification tests (and docs/online.md's table) classify against:
 * post → author (named foreign key), post_tags → post and tag, an enum domain used by post.
 */
import type { CatalogFacts, TableFacts } from '../../../src/sql/statementLocksFacts.js'

const tables: Record<string, TableFacts> = {
	post: {
		columns: new Map([
			['id', { type: 'uuid' }], ['title', { type: 'varchar(100)' }], ['body', { type: 'text' }], ['views', { type: 'integer' }],
			['price', { type: 'numeric(10, 2)' }], ['status', { type: '"poststatus"' }], ['published_at', { type: 'timestamp' }],
			['slug', { type: 'text', collation: 'C' }], ['author_id', { type: 'uuid' }], ['tag_id', { type: 'uuid' }],
		]),
		foreignKeys: [{ column: 'author_id', toTable: 'author', name: 'post_author_id_fkey' }],
	},
	author: { columns: new Map([['id', { type: 'uuid' }], ['name', { type: 'text' }]]), foreignKeys: [] },
	tag: { columns: new Map([['id', { type: 'uuid' }]]), foreignKeys: [] },
	post_tags: {
		columns: new Map([['post_id', { type: 'uuid' }], ['tag_id', { type: 'uuid' }]]),
		foreignKeys: [{ column: 'post_id', toTable: 'post' }, { column: 'tag_id', toTable: 'tag' }],
	},
}

export const exampleCatalog: CatalogFacts = {
	table: name => tables[name],
	tablesUsingDomain: domain => (domain === 'poststatus' ? ['post'] : []),
	domainBaseType: domain => (domain === 'poststatus' ? 'text' : undefined),
	indexTable: index => (index === 'post_author_id_idx' ? 'post' : undefined),
}
