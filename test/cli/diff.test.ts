/** `strata migrations:diff`, spawned in a temporary copy of the example project (no terminal). */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { editSchema, exampleProject, migrationNames, newMigrations } from './diffProject.js'
import { hasStackTrace, runCli } from './run.js'

const renameBio = (dir: string) => editSchema(dir, '\tbio: column.string(),', '\tbiography: column.string(),')

describe('migrations:diff (non-interactive)', () => {
	it('says "Nothing to do" and writes nothing when the migrations match the schema', () => {
		const cwd = exampleProject()
		const before = migrationNames(cwd)
		const { code, stdout } = runCli(['migrations:diff', 'nothing'], { cwd })
		expect(code).toBe(0)
		expect(stdout).toContain('Nothing to do')
		expect(migrationNames(cwd)).toEqual(before)
	})

	it('with --yes and no answers, a renamed field is removeField + createColumn, and it says so', () => {
		const cwd = exampleProject()
		renameBio(cwd)
		const { code, stdout, stderr } = runCli(['migrations:diff', 'rename-x', '--yes'], { cwd })
		expect(code).toBe(0)
		expect(stderr).toContain('Author.bio was removed and Author.biography added: treated as drop + create')
		expect(stderr).toContain('--rename Author.bio:biography')
		expect(stdout).toMatch(/Remove field Author\.bio.*destructive/)
		const [written] = newMigrations(cwd)
		expect(written?.name).toMatch(/^\d{4}-\d{2}-\d{2}-\d{6}-rename-x\.json$/)
		expect(written?.content.modifications.map(it => it.modification)).toEqual(['removeField', 'createColumn'])
		expect(stdout).toContain(`${written?.name} created`)
	})

	it('with --rename, a renamed field is updateFieldName', () => {
		const cwd = exampleProject()
		renameBio(cwd)
		// options before the name: --rename must not swallow it
		const { code, stderr } = runCli(['migrations:diff', '--rename', 'Author.bio:biography', 'rename-x', '--yes'], { cwd })
		expect(code, stderr).toBe(0)
		expect(newMigrations(cwd)[0]?.content.modifications).toEqual([
			{ modification: 'updateFieldName', entityName: 'Author', fieldName: 'bio', newFieldName: 'biography', columnName: 'biography' },
		])
	})

	it('--no-destructive refuses a migration that loses data', () => {
		const cwd = exampleProject()
		renameBio(cwd)
		const { code, stderr } = runCli(['migrations:diff', 'rename-x', '--yes', '--no-destructive'], { cwd })
		expect(code).toBe(1)
		expect(stderr).toContain('Remove field Author.bio')
		expect(newMigrations(cwd)).toEqual([])
	})

	it('--renames reads the answers from a file', () => {
		const cwd = exampleProject()
		renameBio(cwd)
		writeFileSync(join(cwd, 'answers.json'), JSON.stringify({ renames: { 'Author.bio': 'biography' } }))
		const { code, stderr } = runCli(['migrations:diff', 'rename-x', '--yes', '--renames', 'answers.json'], { cwd })
		expect(code, stderr).toBe(0)
		expect(newMigrations(cwd)[0]?.content.modifications.map(it => it.modification)).toEqual(['updateFieldName'])
	})

	it('--json prints only the result on stdout; --dry-run writes nothing', () => {
		const cwd = exampleProject()
		renameBio(cwd)
		const before = migrationNames(cwd)
		const { code, stdout } = runCli(['migrations:diff', 'rename-x', '--dry-run', '--json'], { cwd })
		expect(code).toBe(0)
		const json = JSON.parse(stdout)
		expect(json).toMatchObject({ version: expect.stringMatching(/^\d{4}-\d{2}-\d{2}-\d{6}$/), formatVersion: 6, path: null })
		expect(json.name).toBe(`${json.version}-rename-x`)
		expect(json.modifications.map((it: { modification: string }) => it.modification)).toEqual(['removeField', 'createColumn'])
		expect(json.destructive).toEqual([expect.objectContaining({ index: 0, modification: 'removeField' })])
		expect(json.warnings).toContainEqual(expect.objectContaining({ code: 'rename-candidate' }))
		expect(migrationNames(cwd)).toEqual(before)
	})

	it('refuses a NOT NULL column without a fill value (exit 1, nothing written) and says how to give one', () => {
		const cwd = exampleProject()
		editSchema(cwd, '\treadingMinutes: column.int(),', '\treadingMinutes: column.int(),\n\trating: column.int().notNull(),')
		const before = migrationNames(cwd)
		const { code, stderr } = runCli(['migrations:diff', 'add-rating', '--yes'], { cwd })
		expect(code).toBe(1)
		expect(stderr).toContain('--fill Post.rating=<value>')
		expect(hasStackTrace(stderr)).toBe(false)
		expect(migrationNames(cwd)).toEqual(before)
	})

	it('--dry-run shows the missing fill value under warnings and exits 0', () => {
		const cwd = exampleProject()
		editSchema(cwd, '\treadingMinutes: column.int(),', '\treadingMinutes: column.int(),\n\trating: column.int().notNull(),')
		const { code, stdout } = runCli(['migrations:diff', 'add-rating', '--dry-run', '--json'], { cwd })
		expect(code).toBe(0)
		expect(JSON.parse(stdout).warnings).toContainEqual(expect.objectContaining({ code: 'missing-fill', message: expect.stringContaining('Post.rating') }))
	})

	it('--fill gives the value, typed as the column needs it; --allow-failing writes without one', () => {
		const cwd = exampleProject()
		editSchema(cwd, '\treadingMinutes: column.int(),', '\treadingMinutes: column.int(),\n\trating: column.int().notNull(),')
		expect(runCli(['migrations:diff', 'add-rating', '--yes', '--fill', 'Post.rating=5'], { cwd }).code).toBe(0)
		expect(newMigrations(cwd)[0]?.content.modifications[0]).toMatchObject({ modification: 'createColumn', entityName: 'Post', fillValue: 5 })

		const other = exampleProject()
		editSchema(other, '\treadingMinutes: column.int(),', '\treadingMinutes: column.int(),\n\trating: column.int().notNull(),')
		expect(runCli(['migrations:diff', 'add-rating', '--yes', '--fill', 'Post.rating=lots'], { cwd: other }).stderr).toContain('must be an integer')
		expect(runCli(['migrations:diff', 'add-rating', '--yes', '--allow-failing'], { cwd: other }).code).toBe(0)
		expect(newMigrations(other)[0]?.content.modifications[0]).not.toHaveProperty('fillValue')
	})

	it('--copy fills from another field', () => {
		const cwd = exampleProject()
		editSchema(cwd, '\tlead: column.string(),', '\tlead: column.string(),\n\tsummary: column.string().notNull(),')
		expect(runCli(['migrations:diff', 'add-summary', '--yes', '--copy', 'Post.summary=title'], { cwd }).code).toBe(0)
		expect(newMigrations(cwd)[0]?.content.modifications[0]).toMatchObject({ modification: 'createColumn', copyValue: 'title' })
	})

	it('asks for confirmation: without a terminal and without --yes it refuses', () => {
		const cwd = exampleProject()
		renameBio(cwd)
		const { code, stderr } = runCli(['migrations:diff', 'rename-x'], { cwd })
		expect(code).toBe(1)
		expect(stderr).toContain('Pass --yes')
		expect(newMigrations(cwd)).toEqual([])
	})

	it('an invalid declared schema lists its problems and exits 1', () => {
		const cwd = exampleProject()
		editSchema(cwd, "posts: manyHasManyInverse(() => Post, 'tags'),", "posts: manyHasManyInverse(() => Post, 'labels'),")
		const { code, stderr } = runCli(['migrations:diff', 'broken', '--yes'], { cwd })
		expect(code).toBe(1)
		expect(stderr).toMatch(/Tag|labels/)
		expect(newMigrations(cwd)).toEqual([])
	})

	it('rejects a label that is not lower-case-with-dashes, showing the suggestion', () => {
		const cwd = exampleProject()
		const { code, stderr } = runCli(['migrations:diff', 'Rename X', '--yes'], { cwd })
		expect(code).toBe(1)
		expect(stderr).toContain('rename-x')
	})
})

