/**
 * db:drift against real PostgreSQL: the example project's migrations are executed on a fresh
 * database, which must show no drift; then the database is changed by hand and every change
 * must be reported (through the built CLI, as users run it).
 */
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type pg from 'pg'
import { beforeAll, describe, expect, it } from 'vitest'
import { detectDrift, type DetectDriftOptions } from '../../../src/db/drift.js'
import { executeMigrations } from '../../../src/db/executor.js'
import { readMigrations } from '../../../src/migrations/files.js'
import { useTestDatabase } from '../../helpers/database.js'
import { ensureBuilt, looksClean, ROOT, runCli } from '../db/cli.js'

const db = useTestDatabase('drift')
let projectDir = ''

beforeAll(async () => {
	ensureBuilt()
	// a copy, so that a test may edit a migration file after it ran
	projectDir = await mkdtemp(path.join(tmpdir(), 'strata-drift-'))
	await cp(path.join(ROOT, 'migrations'), path.join(projectDir, 'migrations'), { recursive: true })
}, 180_000)

interface Item { kind: string; object: string; expected: string | null; actual: string | null }

/** a fresh database with the example project's migrations executed (ledger in `strata` unless told) */
const executedDatabase = async (label: string, ledgerSchema = 'strata'): Promise<{ url: string; client: pg.Client }> => {
	const target = await db.fresh(label)
	const client = await target.client()
	await executeMigrations(client, await readMigrations(path.join(projectDir, 'migrations')), { ledgerSchema })
	return { url: target.url, client }
}

/** the built CLI (spawning it is slow on a busy machine, so most checks call detectDrift directly) */
const drift = async (url: string, args: readonly string[] = []) => {
	const result = await runCli(['db:drift', '--database-url', url, ...args], { cwd: projectDir })
	expect(looksClean(result.stdout + result.stderr), result.stdout + result.stderr).toBe(true)
	return result
}

/** the items as `--json` prints them */
const driftItems = async (client: pg.Client, options: DetectDriftOptions = {}): Promise<Item[]> =>
	(await detectDrift(client, { migrationsDir: path.join(projectDir, 'migrations'), ...options })).items
		.map(({ kind, object, expected, actual }) => ({ kind, object, expected, actual }))

