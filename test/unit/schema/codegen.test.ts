/**
 * schemaToTypeScript: the text it writes. That the text loads back into the same schema is
 * codegenRoundTrip.test.ts; here, that it reads as a person would write it.
 */
import { describe, expect, it } from 'vitest'
import { IdentifierScope, literal, propertyKey, stringLiteral, templateLiteral, sqlLiteral } from '../../../src/schema/codegen/literal.js'
import { schemaToTypeScript } from '../../../src/schema/codegen/index.js'
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
	view,
} from '../../../src/schema/define/index.js'
import type { Column, Entity, Schema } from '../../../src/schema/model.js'

const evaluate = (code: string): unknown => new Function(`return (${code})`)()

/** each of `lines` stands in `code` as a whole line, one tab in (a field of an entity) */
const expectLines = (code: string, lines: readonly string[]) => {
	for (const line of lines) expect(code).toContain(`\n\t${line}\n`)
}

const TRICKY = [
	"it's", 'back\\slash', 'line\nbreak', 'crlf\r\nline', '${injected}', 'tick`s', 'tab\there', '\u2028\u2029', 'nul\u0000',
	'lone \ud800 surrogate', 'pair 😀', "'; DROP TABLE x; --", '\\${`\n',
]

describe('literals', () => {
	it.each(TRICKY)('round-trips %j', value => {
		expect(evaluate(stringLiteral(value))).toBe(value)
		expect(evaluate(templateLiteral(value))).toBe(value)
		expect(evaluate(sqlLiteral(value))).toBe(value)
	})

	it('writes no raw control character (but a template literal\'s line breaks and tabs), line separator or lone surrogate', () => {
		// with the u flag a surrogate range matches unpaired surrogates only
		for (const value of TRICKY) {
			expect(stringLiteral(value)).not.toMatch(/[\u0000-\u001f\u2028\u2029\ud800-\udfff]/u)
			expect(templateLiteral(value)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u2028\u2029\ud800-\udfff]/u)
		}
	})

	it('writes SQL with line breaks as a template literal, other text quoted as a person would', () => {
		expect(sqlLiteral('a\nb')).toBe('`a\nb`')
		expect(sqlLiteral("a'b")).toBe('"a\'b"')
		expect(stringLiteral('a\nb')).toBe("'a\\nb'")
		expect(stringLiteral('say "it\'s"')).toBe("'say \"it\\'s\"'")
	})

	it('writes keys bare where it can, and __proto__ as a computed key (a property, not the prototype)', () => {
		expect(propertyKey('name')).toBe('name')
		expect(propertyKey('with-dash')).toBe("'with-dash'")
		const object = evaluate(`{ ${propertyKey('__proto__')}: 1, ${propertyKey("it's")}: 2 }`) as object
		expect(Object.hasOwn(object, '__proto__')).toBe(true)
		expect(Object.getPrototypeOf(object)).toBe(Object.prototype)
	})

	it('prints short values on one line, long ones one item a line with tabs', () => {
		expect(literal({ a: [1, 'x'], b: null })).toBe("{ a: [1, 'x'], b: null }")
		const long = literal({ roles: { admin: { entities: { Post: { predicates: {}, operations: { read: { id: true, title: true, body: true } } } } } } })
		expect(long).toBe([
			'{',
			'\troles: {',
			'\t\tadmin: {',
			'\t\t\tentities: {',
			'\t\t\t\tPost: { predicates: {}, operations: { read: { id: true, title: true, body: true } } },',
			'\t\t\t},',
			'\t\t},',
			'\t},',
			'}',
		].join('\n'))
		expect(evaluate(long)).toEqual({ roles: { admin: { entities: { Post: { predicates: {}, operations: { read: { id: true, title: true, body: true } } } } } } })
	})

	it('gives names that cannot be constants another identifier', () => {
		const scope = new IdentifierScope(['column'])
		expect(scope.claim('Post', 'Entity')).toBe('Post')
		expect(scope.claim('delete', 'Entity')).toBe('deleteEntity')
		expect(scope.claim('column', 'Entity')).toBe('columnEntity')
		expect(scope.claim('column', 'Entity')).toBe('columnEntity2')
	})
})

const PostStatus = defineEnum('PostStatus', ['draft', 'published'])
const Author = entity('Author', {
	name: column.string().notNull(),
	email: column.string().notNull().unique(),
	posts: oneHasMany(() => Post, 'author'),
})
const Post = entity('Post', {
	title: column.string().notNull(),
	status: column.enum(PostStatus).notNull().default('draft'),
	publishedAt: column.dateTime(),
	author: manyHasOne(Author, 'posts').notNull().cascadeOnDelete(),
}, { indexes: [['status', 'publishedAt']] })

