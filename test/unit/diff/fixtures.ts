/** A small blog schema and helpers to edit copies of it, for the differ's test tables. */
import type { Column, Entity, Field, Schema } from '../../../src/schema/model.js'
import { emptySchema } from '../../../src/schema/model.js'

export const column = (name: string, type: Column['type'], extra: Partial<Column> = {}): Column => {
	const columnTypes: Record<string, string> = { Uuid: 'uuid', String: 'text', Integer: 'integer', Double: 'double precision', Bool: 'boolean', DateTime: 'timestamptz', Date: 'date', Json: 'jsonb', Numeric: 'numeric', Time: 'time' }
	return { name, columnName: name.replace(/[A-Z]/g, it => `_${it.toLowerCase()}`), type, columnType: columnTypes[type] ?? type, nullable: true, ...extra }
}

export const entity = (name: string, fields: Field[], extra: Partial<Entity> = {}): Entity => ({
	name,
	primary: 'id',
	primaryColumn: 'id',
	tableName: name.replace(/^[A-Z]/, it => it.toLowerCase()).replace(/[A-Z]/g, it => `_${it.toLowerCase()}`),
	fields: Object.fromEntries([column('id', 'Uuid', { nullable: false }), ...fields].map(it => [it.name, it])),
	unique: [],
	indexes: [],
	eventLog: { enabled: true },
	...extra,
})

export const blog = (): Schema => ({
	...emptySchema,
	model: {
		enums: { PostStatus: ['draft', 'published'] },
		entities: {
			Author: entity('Author', [
				column('name', 'String', { nullable: false }),
				column('email', 'String'),
				{ name: 'posts', type: 'OneHasMany', target: 'Post', ownedBy: 'author' },
			], { unique: [{ fields: ['email'] }] }),
			Post: entity('Post', [
				column('title', 'String', { nullable: false }),
				column('body', 'String'),
				column('views', 'Integer'),
				column('status', 'Enum', { columnType: 'PostStatus' }),
				{ name: 'author', type: 'ManyHasOne', target: 'Author', inversedBy: 'posts', nullable: true, joiningColumn: { columnName: 'author_id', onDelete: 'restrict' } },
				{
					name: 'tags', type: 'ManyHasMany', target: 'Tag', inversedBy: 'posts',
					joiningTable: { tableName: 'post_tags', joiningColumn: { columnName: 'post_id', onDelete: 'cascade' }, inverseJoiningColumn: { columnName: 'tag_id', onDelete: 'cascade' }, eventLog: { enabled: true } },
				},
			], { indexes: [{ fields: ['title'] }] }),
			Tag: entity('Tag', [
				column('label', 'String', { nullable: false }),
				{ name: 'posts', type: 'ManyHasMany', target: 'Post', ownedBy: 'tags' },
			]),
			AuthorStats: entity('AuthorStats', [column('postCount', 'Integer')], { view: { sql: 'SELECT author_id AS id, count(*) AS post_count FROM post GROUP BY author_id', dependencies: ['Post'] } }),
			TopAuthors: entity('TopAuthors', [column('postCount', 'Integer')], { view: { sql: 'SELECT * FROM author_stats WHERE post_count > 10', dependencies: ['AuthorStats'] } }),
		},
	},
})

/** a deep copy to edit freely in a test (typed loosely: edits make intermediate shapes) */
// biome-ignore lint: test drafts are edited structurally
export const edit = (schema: Schema, change: (draft: any) => void): Schema => {
	const draft = structuredClone(schema)
	change(draft)
	return draft
}