describe('migrations:diff lints the new migration', () => {
	it('prints its findings after the steps (never failing the command) with how to accept one; --json carries them', () => {
		const cwd = exampleProject()
		editSchema(cwd, '\tpublishedAt: column.dateTime(),', '\tpublishedAt: column.date(),')
		const { code, stdout, stderr } = runCli(['migrations:diff', 'dates', '--dry-run'], { cwd })
		expect(code, stderr).toBe(0)
		expect(stdout).toMatch(/Lint: 2 findings \(2 warnings\)/)
		expect(stdout).toMatch(/warning L002: rewrites table "post"/)
		expect(stdout).toMatch(/warning L004: .*Post\.publishedAt/)
		expect(stderr).toContain('"strata": { "lint": { "allow": [{ "code": "L002", "modification": 0, "reason": "…" }] } }')
		const json = JSON.parse(runCli(['migrations:diff', 'dates', '--dry-run', '--json'], { cwd }).stdout) as { lint: { code: string }[] }
		expect(json.lint.map(it => it.code)).toEqual(['L002', 'L004'])
	})

	it('refuses a type change PostgreSQL cannot cast, naming Entity.field, the types and the way around; nothing is written', () => {
		const cwd = exampleProject()
		editSchema(cwd, '\tcontent: column.json(),', '\tcontent: column.uuid(),')
		const { code, stderr } = runCli(['migrations:diff', 'content-id', '--yes'], { cwd })
		expect(code).toBe(1)
		expect(stderr).toContain('PostgreSQL has no cast for this type change')
		expect(stderr).toContain('Post.content: jsonb → uuid')
		expect(stderr).toContain('declare a new field of the new type')
		expect(hasStackTrace(stderr)).toBe(false)
		expect(newMigrations(cwd)).toEqual([])
	})
})
