/**
 * strata's schema definition DSL (`import { entity, column, … } from 'strata/schema'`, or from 'strata').
 *
 * ```ts
 * export const PostStatus = defineEnum('PostStatus', ['draft', 'published'])
 * export const Author = entity('Author', {
 *   name: column.string().notNull(),
 *   posts: oneHasMany(() => Post, 'author'),
 * })
 * export const Post = entity('Post', {
 *   title: column.string().notNull(),
 *   status: column.enum(PostStatus).notNull().default('draft'),
 *   author: manyHasOne(Author, 'posts').notNull().cascadeOnDelete(),
 * }, { unique: [['title', 'author']], indexes: [['status']] })
 * export default defineSchema({ entities: [Author, Post] })
 * ```
 */
export { ColumnBuilder, EnumDefinition, column, defineEnum, isEnumDefinition, type FieldUniqueOptions } from './columns.js'
export {
	type EntityRef,
	type JoiningTableOptions,
	type OnDeleteInput,
	type OrderByInput,
	ManyHasManyBuilder,
	ManyHasManyInverseBuilder,
	ManyHasOneBuilder,
	OneHasManyBuilder,
	OneHasOneBuilder,
	OneHasOneInverseBuilder,
	manyHasMany,
	manyHasManyInverse,
	manyHasOne,
	oneHasMany,
	oneHasOne,
	oneHasOneInverse,
} from './relations.js'
export { EntityDefinition, isEntityDefinition, type EntityOptions, type FieldMap, type IndexInput, type UniqueInput, type ViewOptions, entity, view } from './entity.js'
export { type Definitions, type SchemaInput, defineSchema } from './schema.js'
