import { describe, expect, it } from 'vitest'
import {
	defaultColumnName,
	defaultEnumName,
	defaultTableName,
	joiningColumnName,
	junctionColumnNames,
	junctionTableName,
	snakeCase,
} from '../../../src/schema/naming.js'

describe('snakeCase', () => {
	it.each([
		['SiteSetting', 'site_setting'],
		['registeredAt', 'registered_at'],
		['URLPath', 'urlpath'],
		['HTMLParser', 'htmlparser'],
		['address2Line', 'address2_line'],
		['id', 'id'],
		['Post', 'post'],
		['already_snake', 'already_snake'],
		['a1B2C', 'a1_b2_c'],
		['_Private', '_private'],
	])('%s → %s', (input, expected) => {
		expect(snakeCase(input)).toBe(expected)
	})
})

describe('derived names', () => {
	it('table and column names', () => {
		expect(defaultTableName('SiteSetting')).toBe('site_setting')
		expect(defaultTableName({ name: 'BlogPost' })).toBe('blog_post')
		expect(defaultColumnName('publishedAt')).toBe('published_at')
	})

	it('joining column', () => {
		expect(joiningColumnName('author')).toBe('author_id')
		expect(joiningColumnName('mainImage')).toBe('main_image_id')
	})

	it('junction table and columns', () => {
		expect(junctionTableName('Post', 'categories')).toBe('post_categories')
		expect(junctionTableName('BoardTask', 'tags')).toBe('board_task_tags')
		expect(junctionColumnNames('Post', 'Category', 'categories')).toEqual({
			joiningColumn: 'post_id',
			inverseJoiningColumn: 'category_id',
		})
	})

	it('self-referencing junction uses the relation name for the second column', () => {
		expect(junctionColumnNames('Person', 'Person', 'friends')).toEqual({
			joiningColumn: 'person_id',
			inverseJoiningColumn: 'friends_id',
		})
	})

	it('enum fallback name', () => {
		expect(defaultEnumName('Post', 'status')).toBe('PostStatus')
	})
})
