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
})
