/** `strata migrations:diff --execute`: the new migration (and every pending one) runs right after it is written. */
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '../helpers/database.js'
import { editSchema, exampleProject, newMigrations } from './diffProject.js'
import { runCli } from './run.js'

const db = useTestDatabase('diff_execute')

describe('migrations:diff --execute', () => {
	it('writes the migration, then executes the pending migrations; the renamed column keeps its data', async () => {
		const cwd = exampleProject()
		const setup = runCli(['migrations:execute', '--yes', '--database-url', db.url], { cwd })
		expect(setup.code, setup.stderr).toBe(0)
		const client = await db.client()
		await client.query(`INSERT INTO author (id, name, email, bio, created_at) VALUES (gen_random_uuid(), 'Ann', 'ann@example.com', 'writes things', now())`)

		editSchema(cwd, '\tbio: column.string(),', '\tbiography: column.string(),')
		const { code, stdout, stderr } = runCli(['migrations:diff', 'rename-bio', '--yes', '--rename', 'Author.bio:biography', '--execute', '--database-url', db.url], { cwd })
		expect(code, stderr).toBe(0)
		const [written] = newMigrations(cwd)
		expect(stdout).toContain(`${written?.name} created`)
		expect(stdout).toMatch(/rename-bio/)
		const { rows } = await client.query('SELECT biography FROM author')
		expect(rows).toEqual([{ biography: 'writes things' }])
	})

	it('a renamed enum keeps the values of its columns (new domain, columns retyped, old domain dropped)', async () => {
		const database = await db.fresh('enum')
		const cwd = exampleProject()
		const setup = runCli(['migrations:execute', '--yes', '--database-url', database.url], { cwd })
		expect(setup.code, setup.stderr).toBe(0)
		const client = await database.client()
		await client.query(`INSERT INTO author (id, name, email, created_at) VALUES ('00000000-0000-0000-0000-000000000001', 'Ann', 'ann@example.com', now())`)
		await client.query(`INSERT INTO post (id, title, slug, status, author_id) VALUES (gen_random_uuid(), 'Hello', 'hello', 'published', '00000000-0000-0000-0000-000000000001')`)

		editSchema(cwd, "defineEnum('PostStatus',", "defineEnum('ArticleStatus',")
		const { code, stderr } = runCli(['migrations:diff', 'rename-enum', '--yes', '--execute', '--database-url', database.url], { cwd })
		expect(code, stderr).toBe(0)
		expect(newMigrations(cwd)[0]?.content.modifications.map(it => it.modification)).toEqual(['createEnum', 'updateColumnDefinition', 'removeEnum'])
		const { rows } = await client.query(`SELECT status, pg_typeof(status)::text AS type FROM post`)
		expect(rows).toEqual([{ status: 'published', type: '"ArticleStatus"' }])
	})
})
