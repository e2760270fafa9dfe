/** A small valid schema (the documented example schema plus a many-has-many and one-has-one) to mutate in tests. */
import type { Schema } from '../../../src/schema/model.js'

const id = { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false }

export const validSchema = (): Schema => JSON.parse(JSON.stringify({
	model: {
		enums: { PostStatus: ['draft', 'published'] },
		entities: {
			Author: {
				name: 'Author', primary: 'id', primaryColumn: 'id', tableName: 'author',
				fields: {
					id,
					name: { name: 'name', columnName: 'name', type: 'String', columnType: 'text', nullable: false },
					posts: { name: 'posts', type: 'OneHasMany', target: 'Post', ownedBy: 'author' },
					profile: { name: 'profile', type: 'OneHasOne', target: 'Profile', ownedBy: 'author', nullable: true },
				},
				unique: [], indexes: [], eventLog: { enabled: true },
			},
			Profile: {
				name: 'Profile', primary: 'id', primaryColumn: 'id', tableName: 'profile',
				fields: {
					id,
					bio: { name: 'bio', columnName: 'bio', type: 'String', columnType: 'text', nullable: true },
					author: { name: 'author', type: 'OneHasOne', target: 'Author', inversedBy: 'profile', nullable: false,
						joiningColumn: { columnName: 'author_id', onDelete: 'cascade' } },
				},
				unique: [], indexes: [], eventLog: { enabled: true },
			},
			Post: {
				name: 'Post', primary: 'id', primaryColumn: 'id', tableName: 'post',
				fields: {
					id,
					title: { name: 'title', columnName: 'title', type: 'String', columnType: 'text', nullable: false },
					tags: { name: 'tags', columnName: 'tags', type: 'String', columnType: 'text', nullable: true, list: true },
					status: { name: 'status', columnName: 'status', type: 'Enum', columnType: 'PostStatus', nullable: false, default: 'draft' },
					publishedAt: { name: 'publishedAt', columnName: 'published_at', type: 'DateTime', columnType: 'timestamptz', nullable: true },
					author: { name: 'author', type: 'ManyHasOne', target: 'Author', inversedBy: 'posts', nullable: false,
						joiningColumn: { columnName: 'author_id', onDelete: 'cascade' } },
					categories: { name: 'categories', type: 'ManyHasMany', target: 'Category', inversedBy: 'posts',
						joiningTable: {
							tableName: 'post_categories',
							joiningColumn: { columnName: 'post_id', onDelete: 'cascade' },
							inverseJoiningColumn: { columnName: 'category_id', onDelete: 'cascade' },
							eventLog: { enabled: true },
						} },
				},
				unique: [{ fields: ['title', 'author'] }],
				indexes: [{ fields: ['status'] }],
				eventLog: { enabled: true },
				orderBy: [{ path: ['publishedAt'], direction: 'desc' }],
			},
			Category: {
				name: 'Category', primary: 'id', primaryColumn: 'id', tableName: 'category',
				fields: {
					id,
					name: { name: 'name', columnName: 'name', type: 'String', columnType: 'text', nullable: false },
					posts: { name: 'posts', type: 'ManyHasMany', target: 'Post', ownedBy: 'categories', orderBy: [{ path: ['author', 'name'], direction: 'asc' }] },
				},
				unique: [], indexes: [], eventLog: { enabled: true },
			},
		},
	},
	acl: { roles: {} },
	validation: {},
	actions: { triggers: {}, targets: {} },
	settings: {},
}))

/** mutable view for tests that break things on purpose */
export type Mutable = any
