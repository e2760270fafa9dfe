/**
 * The example project's declared schema: a small blog. `strata migrations:diff <label>` compares
 * it with the schema replayed from migrations/ and writes the difference as a new migration.
 *
 * It uses every relation kind: many-has-one / one-has-many (Post.author ↔ Author.posts,
 * Category.parent ↔ Category.children, Comment.post ↔ Post.comments), one-has-one
 * (AuthorProfile.author ↔ Author.profile) and many-has-many (Post.categories ↔ Category.posts,
 * Post.tags ↔ Tag.posts).
 */
import {
	column,
	defineEnum,
	defineSchema,
	entity,
	manyHasMany,
	manyHasManyInverse,
	manyHasOne,
	oneHasMany,
	oneHasOne,
	oneHasOneInverse,
} from 'strata/schema'

export const PostStatus = defineEnum('PostStatus', ['draft', 'review', 'published', 'archived'])

export const Author = entity('Author', {
	name: column.string().notNull(),
	email: column.string().notNull().unique(),
	bio: column.string(),
	createdAt: column.dateTime().notNull(),
	posts: oneHasMany(() => Post, 'author').orderBy('publishedAt', 'desc'),
	profile: oneHasOneInverse(() => AuthorProfile, 'author'),
})

export const AuthorProfile = entity('AuthorProfile', {
	author: oneHasOne(Author, 'profile').notNull().cascadeOnDelete(),
	avatarUrl: column.string(),
	website: column.string(),
	twitterHandle: column.string(),
})

export const Category = entity('Category', {
	name: column.string().notNull(),
	slug: column.string().notNull().unique(),
	parent: manyHasOne(() => Category, 'children').setNullOnDelete(),
	children: oneHasMany(() => Category, 'parent').orderBy('name'),
	posts: manyHasManyInverse(() => Post, 'categories'),
})

export const Tag = entity('Tag', {
	name: column.string().notNull().unique(),
	posts: manyHasManyInverse(() => Post, 'tags'),
})

export const Post = entity('Post', {
	title: column.string().notNull(),
	slug: column.string().notNull().unique(),
	lead: column.string(),
	content: column.json(),
	status: column.enum(PostStatus).notNull().default('draft'),
	publishedAt: column.dateTime(),
	readingMinutes: column.int(),
	author: manyHasOne(Author, 'posts').notNull().cascadeOnDelete(),
	categories: manyHasMany(Category, 'posts'),
	tags: manyHasMany(Tag, 'posts'),
	comments: oneHasMany(() => Comment, 'post').orderBy('createdAt'),
}, {
	indexes: [['status', 'publishedAt']],
})

export const Comment = entity('Comment', {
	post: manyHasOne(Post, 'comments').notNull().cascadeOnDelete(),
	authorName: column.string().notNull(),
	body: column.string().notNull(),
	createdAt: column.dateTime().notNull(),
})

export default defineSchema({
	entities: [Author, AuthorProfile, Category, Tag, Post, Comment],
})
