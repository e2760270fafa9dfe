/**
 * What each statement strata generates locks and costs, known before it runs: the lock it takes
 * on each table it touches (PostgreSQL's lock mode names), what it does to the rows, and whether
 * it may run inside a transaction block.
 *
 * The statements come from strata's own generators (src/modifications/**), a finite set of
 * shapes, so they are classified by their text against ONE table, `statementShapes` (the column
 * actions of `ALTER TABLE … ALTER "c" …` are in statementLocksColumns.ts). A statement that
 * matches no shape is `unknown`: ACCESS EXCLUSIVE, effect unknown, never silently cheap.
 * Lock levels follow the PostgreSQL documentation (Explicit Locking; ALTER TABLE, CREATE INDEX,
 * ALTER DOMAIN) and are checked against a real server by test/integration/locks/probe.test.ts;
 * docs/online.md holds the table, tested to match.
 */
import { classifyColumnActions } from './statementLocksColumns.js'
import { type CatalogChange, type CatalogFacts, type ForeignKeyFacts, noCatalogFacts } from './statementLocksFacts.js'
import type { ColumnTypeFacts } from './statementLocksRetype.js'
import { IDENT, identifierName, identifierNames, splitTopLevel, statementText } from './statementLocksSyntax.js'
import {
	type ClassifiedStatement, heavierEffect, type LockMode, type StatementEffect, type StatementKind, strongerLock, type TableLock,
} from './statementLocksVocabulary.js'

export * from './statementLocksVocabulary.js'

type Groups = Record<string, string | undefined>

interface StatementShape {
	readonly kind: StatementKind
	/** anchored; matched against the statement without its `;` */
	readonly pattern: RegExp
	/** a statement of this shape, for docs/online.md and the tests */
	readonly example: string
	readonly classify: (groups: Groups, facts: CatalogFacts) => Omit<ClassifiedStatement, 'kind'> | undefined
}

const T = `(?<table>${IDENT})`
const ALTER_TABLE = String.raw`^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?${T} `
const CONSTRAINT_NAME = String.raw`(?:CONSTRAINT ${IDENT} )?`
const pattern = (source: string) => new RegExp(source, 'is')

/** locks merged per table, keeping the strongest */
const locks = (...entries: readonly (readonly [string, LockMode])[]): TableLock[] => {
	const merged = new Map<string, LockMode>()
	for (const [table, lock] of entries) merged.set(table, merged.has(table) ? strongerLock(merged.get(table)!, lock) : lock)
	return [...merged].map(([table, lock]) => ({ table, lock }))
}

const tableOf = (groups: Groups): string => identifierName(groups.table!)

/** the tables `table`'s foreign keys (all, or those on `column`) reference */
const referencedTables = (facts: CatalogFacts, table: string, keep: (fk: ForeignKeyFacts) => boolean = () => true): string[] =>
	(facts.table(table)?.foreignKeys ?? []).filter(keep).map(it => it.toTable)

/**
 * A drop on `table`: dropping a foreign key (alone, or with its column or table) drops its
 * triggers on the referenced table too, which takes ACCESS EXCLUSIVE there as well.
 */
const dropping = (facts: CatalogFacts, table: string, droppedKey: (fk: ForeignKeyFacts) => boolean, change: CatalogChange): Omit<ClassifiedStatement, 'kind'> => ({
	tables: locks([table, 'ACCESS EXCLUSIVE'], ...referencedTables(facts, table, droppedKey).map(it => [it, 'ACCESS EXCLUSIVE'] as const)),
	effect: 'catalog', transactional: true, change,
})

const on = (table: string, lock: LockMode, effect: StatementEffect, extra: Partial<ClassifiedStatement> = {}) =>
	({ tables: locks([table, lock]), effect, transactional: true, ...extra })

const keywords = /\s+(?:COLLATE|PRIMARY|NOT|NULL|REFERENCES|GENERATED|DEFAULT|UNIQUE|CHECK|CONSTRAINT)\b/i

