/**
 * migrations:amend, spawned against real PostgreSQL: the file, the ledger row and the live
 * catalog must agree after every amend (or after every refusal, stay as they were).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { migrationChecksum } from '../../src/migrations/checksum.js'
import { useTestDatabase } from '../helpers/database.js'
import { ok, catalogMismatch, columnsOf, DevProject, entity, ledgerRows, schemaOf } from '../integration/dev/project.js'

/** many spawned CLI runs per test: generous on a loaded machine (no timing is asserted) */
const SLOW = 300_000

const db = useTestDatabase('dev_amend')

const post = (columns: Parameters<typeof entity>[1]) => schemaOf(entity('Post', columns))

/** a project with `init` (Post.title) and `add-body` (Post.body), both executed */
const twoExecuted = async (label: string) => {
	const database = await db.fresh(label)
	const project = new DevProject(database.url)
	project.declare(post({ title: {} }))
	ok(project.run('migrations:diff', 'init', '--yes'))
	project.declare(post({ title: {}, body: {} }))
	ok(project.run('migrations:diff', 'add-body', '--yes'))
	ok(project.run('migrations:execute', '--yes'))
	return { project, client: await database.client() }
}

const checksumOf = (project: DevProject, name: string) => migrationChecksum(project.read(name))

describe('migrations:amend', () => {
	it('folds a further edit into the latest executed migration: file, ledger row and catalog', async () => {
		const { project, client } = await twoExecuted('further')
		const [, addBody] = project.migrationNames()
		const declared = post({ title: {}, body: {}, views: { type: 'Integer' } })
		project.declare(declared)

		const result = project.run('migrations:amend', '--yes')
		expect(result.stderr).not.toMatch(/error/)
		expect(result.code).toBe(0)
		expect(result.stdout).toContain(`Amended ${addBody}`)
		expect(project.migrationNames()).toHaveLength(2)
		expect(project.read(addBody!).modifications.map(it => [it.modification, (it.field as { name: string }).name])).toEqual([
			['createColumn', 'body'],
			['createColumn', 'views'],
		])
		expect(await columnsOf(client, 'post')).toEqual(['body', 'id', 'title', 'views'])
		expect(await catalogMismatch(client, declared)).toEqual([])
		const row = (await ledgerRows(client)).find(it => it.name === addBody)
		expect(row?.checksum).toBe(checksumOf(project, addBody!))
		ok(project.run('migrations:status', '--check'))
		expect(project.run('migrations:amend', '--yes').stdout).toContain('Nothing to do')
	}, SLOW)

	it('reverting the edit empties the migration: --yes needs --remove-empty or --keep-empty', async () => {
		const { project, client } = await twoExecuted('revert')
		const [init, addBody] = project.migrationNames()
		const before = readFileSync(`${project.root}/migrations/${addBody}.json`, 'utf8')
		project.declare(post({ title: {} }))

		const undecided = project.run('migrations:amend', '--yes')
		expect(undecided.code).toBe(1)
		expect(undecided.stderr).toMatch(/--remove-empty/)
		expect(undecided.stderr).toMatch(/--keep-empty/)
		// nothing changed
		expect(readFileSync(`${project.root}/migrations/${addBody}.json`, 'utf8')).toBe(before)
		expect(await columnsOf(client, 'post')).toEqual(['body', 'id', 'title'])

		const removed = project.run('migrations:amend', '--yes', '--remove-empty')
		expect(removed.code).toBe(0)
		expect(removed.stdout).toContain(`Removed ${addBody}`)
		expect(project.migrationNames()).toEqual([init])
		expect((await ledgerRows(client)).map(row => row.name)).toEqual([init])
		expect(await columnsOf(client, 'post')).toEqual(['id', 'title'])
		expect(await catalogMismatch(client, post({ title: {} }))).toEqual([])
		ok(project.run('migrations:status', '--check'))
	}, SLOW)

	it('--keep-empty keeps an empty migration and its ledger row', async () => {
		const { project, client } = await twoExecuted('keep')
		const [, addBody] = project.migrationNames()
		project.declare(post({ title: {} }))
		const kept = project.run('migrations:amend', '--yes', '--keep-empty')
		expect(kept.code).toBe(0)
		expect(project.read(addBody!)).toEqual({ formatVersion: 6, modifications: [] })
		const row = (await ledgerRows(client)).find(it => it.name === addBody)
		expect(row?.checksum).toBe(checksumOf(project, addBody!))
		expect(await columnsOf(client, 'post')).toEqual(['id', 'title'])
		ok(project.run('migrations:status', '--check'))
	}, SLOW)

	it('amends a named older migration while later ones stay untouched', async () => {
		const { project, client } = await twoExecuted('named')
		const withTag = schemaOf(entity('Post', { title: {}, body: {} }), entity('Tag', { label: {} }))
		project.declare(withTag)
		ok(project.run('migrations:diff', 'add-tag', '--yes', '--execute'))
		const [init, addBody, addTag] = project.migrationNames()
		const tagContent = readFileSync(`${project.root}/migrations/${addTag}.json`, 'utf8')

		const declared = schemaOf(entity('Post', { title: {}, body: {}, rating: { type: 'Integer' } }), entity('Tag', { label: {} }))
		project.declare(declared)
		const result = project.run('migrations:amend', 'add-body', '--yes')
		expect(result.stderr).not.toMatch(/error/)
		expect(result.code).toBe(0)
		expect(project.migrationNames()).toEqual([init, addBody, addTag])
		expect(project.read(addBody!).modifications.map(it => (it.field as { name: string }).name)).toEqual(['body', 'rating'])
		expect(readFileSync(`${project.root}/migrations/${addTag}.json`, 'utf8')).toBe(tagContent)
		expect(await catalogMismatch(client, declared)).toEqual([])
		expect((await ledgerRows(client)).find(it => it.name === addBody)?.checksum).toBe(checksumOf(project, addBody!))
		ok(project.run('migrations:status', '--check'))
	}, SLOW)

	it('refuses a named migration whose later migrations would not replay on top', async () => {
		const { project, client } = await twoExecuted('conflict')
		project.declare(schemaOf(entity('Post', { title: {}, body: {} }), entity('Tag', { label: {} })))
		ok(project.run('migrations:diff', 'add-tag', '--yes', '--execute'))
		// Tag is gone from the declared schema, but add-tag (after init) creates it: amending init cannot hold that
		project.declare(post({ title: {}, body: {} }))
		const [init] = project.migrationNames()
		const result = project.run('migrations:amend', init!, '--yes')
		expect(result.code).toBe(1)
		expect(result.stderr).toMatch(/Cannot amend/)
		expect(await columnsOf(client, 'tag')).toEqual(['id', 'label'])
	}, SLOW)

	it('refuses an older formatVersion, pending later migrations and a non-local database', async () => {
		const { project, client } = await twoExecuted('refusals')
		const [init, addBody] = project.migrationNames()

		// later migration pending
		project.declare(schemaOf(entity('Post', { title: {}, body: {} }), entity('Tag', { label: {} })))
		ok(project.run('migrations:diff', 'add-tag', '--yes'))
		project.declare(schemaOf(entity('Post', { title: {}, body: {}, extra: {} }), entity('Tag', { label: {} })))
		const pending = project.run('migrations:amend', addBody!, '--yes')
		expect(pending.code).toBe(1)
		expect(pending.stderr).toMatch(/not executed locally: .*add-tag/)

		// older formatVersion
		const old = project.read(init!)
		project.write(init!, { ...old, formatVersion: 5 })
		const format = project.run('migrations:amend', init!, '--yes')
		expect(format.code).toBe(1)
		expect(format.stderr).toMatch(/formatVersion 5/)
		project.write(init!, old)

		// a database that is not local is refused before anything changes
		const remote = project.runOffline('migrations:amend', '--yes', '--database-url', 'postgresql://someone@db.example.com:5432/app')
		expect(remote.code).toBe(1)
		expect(remote.stderr).toMatch(/not local/)
		expect(remote.stderr).toMatch(/--allow-remote/)
		expect(await columnsOf(client, 'post')).toEqual(['body', 'id', 'title'])
	}, SLOW)

	it('renames in the new edits keep local data; a rename of what the target created is a plain creation in it', async () => {
		const { project, client } = await twoExecuted('renames')
		const [, addBody] = project.migrationNames()
		await client.query(`INSERT INTO post (id, title, body) VALUES ('6f1c7a44-6c59-4b0c-9a57-0c1f2d6b8e01', 'kept title', 'kept body')`)
		const declared = post({ headline: {}, content: {} })
		project.declare(declared)
		const result = project.run('migrations:amend', '--yes', '--rename', 'Post.title:headline', '--rename', 'Post.body:content')
		expect(result.stderr).not.toMatch(/error/)
		expect(result.code).toBe(0)
		// add-body: body never existed before it, so it now simply creates `content`; title → headline is a rename
		expect(project.read(addBody!).modifications.map(it => it.modification).sort()).toEqual(['createColumn', 'updateFieldName'])
		const created = project.read(addBody!).modifications.find(it => it.modification === 'createColumn')
		expect((created!.field as { name: string }).name).toBe('content')
		const rows = await client.query('SELECT headline, content FROM post')
		expect(rows.rows).toEqual([{ headline: 'kept title', content: 'kept body' }])
		expect(await catalogMismatch(client, declared)).toEqual([])
		ok(project.run('migrations:status', '--check'))
	}, SLOW)

	it('a migration that never ran locally is amended on disk only', async () => {
		const database = await db.fresh('pending_target')
		const project = new DevProject(database.url)
		project.declare(post({ title: {} }))
		ok(project.run('migrations:diff', 'init', '--yes', '--execute'))
		project.declare(post({ title: {}, body: {} }))
		ok(project.run('migrations:diff', 'add-body', '--yes'))
		const declared = post({ title: {}, body: {}, views: { type: 'Integer' } })
		project.declare(declared)
		const result = ok(project.run('migrations:amend', '--yes'))
		expect(result.stdout).not.toContain('executed locally')
		const [init, addBody] = project.migrationNames()
		expect(project.read(addBody!).modifications).toHaveLength(2)
		const client = await database.client()
		expect((await ledgerRows(client)).map(row => row.name)).toEqual([init])
		expect(await columnsOf(client, 'post')).toEqual(['id', 'title'])
		ok(project.run('migrations:execute', '--yes'))
		expect(await catalogMismatch(client, declared)).toEqual([])
	}, SLOW)

	it('asks for --yes without a terminal', async () => {
		const { project } = await twoExecuted('noyes')
		project.declare(post({ title: {}, body: {}, views: { type: 'Integer' } }))
		const result = project.run('migrations:amend')
		expect(result.code).toBe(1)
		expect(result.stderr).toMatch(/--yes/)
	}, SLOW)

	it('keeps the rename and the fill value the migration holds, twice; the file then gives a fresh database with rows what the local one has', async () => {
		const database = await db.fresh('answers')
		const project = new DevProject(database.url)
		const client = await database.client()
		const rows = [
			`INSERT INTO post (id, title, lead) VALUES ('6f1c7a44-6c59-4b0c-9a57-0c1f2d6b8e01', 'Hello', 'the lead')`,
			`INSERT INTO tag (id, label) VALUES ('6f1c7a44-6c59-4b0c-9a57-0c1f2d6b8e02', 'news')`,
		]
		project.declare(schemaOf(entity('Post', { title: {}, lead: {} }), entity('Tag', { label: {} })))
		ok(project.run('migrations:diff', 'init', '--yes'))
		ok(project.run('migrations:execute', '--yes'))
		for (const sql of rows) await client.query(sql)
		const edited = (extra: Parameters<typeof entity>[1]) =>
			schemaOf(entity('Post', { title: {}, summary: {}, ...extra }), entity('Tag', { label: {}, color: { nullable: false } }))
		project.declare(edited({}))
		ok(project.run('migrations:diff', 'edit', '--yes', '--rename', 'Post.lead:summary', '--fill', 'Tag.color=grey'))
		ok(project.run('migrations:execute', '--yes'))
		const [init, edit] = project.migrationNames()
		const holdsAnswers = () => {
			const modifications = project.read(edit!).modifications
			expect(modifications).toContainEqual(expect.objectContaining({ modification: 'updateFieldName', entityName: 'Post', fieldName: 'lead', newFieldName: 'summary' }))
			expect(modifications).toContainEqual(expect.objectContaining({ modification: 'createColumn', entityName: 'Tag', fillValue: 'grey' }))
			expect(modifications.map(it => it.modification)).not.toContain('removeField')
		}

		project.declare(edited({ views: { type: 'Integer' } }))
		const once = ok(project.run('migrations:amend', '--yes'))
		expect(once.stdout).toContain(`kept from ${edit}: rename Post.lead → summary`)
		expect(once.stdout).toContain(`kept from ${edit}: fill Tag.color = "grey"`)
		holdsAnswers()
		// the answers may be given again, as to migrations:diff (they were refused: "not a field the declared schema removes")
		project.declare(edited({ views: { type: 'Integer' }, rating: { type: 'Integer' } }))
		const twice = ok(project.run('migrations:amend', '--yes', '--json', '--rename', 'Post.lead:summary', '--fill', 'Tag.color=grey'))
		expect(JSON.parse(twice.stdout)).toMatchObject({
			action: 'amended',
			carried: { renames: [{ key: 'Post.lead', to: 'summary' }], fills: [{ key: 'Tag.color', fillValue: 'grey' }], dropped: [] },
			unanswered: { renames: [], fills: [] },
		})
		holdsAnswers()
		ok(project.run('migrations:status', '--check'))

		// another database: init, the same rows, then the amended file as a whole
		const other = await db.fresh('answers_other')
		const otherProject = Object.assign(Object.create(DevProject.prototype) as DevProject, { root: project.root, databaseUrl: other.url })
		ok(otherProject.run('migrations:execute', '--yes', '--until', init!))
		const otherClient = await other.client()
		for (const sql of rows) await otherClient.query(sql)
		ok(otherProject.run('migrations:execute', '--yes'))
		const contents = async (c: typeof client) => ({
			post: (await c.query('SELECT to_jsonb(p) AS row FROM post p ORDER BY id')).rows,
			tag: (await c.query('SELECT to_jsonb(t) AS row FROM tag t ORDER BY id')).rows,
			columns: [await columnsOf(c, 'post'), await columnsOf(c, 'tag')],
		})
		const local = await contents(client)
		expect(local.post).toEqual([{ row: { id: '6f1c7a44-6c59-4b0c-9a57-0c1f2d6b8e01', title: 'Hello', summary: 'the lead', views: null, rating: null } }])
		expect(local.tag).toEqual([{ row: { id: '6f1c7a44-6c59-4b0c-9a57-0c1f2d6b8e02', label: 'news', color: 'grey' } }])
		expect(await contents(otherClient)).toEqual(local)
	}, SLOW)

	it('answers alone (no schema edit) fix the file: the ledger row follows, nothing runs locally', async () => {
		const database = await db.fresh('answers_only')
		const project = new DevProject(database.url)
		const client = await database.client()
		project.declare(schemaOf(entity('Post', { title: {}, lead: {} }), entity('Tag', { label: {} })))
		ok(project.run('migrations:diff', 'init', '--yes'))
		// written without answers: lead dropped and summary created, color without a value (the table is empty)
		project.declare(schemaOf(entity('Post', { title: {}, summary: {} }), entity('Tag', { label: {}, color: { nullable: false } })))
		ok(project.run('migrations:diff', 'edit', '--yes', '--allow-failing'))
		ok(project.run('migrations:execute', '--yes'))
		const [, edit] = project.migrationNames()

		const fixed = ok(project.run('migrations:amend', '--yes', '--rename', 'Post.lead:summary', '--fill', 'Tag.color=grey'))
		expect(fixed.stdout).toContain('No new schema edits')
		expect(fixed.stdout).toContain('Applied 0 statements')
		expect(project.read(edit!).modifications).toEqual([
			expect.objectContaining({ modification: 'updateFieldName', fieldName: 'lead', newFieldName: 'summary' }),
			expect.objectContaining({ modification: 'createColumn', entityName: 'Tag', fillValue: 'grey' }),
		])
		expect((await ledgerRows(client)).find(it => it.name === edit)?.checksum).toBe(checksumOf(project, edit!))
		ok(project.run('migrations:status', '--check'))
		expect(project.run('migrations:amend', '--yes', '--rename', 'Post.lead:summary', '--fill', 'Tag.color=grey').stdout).toContain('Nothing to do')
	}, SLOW)

	it('a rename or fill that fits neither the new edits nor the migration is refused, naming it', async () => {
		const { project } = await twoExecuted('bad_answers')
		project.declare(post({ title: {}, body: {}, views: { type: 'Integer' } }))
		const rename = project.run('migrations:amend', '--yes', '--rename', 'Post.nothing:else')
		expect(rename.code).toBe(1)
		expect(rename.stderr).toMatch(/Rename Post.nothing → else does not apply/)
		const fill = project.run('migrations:amend', '--yes', '--fill', 'Post.views=1')
		expect(fill.code).toBe(1)
		expect(fill.stderr).toMatch(/--fill Post.views: this migration needs no fill value/)
	}, SLOW)
})