describe('db:drift', () => {
	it('finds no drift right after the migrations ran', async () => {
		const { url, client } = await executedDatabase('clean')
		expect(await driftItems(client)).toEqual([])
		expect(await driftItems(client, { source: 'files' })).toEqual([])
		const text = await drift(url, ['--check'])
		expect(text.code).toBe(0)
		expect(text.stdout).toContain('No drift: the database matches the executed migrations.')
		expect(text.stderr).toContain('the schema of 5 executed migrations (up to 2026-11-18-113000-profile-twitter), replayed from the content stored in strata.migrations')
	})

	it('reports a dropped column, an added table, a changed nullability, a dropped foreign key and an altered enum', async () => {
		const { url, client } = await executedDatabase('altered')
		await client.query(`ALTER TABLE "post" DROP COLUMN "lead"`)
		await client.query(`CREATE TABLE "audit_log" ("id" serial PRIMARY KEY, "note" text)`)
		await client.query(`ALTER TABLE "author" ALTER COLUMN "bio" SET NOT NULL`)
		await client.query(`ALTER TABLE "post" DROP CONSTRAINT "post_author_id_fkey"`)
		await client.query(`ALTER DOMAIN "PostStatus" DROP CONSTRAINT "poststatus_check"`)
		await client.query(`ALTER DOMAIN "PostStatus" ADD CONSTRAINT "poststatus_check" CHECK (VALUE IN ('draft', 'published', 'it''s'))`)

		const expected = [
			{ kind: 'missingColumn', object: 'post.lead', expected: 'text', actual: null },
			{ kind: 'extraTable', object: 'audit_log', expected: null, actual: 'table with 2 column(s)' },
			{ kind: 'columnNullability', object: 'author.bio', expected: 'NULL', actual: 'NOT NULL' },
			{ kind: 'missingForeignKey', object: 'post(author_id) → author(id)', expected: 'on delete cascade', actual: null },
			{ kind: 'enumValues', object: 'enum PostStatus', expected: 'draft, review, published, archived', actual: "draft, published, it's" },
		]
		const items = await driftItems(client)
		expect(items).toEqual(expect.arrayContaining(expected))
		expect(items).toHaveLength(5)

		// without --check drift is reported and the exit code is 0; with it, 3 (text and JSON alike)
		const text = await drift(url)
		expect(text.code).toBe(0)
		expect(text.stdout).toContain('Drift: 5 differences')
		expect(text.stdout).toMatch(/missing column\s+post\.lead\s+expected text, absent/)
		expect(text.stdout).toMatch(/extra table\s+audit_log\s+actual table with 2 column\(s\)/)
		expect(text.stdout).toMatch(/nullability\s+author\.bio\s+expected NULL, actual NOT NULL/)
		expect(text.stdout).toMatch(/missing foreign key\s+post\(author_id\) → author\(id\)/)
		expect(text.stdout).toMatch(/enum values\s+enum PostStatus/)
		const checkJson = await drift(url, ['--check', '--json'])
		expect(checkJson.code).toBe(3)
		const document = JSON.parse(checkJson.stdout)
		expect(document.inSync).toBe(false)
		expect(document.ignored).toEqual([])
		expect(document.items).toEqual(items.map(item => ({ ...item, direction: item.kind.startsWith('missing') ? 'missing' : item.kind.startsWith('extra') ? 'extra' : 'mismatch' })))
		expect(document.items.map((item: { direction: string }) => item.direction).sort()).toEqual(['extra', 'mismatch', 'mismatch', 'missing', 'missing'])
	})

	it('reports type changes, on-delete changes, uniques, indexes, views and extra domains', async () => {
		const { client } = await executedDatabase('keys')
		await client.query(`ALTER TABLE "post" ALTER COLUMN "reading_minutes" TYPE numeric(10, 2)`)
		await client.query(`ALTER TABLE "comment" DROP CONSTRAINT "comment_post_id_fkey"`)
		await client.query(`ALTER TABLE "comment" ADD FOREIGN KEY ("post_id") REFERENCES "post"("id") ON DELETE SET NULL`)
		await client.query(`ALTER TABLE "author" DROP CONSTRAINT "author_email_key"`)
		await client.query(`CREATE INDEX ON "post" ("title")`)
		await client.query(`CREATE UNIQUE INDEX ON "tag" ("id", "name")`)
		await client.query(`DROP INDEX "comment_post_id_idx"`)
		await client.query(`CREATE VIEW "recent_post" AS SELECT "id" FROM "post"`)
		await client.query(`CREATE DOMAIN "Mood" AS text CHECK (VALUE IN ('calm', 'busy'))`)

		const items = await driftItems(client)
		expect(items).toEqual(expect.arrayContaining([
			{ kind: 'columnType', object: 'post.reading_minutes', expected: 'integer', actual: 'numeric(10,2)' },
			{ kind: 'foreignKeyOnDelete', object: 'comment(post_id) → post(id)', expected: 'on delete cascade', actual: 'on delete set null' },
			{ kind: 'missingUnique', object: 'author(email)', expected: 'unique on (email)', actual: null },
			{ kind: 'extraIndex', object: 'post(title)', expected: null, actual: 'index on (title)' },
			{ kind: 'extraUnique', object: 'tag(id, name)', expected: null, actual: 'unique on (id, name)' },
			{ kind: 'missingIndex', object: 'comment(post_id)', expected: 'index on (post_id)', actual: null },
			{ kind: 'extraView', object: 'recent_post', expected: null, actual: 'view' },
			{ kind: 'extraEnum', object: 'enum Mood', expected: null, actual: 'calm, busy' },
		]))
		expect(items).toHaveLength(8)
	})

	it('reports a dropped table, a missing primary key and a missing domain', async () => {
		const { client } = await executedDatabase('dropped')
		await client.query(`DROP TABLE "post_tags"`)
		await client.query(`ALTER TABLE "tag" DROP CONSTRAINT "tag_pkey" CASCADE`)
		await client.query(`ALTER TABLE "post" ALTER COLUMN "status" TYPE text`)
		await client.query(`DROP DOMAIN "PostStatus"`)
		const items = await driftItems(client)
		expect(items).toEqual(expect.arrayContaining([
			{ kind: 'missingTable', object: 'post_tags', expected: 'table with 2 column(s)', actual: null },
			{ kind: 'primaryKey', object: 'tag', expected: 'primary key (id)', actual: 'no primary key' },
			{ kind: 'columnType', object: 'post.status', expected: '"PostStatus"', actual: 'text' },
			{ kind: 'missingEnum', object: 'enum PostStatus', expected: 'draft, review, published, archived', actual: null },
		]))
		// the keys of a missing table are not reported once more
		expect(items.filter(item => item.object.startsWith('post_tags'))).toHaveLength(1)
		expect(items).toHaveLength(4)
	})

	it('--ignore leaves out tables and columns matched by glob', async () => {
		const { url, client } = await executedDatabase('ignore')
		await client.query(`CREATE TABLE "audit_log" ("id" integer)`)
		await client.query(`CREATE TABLE "audit_trail" ("id" integer)`)
		await client.query(`ALTER TABLE "post" ADD COLUMN "legacy_body" text`)
		await client.query(`ALTER TABLE "post" ADD COLUMN "legacy_flags" integer`)
		await client.query(`ALTER TABLE "post" DROP CONSTRAINT "post_slug_key"`)
		await client.query(`ALTER TABLE "post" ALTER COLUMN "slug" DROP NOT NULL`)

		const objects = async (ignore: string[]) => (await driftItems(client, { ignore })).map(item => item.object).sort()
		expect(await objects([])).toEqual(['audit_log', 'audit_trail', 'post(slug)', 'post.legacy_body', 'post.legacy_flags', 'post.slug'])
		expect(await objects(['audit_*'])).toEqual(['post(slug)', 'post.legacy_body', 'post.legacy_flags', 'post.slug'])
		// a column pattern also covers the keys on that column
		expect(await objects(['audit_*', 'post.legacy_*', 'post.slug'])).toEqual([])
		// `*` stays within one name: `post.*` covers the columns of post, `audit*` no column
		expect(await objects(['post.*'])).toEqual(['audit_log', 'audit_trail'])
		expect(await objects(['audit?log'])).toEqual(['audit_trail', 'post(slug)', 'post.legacy_body', 'post.legacy_flags', 'post.slug'])

		const all = await drift(url, ['--check', '--ignore', 'audit_*', '--ignore', 'post'])
		expect(all.code).toBe(0)
		expect(all.stdout).toContain('No drift: the database matches the executed migrations (6 ignored, listed below).')
		// every ignored object is named, not only counted
		for (const object of ['audit_log', 'audit_trail', 'post(slug)', 'post.legacy_body', 'post.legacy_flags', 'post.slug']) expect(all.stdout).toContain(object)
		expect(all.stdout).toContain('Ignored (--ignore audit_* post):')
		const some = await drift(url, ['--check', '--json', '--ignore', 'audit_log', '--ignore', 'post.legacy_*'])
		expect(some.code).toBe(3)
		const document = JSON.parse(some.stdout) as { inSync: boolean; items: Item[]; ignored: Item[] }
		expect(document.inSync).toBe(false)
		expect(document.items.map(item => item.object).sort()).toEqual(['audit_trail', 'post(slug)', 'post.slug'])
		expect(document.ignored.map(item => item.object).sort()).toEqual(['audit_log', 'post.legacy_body', 'post.legacy_flags'])
	})

	it('compares index definitions, not names: another method on the same columns is reported, a renamed index is not', async () => {
		const { client } = await executedDatabase('definitions')
		const index = (await client.query<{ name: string }>(`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'post' AND indexdef LIKE '%(author_id)%'`)).rows[0]!.name
		await client.query(`ALTER INDEX "${index}" RENAME TO "renamed_by_hand"`)
		expect(await driftItems(client)).toEqual([])
		await client.query(`DROP INDEX "renamed_by_hand"`)
		await client.query(`CREATE INDEX "post_author_hash" ON "post" USING hash ("author_id")`)
		expect(await driftItems(client)).toEqual([
			{ kind: 'indexDefinition', object: 'post(author_id)', expected: '(author_id)', actual: 'USING hash (author_id)' },
		])
	})

	it('compares unique definitions; leaves out what a schema cannot declare; a native enum with the same values is the enum', async () => {
		const { client } = await executedDatabase('declarable')
		// the enum domain replaced by a native enum type with the same values, as an adopted database may have it
		await client.query(`ALTER TABLE "post" ALTER COLUMN "status" TYPE text`)
		await client.query(`DROP DOMAIN "PostStatus"`)
		await client.query(`CREATE TYPE "PostStatus" AS ENUM ('draft', 'review', 'published', 'archived')`)
		await client.query(`ALTER TABLE "post" ALTER COLUMN "status" TYPE "PostStatus" USING "status"::"PostStatus"`)
		// objects outside the declared schema's reach: an expression index, a partial unique index
		await client.query(`CREATE INDEX "post_lower_title" ON "post" (lower("title"))`)
		await client.query(`CREATE UNIQUE INDEX "post_one_draft_slug" ON "post" ("slug") WHERE "status" = 'draft'`)
		expect(await driftItems(client)).toEqual([])

		await client.query(`ALTER TYPE "PostStatus" ADD VALUE 'retracted'`)
		const unique = (await client.query<{ name: string }>(`SELECT conname AS name FROM pg_constraint WHERE conrelid = 'author'::regclass AND contype = 'u'`)).rows[0]!.name
		await client.query(`ALTER TABLE "author" DROP CONSTRAINT "${unique}"`)
		await client.query(`ALTER TABLE "author" ADD CONSTRAINT "renamed_and_deferred" UNIQUE ("email") DEFERRABLE INITIALLY DEFERRED`)
		expect(await driftItems(client)).toEqual([
			{ kind: 'uniqueDefinition', object: 'author(email)', expected: 'unique constraint (email)', actual: 'unique constraint (email) DEFERRABLE INITIALLY DEFERRED' },
			{ kind: 'enumValues', object: 'enum PostStatus', expected: 'draft, review, published, archived', actual: 'draft, review, published, archived, retracted' },
		])
	})

	it('works under a role that can only read', async () => {
		const { url, client } = await executedDatabase('readonly')
		const role = `strata_reader_${process.pid}`
		const database = (await client.query<{ name: string }>('SELECT current_database() AS name')).rows[0]!.name
		await client.query(`DROP ROLE IF EXISTS ${role}`)
		await client.query(`CREATE ROLE ${role} LOGIN PASSWORD 'reader-secret'`)
		try {
			await client.query(`ALTER ROLE ${role} SET default_transaction_read_only = on`)
			await client.query(`GRANT CONNECT ON DATABASE "${database}" TO ${role}`)
			await client.query(`GRANT USAGE ON SCHEMA strata TO ${role}`)
			await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA strata TO ${role}`)
			const readerUrl = new URL(url)
			readerUrl.username = role
			readerUrl.password = 'reader-secret'
			const clean = await drift(readerUrl.toString(), ['--check', '--json'])
			expect(clean.code, clean.stderr).toBe(0)
			expect(JSON.parse(clean.stdout)).toEqual({ inSync: true, items: [], ignored: [] })
			await client.query(`ALTER TABLE "post" DROP COLUMN "lead"`)
			const drifted = await drift(readerUrl.toString(), ['--check'])
			expect(drifted.code).toBe(3)
			expect(drifted.stdout).toContain('post.lead')
			expect(drifted.stdout + drifted.stderr).not.toContain('reader-secret')
		} finally {
			await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA strata FROM ${role}`)
			await client.query(`REVOKE ALL ON SCHEMA strata FROM ${role}`)
			await client.query(`REVOKE ALL ON DATABASE "${database}" FROM ${role}`)
			await client.query(`DROP ROLE ${role}`)
		}
	})

	it('replays the content stored in the ledger; --from files replays the (edited) files', async () => {
		const { url, client } = await executedDatabase('edited')
		const file = path.join(projectDir, 'migrations', '2026-11-14-160000-post-reading-time.json')
		const original = await readFile(file, 'utf8')
		try {
			const edited = JSON.parse(original) as { modifications: { modification: string; field?: { columnType?: string; type?: string } }[] }
			const column = edited.modifications.find(it => it.modification === 'createColumn')!
			column.field = { ...column.field, type: 'Double', columnType: 'double precision' }
			await writeFile(file, `${JSON.stringify(edited, null, '\t')}\n`)
			expect(await driftItems(client)).toEqual([])
			expect(await driftItems(client, { source: 'files' })).toEqual([
				{ kind: 'columnType', object: 'post.reading_minutes', expected: 'double precision', actual: 'integer' },
			])
			const text = await drift(url, ['--from', 'files'])
			expect(text.stderr).toContain('replayed from their files')
			expect(text.stdout).toMatch(/column type\s+post\.reading_minutes\s+expected double precision, actual integer/)
		} finally {
			await writeFile(file, original)
		}
	})

	it('leaves out the ledger tables when the ledger lives in the compared schema', async () => {
		const { client } = await executedDatabase('ledger_public', 'public')
		expect(await driftItems(client, { ledgerSchema: 'public' })).toEqual([])
		// with the ledger looked for elsewhere nothing was executed: every table is extra, the ledger's included
		const objects = (await driftItems(client)).map(item => item.object)
		expect(objects).toEqual(expect.arrayContaining(['migrations', 'ledger_meta', 'post', 'enum PostStatus']))
	})

	it('expects an empty schema when nothing was executed, and reads the schema it is told to', async () => {
		const target = await db.fresh('empty')
		const client = await target.client()
		const empty = await drift(target.url)
		expect(empty.code).toBe(0)
		expect(empty.stderr).toContain('records no executed migrations')
		expect(empty.stdout).toContain('No drift')

		await client.query(`CREATE SCHEMA "app"`)
		await client.query(`CREATE TABLE "app"."thing" ("id" uuid PRIMARY KEY, "at" timestamptz(3), "tags" text[])`)
		expect(await driftItems(client)).toEqual([])
		expect(await driftItems(client, { schemaName: 'app' })).toEqual([
			{ kind: 'extraTable', object: 'thing', expected: null, actual: 'table with 3 column(s)' },
		])
		const cli = await drift(target.url, ['--json', '--db-schema', 'app'])
		expect(JSON.parse(cli.stdout).items).toHaveLength(1)
		const typo = await drift(target.url, ['--db-schema', 'ap'])
		expect(typo.code).toBe(1)
		expect(typo.stderr).toContain('The database has no schema "ap" (it has: app, public)')
	})

	it('fails cleanly (exit 1) with --from files when executed files are gone; the ledger content needs none', async () => {
		const { url } = await executedDatabase('nofiles')
		// a project whose migrations folder lost every file (an empty folder is not a project at all)
		const empty = await mkdtemp(path.join(tmpdir(), 'strata-drift-empty-'))
		await mkdir(path.join(empty, 'migrations'))
		const result = await runCli(['db:drift', '--database-url', url, '--from', 'files'], { cwd: empty })
		expect(result.code).toBe(1)
		expect(result.stderr).toContain('executed migrations 2026-11-02-090000-init, ')
		expect(result.stderr).toContain('have no file in')
		expect(looksClean(result.stderr)).toBe(true)
		const fromLedger = await runCli(['db:drift', '--database-url', url], { cwd: empty })
		expect(fromLedger.code).toBe(0)
		expect(fromLedger.stdout).toContain('No drift')
	})
})