/** `"c" type [COLLATE "x"] …`: the column's name and type facts */
const columnDefinition = (definition: string): { column: string; facts: ColumnTypeFacts; rest: string } | undefined => {
	const match = new RegExp(String.raw`^(?<column>${IDENT})\s+(?<rest>.+)$`, 's').exec(definition.trim())
	if (!match) return undefined
	const rest = match.groups!.rest!
	const cut = rest.search(keywords)
	const type = (cut === -1 ? rest : rest.slice(0, cut)).trim()
	const collation = new RegExp(String.raw`\bCOLLATE (${IDENT})`, 'i').exec(rest)?.[1]
	return { column: identifierName(match.groups!.column!), facts: { type, ...(collation ? { collation: identifierName(collation) } : {}) }, rest }
}

const references = new RegExp(String.raw`\bREFERENCES\s+(${IDENT})`, 'i')
const isLiteral = (expression: string) => /^(?:'(?:[^']|'')*'|\$(\w*)\$.*\$\1\$|-?\d+(?:\.\d+)?|true|false|null)(?:::[\w ]+)?$/is.test(expression.trim())

/** the table an index belongs to, as the catalog facts know it */
const indexTable = (groups: Groups, facts: CatalogFacts): string => {
	const index = identifierName(groups.index!)
	return facts.indexTable(index) ?? `(table of index ${JSON.stringify(index)})`
}

