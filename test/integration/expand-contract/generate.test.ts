/**
 * migrations:diff --expand-contract against PostgreSQL, for each kind of change it splits: the
 * pair is written from a scratch project, the expand runs, then an "old" client using only the
 * old names and a "new" client using only the new names write and read in turn and see each
 * other's writes; the contract runs and only the new shape remains, with no drift at any point.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type pg from 'pg'
import { describe, expect, it } from 'vitest'
import { detectProjectDrift, executeProject, loadProject } from '../../../src/api/index.js'
import { useTestDatabase } from '../../helpers/database.js'
import { DevProject, entity, ok, schemaOf } from '../dev/project.js'

const db = useTestDatabase('expand_contract_generate')

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

interface Scratch {
	readonly project: DevProject
	readonly client: pg.Client
	readonly url: string
	/** executes the migrations up to the named one (its name without .json) */
	execute(until: string): Promise<void>
	drift(): Promise<string[]>
	/** writes the pair for the declared change; returns [expand, contract] names */
	pair(label: string, ...flags: string[]): [string, string]
}

const scratch = async (label: string, initial: ReturnType<typeof schemaOf>, rows: string): Promise<Scratch> => {
	const database = await db.fresh(label)
	const client = await database.client()
	const project = new DevProject(database.url)
	project.declare(initial)
	ok(project.runOffline('migrations:diff', 'init', '--yes'))
	const execute = async (until: string) => {
		await executeProject({ project: await loadProject({ cwd: project.root }), database: database.url, until })
	}
	await execute(project.migrationNames()[0]!)
	await client.query(rows)
	return {
		project, client, url: database.url, execute,
		drift: async () => {
			const drift = await detectProjectDrift({ project: await loadProject({ cwd: project.root }), database: database.url })
			return drift.inSync ? [] : drift.items.map(it => JSON.stringify(it))
		},
		pair: (name, ...flags) => {
			const result = ok(project.runOffline('migrations:diff', name, '--yes', '--expand-contract', ...flags))
			expect(result.stderr + result.stdout).toContain('Contember cannot run')
			const names = project.migrationNames().slice(-2)
			expect(names[0]).toMatch(new RegExp(`-${name}-expand$`))
			expect(names[1]).toMatch(new RegExp(`-${name}-contract$`))
			expect(names[0]! < names[1]!).toBe(true)
			for (const [phase, file] of [['expand', names[0]!], ['contract', names[1]!]] as const) {
				const content = project.read(file) as { strata?: { expandContract?: unknown; extensions?: unknown } }
				expect(content.strata?.expandContract).toEqual({ phase, pair: name })
				expect(content.strata?.extensions).toEqual(['executeSql'])
			}
			return names as [string, string]
		},
	}
}

const columnsOf = async (client: pg.Client, table: string) =>
	(await client.query<{ column_name: string; is_nullable: string }>(`SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = $1 ORDER BY column_name`, [table])).rows
		.map(row => `${row.column_name}${row.is_nullable === 'NO' ? ' NOT NULL' : ''}`)

/** what strata left behind: triggers, functions, checks, views commented `strata compatibility` */
const compatibilityObjects = async (client: pg.Client) =>
	(await client.query<{ name: string }>(`
		SELECT tgname::text AS name FROM pg_trigger WHERE NOT tgisinternal
		UNION ALL SELECT proname::text FROM pg_proc WHERE proname LIKE 'strata\\_%'
		UNION ALL SELECT conname::text FROM pg_constraint WHERE contype = 'c' AND conname LIKE 'strata\\_%'
		UNION ALL SELECT relname::text FROM pg_class WHERE relkind = 'v' AND obj_description(oid, 'pg_class') LIKE 'strata compatibility%'
		ORDER BY 1`)).rows.map(row => row.name)