describe('schemaToTypeScript', () => {
	it('writes the docs example back as it is written there', () => {
		const code = schemaToTypeScript(defineSchema({ entities: [Author, Post] }))
		expect(code.slice(code.indexOf('import'))).toBe(`import { column, defineEnum, defineSchema, entity, manyHasOne, oneHasMany } from 'strata/schema'

export const PostStatus = defineEnum('PostStatus', ['draft', 'published'])

export const Author = entity('Author', {
	name: column.string().notNull(),
	email: column.string().notNull().unique(),
	posts: oneHasMany(() => Post, 'author'),
})

export const Post = entity('Post', {
	title: column.string().notNull(),
	status: column.enum(PostStatus).notNull().default('draft'),
	publishedAt: column.dateTime(),
	author: manyHasOne(Author, 'posts').notNull().cascadeOnDelete(),
}, { indexes: [['status', 'publishedAt']] })

export default defineSchema({
	entities: [Author, Post],
})
`)
	})

	it('writes every setting that differs from the defaults, and none that does not', () => {
		const Tag = entity('Tag', {
			id: column.int().sequence({ start: 100 }),
			label: column.string().notNull().columnName('tag_label').columnType('varchar(80)').collation('cs-x-icu'),
			amount: column.numeric(10, 2),
			odd: column.numeric().columnType('numeric(10,2)'),
			list: column.string().list().default(['a']),
			email: column.string().typeAlias('Email'),
			data: column.json().jsonSchema({ type: 'object' }),
			parent: manyHasOne(() => Tag, 'children').setNullOnDelete().joiningColumn('parent_tag'),
			children: oneHasMany(() => Tag, 'parent').orderBy('label', 'desc').orderBy(['parent', 'label']),
			friends: manyHasMany(() => Tag).joiningTable({ tableName: 'tag_friend', eventLog: false }),
		}, {
			tableName: 'tags',
			eventLog: false,
			unique: [{ fields: ['label', 'parent'], timing: 'deferrable' }, { fields: ['email'], index: true, nulls: 'not distinct' }],
			indexes: [{ fields: ['label'], method: 'gin', opClass: 'gin_trgm_ops' }],
			orderBy: [{ path: 'label' }, { path: ['parent', 'label'], direction: 'descNullsLast' }],
		})
		const code = schemaToTypeScript(defineSchema({ entities: [Tag] }))
		expectLines(code, [
			"id: column.int().sequence({ start: 100 }),",
			"label: column.string().notNull().columnName('tag_label').columnType('varchar(80)').collation('cs-x-icu'),",
			'amount: column.numeric(10, 2),',
			"odd: column.numeric().columnType('numeric(10,2)'),",
			"list: column.string().list().default(['a']),",
			"email: column.string().typeAlias('Email').unique({ index: true, nulls: 'not distinct' }),",
			"data: column.json().jsonSchema({ type: 'object' }),",
			"parent: manyHasOne(() => Tag, 'children').setNullOnDelete().joiningColumn('parent_tag'),",
			"children: oneHasMany(() => Tag, 'parent').orderBy('label', 'desc').orderBy(['parent', 'label']),",
			"friends: manyHasMany(() => Tag).joiningTable({ tableName: 'tag_friend', eventLog: false }),",
		])
		expect(code).toContain([
			'}, {',
			"\ttableName: 'tags',",
			"\tunique: [{ fields: ['label', 'parent'], timing: 'deferrable' }],",
			"\tindexes: [{ fields: ['label'], method: 'gin', opClass: 'gin_trgm_ops' }],",
			'\teventLog: false,',
			"\torderBy: [{ path: 'label' }, { path: ['parent', 'label'], direction: 'descNullsLast' }],",
			'})',
		].join('\n'))
		expect(code).not.toContain('Post-processing')
	})

	it('writes each relation kind with its inverse side; a thunk only for entities not declared yet', () => {
		const Person = entity('Person', {
			profile: oneHasOneInverse(() => Profile, 'person').notNull(),
			groups: manyHasMany(() => Group, 'members'),
			manager: manyHasOne(() => Person, 'reports'),
			reports: oneHasMany(() => Person, 'manager'),
		})
		const Profile = entity('Profile', { person: oneHasOne(Person, 'profile').notNull().cascadeOnDelete().removeOrphan() })
		const Group = entity('Group', { members: manyHasManyInverse(Person, 'groups').orderBy('manager') })
		const code = schemaToTypeScript(defineSchema({ entities: [Person, Profile, Group] }))
		expectLines(code, [
			"profile: oneHasOneInverse(() => Profile, 'person').notNull(),",
			"groups: manyHasMany(() => Group, 'members'),",
			"manager: manyHasOne(() => Person, 'reports'),",
			"reports: oneHasMany(() => Person, 'manager'),",
			"person: oneHasOne(Person, 'profile').notNull().cascadeOnDelete().removeOrphan(),",
			"members: manyHasManyInverse(Person, 'groups').orderBy('manager'),",
		])
	})

	it('writes views with their SQL as a template literal and dependencies by reference', () => {
		const Stats = view('Stats', { sql: "SELECT id,\n\t'${x}' AS label\nFROM post", dependencies: [Post, 'Missing'], materialized: true, idSource: ['post_id'] }, {
			post: oneHasOne(Post),
			label: column.string(),
		})
		const code = schemaToTypeScript(defineSchema({ entities: [Author, Stats, Post] }))
		expect(code).toContain([
			"export const Stats = view('Stats', {",
			"\tsql: `SELECT id,\n\t'\\${x}' AS label\nFROM post`,",
			"\tdependencies: [() => Post, 'Missing'],",
			'\tmaterialized: true,',
			"\tidSource: ['post_id'],",
			'}, {',
			'\tpost: oneHasOne(() => Post),',
		].join('\n'))
	})

	it('writes enums as defineEnum constants and passes only those no column uses', () => {
		const Unused = defineEnum('Unused', ['x'])
		const code = schemaToTypeScript(defineSchema({ entities: [Author, Post], enums: [Unused] }))
		expect(code).toContain("export const Unused = defineEnum('Unused', ['x'])")
		expect(code).toContain('\tenums: [Unused],')
	})

	it('writes the non-model parts as typed constants passed to defineSchema', () => {
		const schema = defineSchema({
			entities: [Author, Post],
			acl: { roles: { public: { entities: {}, variables: {} } } },
			validation: { Post: { title: [{ validator: { operation: 'defined', args: [] }, message: { text: 'Title, please' } }] } },
			settings: { useExistsInHasManyFilter: true },
		})
		const code = schemaToTypeScript(schema)
		expect(code).toContain("\toneHasMany,\n\ttype AclSchema,\n\ttype SettingsSchema,\n\ttype ValidationSchema,\n} from 'strata/schema'")
		expect(code).toContain('const acl: AclSchema = { roles: { public: { entities: {}, variables: {} } } }')
		expect(code).toContain('const settings: SettingsSchema = { useExistsInHasManyFilter: true }')
		expect(code).toContain('\tacl,\n\tvalidation,\n\tsettings,\n})')
		expect(code).not.toContain('actions')
	})

	it('renames constants that would clash with a keyword or an import, keeping the entity name', () => {
		const schema = defineSchema({ entities: [entity('delete', {}), entity('column', { other: manyHasOne('delete') })] })
		const code = schemaToTypeScript(schema)
		expect(code).toContain("export const deleteEntity = entity('delete', {})")
		expect(code).toContain("export const columnEntity = entity('column', {\n\tother: manyHasOne(deleteEntity),")
		expect(code).toContain('entities: [deleteEntity, columnEntity]')
	})

	it('carries what the DSL cannot express as a commented post-processing step', () => {
		const schema = defineSchema({ entities: [entity('Code', { label: column.string() })] })
		const code = entityOf(schema, 'Code')
		const { id: _id, ...fields } = code.fields
		const changed: Schema = {
			...schema,
			model: {
				...schema.model,
				entities: { Code: { ...code, primary: 'label', primaryColumn: 'label', fields: { ...fields, label: { ...(fields.label as Column), nullable: false } } } },
			},
		}
		const text = schemaToTypeScript(changed)
		expect(text).toContain("import { column, defineSchema, entity, type Schema } from 'strata/schema'")
		expect(text).toContain('// Post-processing.')
		expect(text).toContain("\t{ path: ['model', 'entities', 'Code', 'primary'], value: 'label' },")
		expect(text).toContain("\t{ path: ['model', 'entities', 'Code', 'fields', 'id'], remove: true },")
		expect(text).toContain('export default withOverrides(defined)')
	})
})

const entityOf = (schema: Schema, name: string): Entity => schema.model.entities[name]!