/** THE table: every statement shape strata's generators write, in match order */
export const statementShapes: readonly StatementShape[] = [
	{
		kind: 'createTable',
		pattern: pattern(String.raw`^CREATE TABLE (?:IF NOT EXISTS )?${T}\s*\((?<body>.*)\)$`),
		example: 'CREATE TABLE "post_tags" ( "post_id" uuid NOT NULL REFERENCES "post"("id") ON DELETE CASCADE, "tag_id" uuid NOT NULL REFERENCES "tag"("id") ON DELETE CASCADE )',
		classify: (groups) => {
			const table = tableOf(groups)
			const columns = new Map<string, ColumnTypeFacts>()
			const foreignKeys: ForeignKeyFacts[] = []
			for (const part of splitTopLevel(groups.body!)) {
				if (/^(?:CONSTRAINT|PRIMARY|UNIQUE|CHECK|FOREIGN|EXCLUDE)\b/i.test(part)) return undefined // strata writes column constraints only
				const column = columnDefinition(part)
				if (!column) return undefined
				columns.set(column.column, column.facts)
				const target = references.exec(column.rest)?.[1]
				if (target) foreignKeys.push({ column: column.column, toTable: identifierName(target) })
			}
			// a new table is empty: the foreign keys are checked against no rows, but their triggers go on the referenced tables
			return {
				tables: locks([table, 'ACCESS EXCLUSIVE'], ...foreignKeys.map(it => [it.toTable, 'SHARE ROW EXCLUSIVE'] as const)),
				effect: 'catalog', transactional: true, change: { change: 'createTable', table, columns, foreignKeys },
			}
		},
	},
	{
		kind: 'dropTable',
		pattern: pattern(String.raw`^DROP TABLE (?:IF EXISTS )?${T}$`),
		example: 'DROP TABLE "post_tags"',
		classify: (groups, facts) => dropping(facts, tableOf(groups), () => true, { change: 'dropTable', table: tableOf(groups) }),
	},
	{
		kind: 'renameTable',
		pattern: pattern(`${ALTER_TABLE}RENAME TO (?<to>${IDENT})$`),
		example: 'ALTER TABLE "post" RENAME TO "article"',
		classify: groups => on(tableOf(groups), 'ACCESS EXCLUSIVE', 'catalog', { change: { change: 'renameTable', table: tableOf(groups), to: identifierName(groups.to!) } }),
	},
	{
		kind: 'renameView',
		pattern: pattern(String.raw`^ALTER (?:MATERIALIZED )?VIEW (?:IF EXISTS )?${T} RENAME TO ${IDENT}$`),
		example: 'ALTER VIEW "post_stats" RENAME TO "article_stats"',
		classify: groups => on(tableOf(groups), 'ACCESS EXCLUSIVE', 'catalog'),
	},
	{
		kind: 'addColumn',
		pattern: pattern(`${ALTER_TABLE}ADD (?:COLUMN )?(?!(?:CONSTRAINT|UNIQUE|PRIMARY|FOREIGN|CHECK|EXCLUDE)\\b)(?<definition>.+)$`),
		example: 'ALTER TABLE "post" ADD "slug" text NOT NULL',
		classify: groups => {
			const table = tableOf(groups)
			const definition = groups.definition!
			const column = columnDefinition(definition)
			if (!column || splitTopLevel(definition).length > 1 || references.test(column.rest)) return undefined
			const defaultValue = /(?<!\bBY )\bDEFAULT\s+(.+?)(?=\s+(?:NOT|NULL|PRIMARY|UNIQUE|CHECK|GENERATED|COLLATE)\b|$)/is.exec(column.rest)?.[1]
			// PostgreSQL 11+ stores a constant default without touching the rows; an identity or a volatile default fills every row
			const rewrites = /\bGENERATED\b/i.test(column.rest) || (defaultValue !== undefined && !isLiteral(defaultValue))
			// NOT NULL without a default fails on the first row, and an inline key builds an index: both read the table
			const scans = /\b(?:NOT NULL|PRIMARY KEY|UNIQUE|CHECK)\b/i.test(column.rest) && defaultValue === undefined
			return on(table, 'ACCESS EXCLUSIVE', rewrites ? 'rewrite' : scans ? 'scan' : 'catalog', {
				change: { change: 'addColumn', table, column: column.column, facts: column.facts },
				...(scans && !rewrites ? { note: 'NOT NULL without a value fails as soon as the table has a row' } : {}),
			})
		},
	},
	{
		kind: 'dropColumn',
		pattern: pattern(`${ALTER_TABLE}DROP (?:COLUMN )?(?!CONSTRAINT\\b)(?:IF EXISTS )?(?<column>${IDENT})$`),
		example: 'ALTER TABLE "post" DROP "author_id"',
		classify: (groups, facts) => {
			const column = identifierName(groups.column!)
			return dropping(facts, tableOf(groups), it => it.column === column, { change: 'dropColumn', table: tableOf(groups), column })
		},
	},
	{
		kind: 'renameColumn',
		pattern: pattern(`${ALTER_TABLE}RENAME (?:COLUMN )?(?!(?:TO|CONSTRAINT)\\b)(?<column>${IDENT}) TO (?<to>${IDENT})$`),
		example: 'ALTER TABLE "post" RENAME "title" TO "headline"',
		classify: groups => on(tableOf(groups), 'ACCESS EXCLUSIVE', 'catalog', {
			change: { change: 'renameColumn', table: tableOf(groups), column: identifierName(groups.column!), to: identifierName(groups.to!) },
		}),
	},
	{
		kind: 'alterColumn',
		pattern: pattern(`${ALTER_TABLE}(?<actions>ALTER .+)$`),
		example: 'ALTER TABLE "post" ALTER "title" SET NOT NULL',
		classify: (groups, facts) => {
			const table = tableOf(groups)
			const actions = classifyColumnActions(table, groups.actions!, facts)
			if (!actions) return undefined
			const changes = actions.flatMap(it => (it.change ? [it.change] : []))
			const notes = actions.flatMap(it => (it.note ? [it.note] : []))
			return {
				...on(table, 'ACCESS EXCLUSIVE', actions.reduce<StatementEffect>((effect, it) => heavierEffect(effect, it.effect), 'catalog')),
				actions: actions.map(it => it.kind),
				...(changes.length === 1 ? { change: changes[0] } : {}), // strata re-types one column per statement
				...(notes.length ? { note: notes.join('; ') } : {}),
			}
		},
	},
	{
		kind: 'addForeignKey',
		pattern: pattern(`${ALTER_TABLE}ADD ${CONSTRAINT_NAME}FOREIGN KEY \\((?<columns>[^)]*)\\) REFERENCES (?<target>${IDENT})\\s*\\([^)]*\\)(?<options>.*)$`),
		example: 'ALTER TABLE "post" ADD FOREIGN KEY ("author_id") REFERENCES "author"("id") ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE',
		classify: groups => {
			const table = tableOf(groups)
			const target = identifierName(groups.target!)
			const notValid = /\bNOT VALID\s*$/i.test(groups.options!)
			return {
				tables: locks([table, 'SHARE ROW EXCLUSIVE'], [target, 'SHARE ROW EXCLUSIVE']),
				effect: notValid ? 'catalog' : 'scan', transactional: true,
				change: { change: 'addForeignKey', table, foreignKey: { column: identifierNames(groups.columns!)[0]!, toTable: target } },
			}
		},
	},
	{
		kind: 'addUnique',
		pattern: pattern(`${ALTER_TABLE}ADD ${CONSTRAINT_NAME}UNIQUE (?:NULLS (?:NOT )?DISTINCT )?\\([^)]*\\)(?: DEFERRABLE| INITIALLY (?:DEFERRED|IMMEDIATE)| NOT DEFERRABLE)*$`),
		example: 'ALTER TABLE "post" ADD UNIQUE ("slug")',
		classify: groups => on(tableOf(groups), 'ACCESS EXCLUSIVE', 'scan', { note: 'builds the unique index' }),
	},
	{
		// the online strategy's second half of a unique key: the index was built CONCURRENTLY before
		kind: 'addUniqueUsingIndex',
		pattern: pattern(`${ALTER_TABLE}ADD ${CONSTRAINT_NAME}UNIQUE USING INDEX ${IDENT}(?: DEFERRABLE| INITIALLY (?:DEFERRED|IMMEDIATE)| NOT DEFERRABLE)*$`),
		example: 'ALTER TABLE "author" ADD CONSTRAINT "author_name_key" UNIQUE USING INDEX "author_name_key"',
		classify: groups => on(tableOf(groups), 'ACCESS EXCLUSIVE', 'catalog', { note: 'the index exists (built CONCURRENTLY): no scan' }),
	},
	{
		kind: 'addPrimaryKey',
		pattern: pattern(`${ALTER_TABLE}ADD ${CONSTRAINT_NAME}PRIMARY KEY \\([^)]*\\)$`),
		example: 'ALTER TABLE "post_tags" ADD PRIMARY KEY ("post_id", "tag_id")',
		classify: groups => on(tableOf(groups), 'ACCESS EXCLUSIVE', 'scan', { note: 'builds the index and checks the columns for NULL' }),
	},
	{
		kind: 'addCheck',
		pattern: pattern(`${ALTER_TABLE}ADD ${CONSTRAINT_NAME}CHECK \\(.*\\)(?<notValid> NOT VALID)?$`),
		example: 'ALTER TABLE "post" ADD CHECK ("views" >= 0)',
		classify: groups => on(tableOf(groups), 'ACCESS EXCLUSIVE', groups.notValid ? 'catalog' : 'scan'),
	},
	{
		kind: 'dropConstraint',
		pattern: pattern(`${ALTER_TABLE}DROP CONSTRAINT (?:IF EXISTS )?(?<name>${IDENT})$`),
		example: 'ALTER TABLE "post" DROP CONSTRAINT "post_author_id_fkey"',
		classify: (groups, facts) => {
			const name = identifierName(groups.name!)
			return dropping(facts, tableOf(groups), it => it.name === name, { change: 'dropConstraint', table: tableOf(groups), name })
		},
	},
	{
		kind: 'validateConstraint',
		pattern: pattern(`${ALTER_TABLE}VALIDATE CONSTRAINT (?<name>${IDENT})$`),
		example: 'ALTER TABLE "post" VALIDATE CONSTRAINT "post_author_id_fkey"',
		classify: (groups, facts) => {
			const table = tableOf(groups)
			const name = identifierName(groups.name!)
			// a foreign key's check reads the referenced rows FOR KEY SHARE
			return {
				tables: locks([table, 'SHARE UPDATE EXCLUSIVE'], ...referencedTables(facts, table, it => it.name === name).map(it => [it, 'ROW SHARE'] as const)),
				effect: 'scan', transactional: true,
			}
		},
	},
	{
		kind: 'createIndex',
		pattern: pattern(`^CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?(?:(?!ON\\b|CONCURRENTLY\\b)${IDENT} )?ON (?:ONLY )?${T}(?: USING \\w+)?\\s*\\(.*$`),
		example: 'CREATE INDEX ON "post" ("author_id")',
		classify: groups => on(tableOf(groups), 'SHARE', 'scan', { note: 'reads may go on; writes wait for the build' }),
	},
	{
		kind: 'createIndexConcurrently',
		pattern: pattern(`^CREATE (?:UNIQUE )?INDEX CONCURRENTLY (?:IF NOT EXISTS )?(?:(?!ON\\b)${IDENT} )?ON (?:ONLY )?${T}(?: USING \\w+)?\\s*\\(.*$`),
		example: 'CREATE INDEX CONCURRENTLY ON "post" ("author_id")',
		classify: groups => on(tableOf(groups), 'SHARE UPDATE EXCLUSIVE', 'scan', { transactional: false, note: 'reads and writes go on; the table is scanned twice' }),
	},
	{
		kind: 'dropIndex',
		pattern: pattern(`^DROP INDEX (?:IF EXISTS )?(?<index>${IDENT})$`),
		example: 'DROP INDEX "post_author_id_idx"',
		classify: (groups, facts) => on(indexTable(groups, facts), 'ACCESS EXCLUSIVE', 'catalog'),
	},
	{
		kind: 'dropIndexConcurrently',
		pattern: pattern(`^DROP INDEX CONCURRENTLY (?:IF EXISTS )?(?<index>${IDENT})$`),
		example: 'DROP INDEX CONCURRENTLY "post_author_id_idx"',
		classify: (groups, facts) => on(indexTable(groups, facts), 'SHARE UPDATE EXCLUSIVE', 'catalog', { transactional: false }),
	},
	{
		kind: 'createDomain',
		pattern: pattern(`^CREATE DOMAIN ${IDENT} AS .+$`),
		example: 'CREATE DOMAIN "poststatus" AS text CONSTRAINT "poststatus_check" CHECK (VALUE IN(\'draft\',\'published\'))',
		classify: () => ({ tables: [], effect: 'catalog', transactional: true }),
	},
	{
		kind: 'dropDomain',
		pattern: pattern(`^DROP DOMAIN (?:IF EXISTS )?${IDENT}$`),
		example: 'DROP DOMAIN "poststatus"',
		classify: () => ({ tables: [], effect: 'catalog', transactional: true, note: 'refused while a column uses it' }),
	},
	{
		kind: 'renameDomain',
		pattern: pattern(`^ALTER DOMAIN ${IDENT} RENAME TO ${IDENT}$`),
		example: 'ALTER DOMAIN "poststatus" RENAME TO "poststatus__old"',
		classify: () => ({ tables: [], effect: 'catalog', transactional: true }),
	},
	{
		kind: 'addDomainConstraint',
		pattern: pattern(`^ALTER DOMAIN (?<domain>${IDENT}) ADD ${CONSTRAINT_NAME}CHECK \\(.*\\)(?<notValid> NOT VALID)?$`),
		example: 'ALTER DOMAIN "poststatus" ADD CONSTRAINT poststatus_check CHECK (VALUE IN(\'draft\',\'published\',\'archived\'))',
		classify: (groups, facts) => {
			// the new check is verified against every row of every column of the domain, under SHARE
			const tables = groups.notValid ? [] : facts.tablesUsingDomain(identifierName(groups.domain!))
			return { tables: locks(...tables.map(it => [it, 'SHARE'] as const)), effect: tables.length ? 'scan' : 'catalog', transactional: true }
		},
	},
	{
		kind: 'dropDomainConstraint',
		pattern: pattern(`^ALTER DOMAIN ${IDENT} DROP CONSTRAINT (?:IF EXISTS )?${IDENT}$`),
		example: 'ALTER DOMAIN "poststatus" DROP CONSTRAINT poststatus_check',
		classify: () => ({ tables: [], effect: 'catalog', transactional: true }),
	},
	{
		kind: 'addEnumValue',
		pattern: pattern(`^ALTER TYPE ${IDENT} ADD VALUE .+$`),
		example: 'ALTER TYPE "poststatus" ADD VALUE \'archived\'',
		classify: () => ({
			tables: [], effect: 'catalog', transactional: true,
			note: 'PostgreSQL 12+; before 12 it cannot run in a transaction block, and the new value is usable only after COMMIT',
		}),
	},
	{
		kind: 'createView',
		pattern: pattern(`^CREATE VIEW ${T} AS .+$`),
		example: 'CREATE VIEW "post_stats" AS SELECT "author_id", count(*) AS "posts" FROM "post" GROUP BY "author_id"',
		classify: groups => on(tableOf(groups), 'ACCESS EXCLUSIVE', 'catalog', { note: 'the tables it reads get ACCESS SHARE' }),
	},
	{
		kind: 'replaceView',
		pattern: pattern(`^CREATE OR REPLACE VIEW ${T} AS .+$`),
		example: 'CREATE OR REPLACE VIEW "post_stats" AS SELECT "author_id", count(*) AS "posts" FROM "post" GROUP BY "author_id"',
		classify: groups => on(tableOf(groups), 'ACCESS EXCLUSIVE', 'catalog', { note: 'queries of the view wait; the tables it reads get ACCESS SHARE' }),
	},
	{
		kind: 'dropView',
		pattern: pattern(`^DROP VIEW (?:IF EXISTS )?${T}$`),
		example: 'DROP VIEW "post_stats"',
		classify: groups => on(tableOf(groups), 'ACCESS EXCLUSIVE', 'catalog'),
	},
	{
		kind: 'createMaterializedView',
		pattern: pattern(`^CREATE MATERIALIZED VIEW ${T} AS .+ WITH (?<noData>NO )?DATA$`),
		example: 'CREATE MATERIALIZED VIEW "post_counts" AS SELECT count(*) AS "posts" FROM "post" WITH DATA',
		classify: groups => on(tableOf(groups), 'ACCESS EXCLUSIVE', groups.noData ? 'catalog' : 'data', { note: 'the tables it reads get ACCESS SHARE' }),
	},
	{
		kind: 'dropMaterializedView',
		pattern: pattern(`^DROP MATERIALIZED VIEW (?:IF EXISTS )?${T}$`),
		example: 'DROP MATERIALIZED VIEW "post_counts"',
		classify: groups => on(tableOf(groups), 'ACCESS EXCLUSIVE', 'catalog'),
	},
	{
		kind: 'update',
		pattern: pattern(`^UPDATE (?:ONLY )?${T} SET .+$`),
		example: 'UPDATE "post" SET "slug" = \'untitled\' WHERE "slug" IS NULL',
		classify: groups => on(tableOf(groups), 'ROW EXCLUSIVE', 'data', { note: 'every updated row stays locked against other writers until COMMIT' }),
	},
	{
		kind: 'insertSelect',
		pattern: pattern(`^INSERT INTO ${T} \\([^)]*\\) SELECT .+ FROM (?<source>${IDENT})(?: WHERE .+)?$`),
		example: 'INSERT INTO "post_tags" ("post_id", "tag_id") SELECT "id", "tag_id" FROM "post" WHERE "tag_id" IS NOT NULL',
		classify: (groups, facts) => {
			const table = tableOf(groups)
			// the foreign keys of the new rows are checked with SELECT … FOR KEY SHARE on the referenced tables
			return {
				tables: locks([table, 'ROW EXCLUSIVE'], [identifierName(groups.source!), 'ACCESS SHARE'], ...referencedTables(facts, table).map(it => [it, 'ROW SHARE'] as const)),
				effect: 'data', transactional: true, note: 'the new rows\' foreign keys are checked with FOR KEY SHARE on the referenced tables',
			}
		},
	},
	{
		kind: 'setConstraints',
		pattern: pattern('^SET CONSTRAINTS ALL (?:IMMEDIATE|DEFERRED)$'),
		example: 'SET CONSTRAINTS ALL IMMEDIATE',
		classify: () => ({ tables: [], effect: 'none', transactional: true, note: 'runs the deferred constraint checks now' }),
	},
]

