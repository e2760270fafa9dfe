/** `migrations:rebase` takes migration names after `--` as well; none at all is a usage error. */
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '../helpers/database.js'
import { runCli, tempProject } from './run.js'

const db = useTestDatabase('rebase_separator')

const project = () => tempProject({
	'schema/schema.json': { model: { entities: {}, enums: {} } },
	'migrations/2024-05-01-120000-first.json': { formatVersion: 6, modifications: [] },
	'migrations/2024-05-02-120000-second.json': { formatVersion: 6, modifications: [] },
})

describe('migrations:rebase and --', () => {
	it('a name after -- is one of the migrations to move, not dropped', () => {
		// before, "nope" after -- was ignored and only "first" was looked for
		const { code, stderr } = runCli(['migrations:rebase', 'first', '--database-url', db.url, '--', 'nope'], { cwd: project() })
		expect(code).toBe(1)
		expect(stderr).toContain('Migration "nope" not found.')
	}, 120_000)

	it('no name at all is a usage error', () => {
		const { code, stderr } = runCli(['migrations:rebase', '--database-url', db.url], { cwd: project() })
		expect(code).toBe(1)
		expect(stderr).toContain('Name the migrations to move: strata migrations:rebase <migration...>')
	}, 120_000)
})