const value = async (client: pg.Client, sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows[0]

describe('migrations:diff --expand-contract on PostgreSQL', () => {
	it('a field rename: both names work between expand and contract, only the new one after', async () => {
		const s = await scratch('rename_field', schemaOf(entity('Post', { title: {}, body: {} })), `INSERT INTO post (id, title, body) VALUES ('${ID(1)}', 'first', 'b')`)
		s.project.declare(schemaOf(entity('Post', { headline: {}, body: {} })))
		const [expand, contract] = s.pair('rename-title', '--rename', 'Post.title:headline')
		await s.execute(expand)
		expect(await s.drift()).toEqual([])
		const { client } = s
		expect(await value(client, `SELECT headline FROM post WHERE id = $1`, [ID(1)])).toEqual({ headline: 'first' })
		// old client writes the old name, new client reads the new one, and the other way round
		await client.query(`INSERT INTO post (id, title) VALUES ($1, 'old insert')`, [ID(2)])
		expect(await value(client, `SELECT headline FROM post WHERE id = $1`, [ID(2)])).toEqual({ headline: 'old insert' })
		await client.query(`INSERT INTO post (id, headline) VALUES ($1, 'new insert')`, [ID(3)])
		expect(await value(client, `SELECT title FROM post WHERE id = $1`, [ID(3)])).toEqual({ title: 'new insert' })
		await client.query(`UPDATE post SET title = 'old update' WHERE id = $1`, [ID(3)])
		expect(await value(client, `SELECT headline FROM post WHERE id = $1`, [ID(3)])).toEqual({ headline: 'old update' })
		await client.query(`UPDATE post SET headline = 'new update' WHERE id = $1`, [ID(2)])
		expect(await value(client, `SELECT title FROM post WHERE id = $1`, [ID(2)])).toEqual({ title: 'new update' })
		expect(await compatibilityObjects(client)).toEqual(['strata_sync_post_title', 'strata_sync_post_title'])

		await s.execute(contract)
		expect(await columnsOf(client, 'post')).toEqual(['body', 'headline', 'id NOT NULL'])
		expect(await compatibilityObjects(client)).toEqual([])
		expect((await client.query(`SELECT headline FROM post ORDER BY id`)).rows.map(row => row.headline)).toEqual(['first', 'new update', 'old update'])
		expect(await s.drift()).toEqual([])
	}, 60_000)

	it('a new NOT NULL column: the old application inserts without it, the contract sets NOT NULL', async () => {
		const s = await scratch('new_not_null', schemaOf(entity('Post', { title: {} })), `INSERT INTO post (id, title) VALUES ('${ID(1)}', 'first')`)
		s.project.declare(schemaOf(entity('Post', { title: {}, status: { nullable: false } })))
		const [expand, contract] = s.pair('add-status', '--fill', 'Post.status=draft')
		await s.execute(expand)
		expect(await s.drift()).toEqual([])
		const { client } = s
		expect(await columnsOf(client, 'post')).toEqual(['id NOT NULL', 'status', 'title'])
		expect(await value(client, `SELECT status FROM post WHERE id = $1`, [ID(1)])).toEqual({ status: 'draft' })
		await client.query(`INSERT INTO post (id, title) VALUES ($1, 'old insert')`, [ID(2)])
		expect(await value(client, `SELECT status FROM post WHERE id = $1`, [ID(2)])).toEqual({ status: 'draft' })
		await client.query(`INSERT INTO post (id, title, status) VALUES ($1, 'new insert', 'live')`, [ID(3)])
		expect(await value(client, `SELECT title, status FROM post WHERE id = $1`, [ID(3)])).toEqual({ title: 'new insert', status: 'live' })
		await client.query(`UPDATE post SET title = 'old update' WHERE id = $1`, [ID(3)])
		expect(await value(client, `SELECT status FROM post WHERE id = $1`, [ID(3)])).toEqual({ status: 'live' })
		expect(await compatibilityObjects(client)).toEqual(['strata_fill_post_status', 'strata_fill_post_status', 'strata_notnull_post_status'])

		await s.execute(contract)
		expect(await columnsOf(client, 'post')).toEqual(['id NOT NULL', 'status NOT NULL', 'title'])
		expect(await compatibilityObjects(client)).toEqual([])
		await expect(client.query(`INSERT INTO post (id, title) VALUES ($1, 'x')`, [ID(4)])).rejects.toThrow(/null value/)
		expect(await s.drift()).toEqual([])
	}, 60_000)

	it('a nullable column made NOT NULL: NULLs written by the old application become the fill value', async () => {
		const s = await scratch('make_not_null', schemaOf(entity('Post', { title: {} })), `INSERT INTO post (id, title) VALUES ('${ID(1)}', NULL)`)
		s.project.declare(schemaOf(entity('Post', { title: { nullable: false } })))
		const [expand, contract] = s.pair('require-title', '--fill', 'Post.title=untitled')
		await s.execute(expand)
		expect(await s.drift()).toEqual([])
		const { client } = s
		expect(await value(client, `SELECT title FROM post WHERE id = $1`, [ID(1)])).toEqual({ title: 'untitled' })
		await client.query(`INSERT INTO post (id) VALUES ($1)`, [ID(2)])
		await client.query(`UPDATE post SET title = NULL WHERE id = $1`, [ID(1)])
		expect((await client.query(`SELECT title FROM post ORDER BY id`)).rows.map(row => row.title)).toEqual(['untitled', 'untitled'])
		await s.execute(contract)
		expect(await columnsOf(client, 'post')).toEqual(['id NOT NULL', 'title NOT NULL'])
		expect(await compatibilityObjects(client)).toEqual([])
		expect(await s.drift()).toEqual([])
	}, 60_000)

	it('a table rename: the old name is an updatable view until the contract', async () => {
		const s = await scratch('rename_table', schemaOf(entity('Post', { title: {} })), `INSERT INTO post (id, title) VALUES ('${ID(1)}', 'first')`)
		s.project.declare(schemaOf(entity('Article', { title: {} })))
		const [expand, contract] = s.pair('rename-post', '--rename', 'Post:Article')
		await s.execute(expand)
		expect(await s.drift()).toEqual([])
		const { client } = s
		await client.query(`INSERT INTO post (id, title) VALUES ($1, 'old insert')`, [ID(2)])
		expect(await value(client, `SELECT title FROM article WHERE id = $1`, [ID(2)])).toEqual({ title: 'old insert' })
		await client.query(`INSERT INTO article (id, title) VALUES ($1, 'new insert')`, [ID(3)])
		expect(await value(client, `SELECT title FROM post WHERE id = $1`, [ID(3)])).toEqual({ title: 'new insert' })
		await client.query(`UPDATE post SET title = 'old update' WHERE id = $1`, [ID(3)])
		expect(await value(client, `SELECT title FROM article WHERE id = $1`, [ID(3)])).toEqual({ title: 'old update' })
		expect(await compatibilityObjects(client)).toEqual(['post'])
		await s.execute(contract)
		expect(await compatibilityObjects(client)).toEqual([])
		expect(await columnsOf(client, 'post')).toEqual([])
		expect(await columnsOf(client, 'article')).toEqual(['id NOT NULL', 'title'])
		expect(await s.drift()).toEqual([])
	}, 60_000)

	it('a type change: the temporary column of the new type is kept in step, then takes the old name', async () => {
		const s = await scratch('retype', schemaOf(entity('Post', { votes: { type: 'Integer' } })), `INSERT INTO post (id, votes) VALUES ('${ID(1)}', 7), ('${ID(2)}', NULL)`)
		s.project.declare(schemaOf(entity('Post', { votes: { type: 'String' } })))
		const [expand, contract] = s.pair('votes-text')
		await s.execute(expand)
		expect(await s.drift()).toEqual([])
		const { client } = s
		expect((await client.query(`SELECT votes_next FROM post ORDER BY id`)).rows).toEqual([{ votes_next: '7' }, { votes_next: null }])
		await client.query(`INSERT INTO post (id, votes) VALUES ($1, 3)`, [ID(3)])
		expect(await value(client, `SELECT votes_next FROM post WHERE id = $1`, [ID(3)])).toEqual({ votes_next: '3' })
		await client.query(`INSERT INTO post (id, votes_next) VALUES ($1, '4')`, [ID(4)])
		expect(await value(client, `SELECT votes FROM post WHERE id = $1`, [ID(4)])).toEqual({ votes: 4 })
		await client.query(`UPDATE post SET votes = 8 WHERE id = $1`, [ID(1)])
		expect(await value(client, `SELECT votes_next FROM post WHERE id = $1`, [ID(1)])).toEqual({ votes_next: '8' })
		await client.query(`UPDATE post SET votes_next = '9' WHERE id = $1`, [ID(2)])
		expect(await value(client, `SELECT votes FROM post WHERE id = $1`, [ID(2)])).toEqual({ votes: 9 })
		expect(await compatibilityObjects(client)).toEqual(['strata_retype_post_votes', 'strata_retype_post_votes'])

		await s.execute(contract)
		expect(await columnsOf(client, 'post')).toEqual(['id NOT NULL', 'votes'])
		expect((await client.query(`SELECT votes FROM post ORDER BY id`)).rows.map(row => row.votes)).toEqual(['8', '9', '3', '4'])
		expect(await compatibilityObjects(client)).toEqual([])
		expect(await s.drift()).toEqual([])
	}, 60_000)

	it('a type change with --using: the conversion of the row fills the new column, in the backfill and in the trigger', async () => {
		const s = await scratch('retype_using', schemaOf(entity('Post', { votes: { type: 'Integer' } })), `INSERT INTO post (id, votes) VALUES ('${ID(1)}', 7)`)
		s.project.declare(schemaOf(entity('Post', { votes: { type: 'Uuid' } })))
		const [expand, contract] = s.pair('votes-uuid', '--using', 'Post.votes=md5("votes"::text)::uuid')
		await s.execute(expand)
		const { client } = s
		await client.query(`INSERT INTO post (id, votes) VALUES ($1, 3)`, [ID(2)])
		const md5 = async (text: string) => (await value(client, `SELECT md5($1)::uuid::text AS v`, [text])).v
		expect((await client.query(`SELECT votes_next::text AS v FROM post ORDER BY id`)).rows.map(row => row.v)).toEqual([await md5('7'), await md5('3')])
		await s.execute(contract)
		expect((await client.query(`SELECT votes::text AS v FROM post ORDER BY id`)).rows.map(row => row.v)).toEqual([await md5('7'), await md5('3')])
		expect(await s.drift()).toEqual([])
	}, 60_000)

	it('a removal: expand leaves the column (made nullable), contract drops it', async () => {
		const s = await scratch('remove_field', schemaOf(entity('Post', { title: {}, body: { nullable: false } })), `INSERT INTO post (id, title, body) VALUES ('${ID(1)}', 'first', 'b')`)
		s.project.declare(schemaOf(entity('Post', { title: {} })))
		const result = ok(s.project.runOffline('migrations:diff', 'drop-body', '--yes', '--expand-contract'))
		expect(result.stdout).toContain('drop-body-contract')
		const [expand, contract] = s.project.migrationNames().slice(-2) as [string, string]
		await s.execute(expand)
		expect(await s.drift()).toEqual([])
		const { client } = s
		await client.query(`INSERT INTO post (id, title, body) VALUES ($1, 'old insert', 'b2')`, [ID(2)])
		await client.query(`INSERT INTO post (id, title) VALUES ($1, 'new insert')`, [ID(3)])
		expect(await columnsOf(client, 'post')).toEqual(['body', 'id NOT NULL', 'title'])
		await s.execute(contract)
		expect(await columnsOf(client, 'post')).toEqual(['id NOT NULL', 'title'])
		expect(await s.drift()).toEqual([])
	}, 60_000)

	it('a backward compatible change is written as one ordinary migration', async () => {
		const s = await scratch('compatible', schemaOf(entity('Post', { title: {} })), 'SELECT 1')
		s.project.declare(schemaOf(entity('Post', { title: {}, note: {} })))
		const result = ok(s.project.runOffline('migrations:diff', 'add-note', '--yes', '--expand-contract'))
		expect(result.stdout).toContain('backward compatible')
		const names = s.project.migrationNames()
		expect(names).toHaveLength(2)
		expect(names[1]).toMatch(/-add-note$/)
		expect((s.project.read(names[1]!) as { strata?: unknown }).strata).toBeUndefined()
	}, 60_000)

	it('config expandContract: true is the default; --json --dry-run shows the pair, --no-expand-contract writes one file', async () => {
		const s = await scratch('config_default', schemaOf(entity('Post', { title: {} })), 'SELECT 1')
		writeFileSync(join(s.project.root, 'strata.config.json'), `${JSON.stringify({ expandContract: true })}\n`)
		s.project.declare(schemaOf(entity('Post', { headline: {} })))
		const dry = ok(s.project.runOffline('migrations:diff', 'rename-title', '--yes', '--json', '--dry-run', '--rename', 'Post.title:headline'))
		const json = JSON.parse(dry.stdout) as { pair: { phase: string; path: string | null; strata: unknown; modifications: { modification: string }[] }[] }
		expect(json.pair.map(it => [it.phase, it.path, it.modifications.map(m => m.modification)])).toEqual([
			['expand', null, ['createColumn', 'executeSql', 'executeSql']],
			['contract', null, ['executeSql', 'removeField']],
		])
		expect(s.project.migrationNames()).toHaveLength(1)
		ok(s.project.runOffline('migrations:diff', 'rename-title', '--yes', '--no-expand-contract', '--rename', 'Post.title:headline'))
		expect(s.project.migrationNames()).toHaveLength(2)
		expect(s.project.read(s.project.migrationNames()[1]!).modifications.map(it => it.modification)).toEqual(['updateFieldName'])
	}, 60_000)
})