/** the first table a statement of no known shape seems to name, for the reviewer; `?` when none */
const guessTable = (text: string): string =>
	identifierNames(new RegExp(String.raw`\b(?:TABLE|ON|INTO|UPDATE|VIEW|FROM)\s+(?:ONLY\s+|IF\s+(?:NOT\s+)?EXISTS\s+)?(${IDENT})`, 'i').exec(text)?.[1] ?? '')[0] ?? '?'

const unknownStatement = (text: string): ClassifiedStatement => ({
	kind: 'unknown',
	tables: [{ table: guessTable(text), lock: 'ACCESS EXCLUSIVE' }],
	effect: 'unknown',
	transactional: false,
	note: 'not a statement shape strata generates: assumed to take ACCESS EXCLUSIVE, to rewrite, and to need its own transaction handling',
})

/** classifies one statement; `facts` is the catalog it meets (without it, re-types rewrite and referenced tables of drops are not known) */
export const classifyStatement = (sql: string, facts: CatalogFacts = noCatalogFacts): ClassifiedStatement => {
	const text = statementText(sql)
	for (const shape of statementShapes) {
		const match = shape.pattern.exec(text)
		if (!match) continue
		const classified = shape.classify(match.groups ?? {}, facts)
		return classified ? { kind: shape.kind, ...classified } : unknownStatement(text)
	}
	return unknownStatement(text)
}
