/** migrations:diff shows under each NOT NULL step what fills the existing rows (--fill value / --copy source); --copy is checked like the terminal's choices. */
import { describe, expect, it } from 'vitest'
import { editSchema, exampleProject, newMigrations } from './diffProject.js'
import { hasStackTrace, runCli } from './run.js'

/** the preview line right after the step whose line contains `step` */
const lineAfter = (stdout: string, step: string): string | undefined => {
	const lines = stdout.split('\n')
	const index = lines.findIndex(line => line.includes(step))
	return index < 0 ? undefined : lines[index + 1]
}

describe('migrations:diff fill preview', () => {
	it('--fill: the step shows the value existing rows get', () => {
		const cwd = exampleProject()
		editSchema(cwd, '\tname: column.string().notNull().unique(),\n\tposts: manyHasManyInverse(() => Post, \'tags\'),', '\tname: column.string().notNull().unique(),\n\tcolor: column.string().notNull(),\n\tposts: manyHasManyInverse(() => Post, \'tags\'),')
		const { code, stdout, stderr } = runCli(['migrations:diff', 'add-color', '--dry-run', '--fill', 'Tag.color=grey'], { cwd })
		expect(code, stderr).toBe(0)
		expect(lineAfter(stdout, 'Add column Tag.color')).toBe('    existing rows are filled with "grey"')
	})

	it('--copy: the step shows the field existing rows are copied from, and the written file carries it', () => {
		const cwd = exampleProject()
		editSchema(cwd, '\treadingMinutes: column.int(),', '\treadingMinutes: column.int(),\n\trating: column.int().notNull(),')
		const { code, stdout, stderr } = runCli(['migrations:diff', 'add-rating', '--yes', '--copy', 'Post.rating=readingMinutes'], { cwd })
		expect(code, stderr).toBe(0)
		expect(lineAfter(stdout, 'Add column Post.rating')).toBe('    existing rows are filled from Post.readingMinutes')
		expect(newMigrations(cwd)[0]?.content.modifications[0]).toMatchObject({ modification: 'createColumn', copyValue: 'readingMinutes' })
	})

	it('--copy from a field whose type cannot be cast into the column is refused (exit 1, nothing written), naming the fields that can', () => {
		const cwd = exampleProject()
		editSchema(cwd, '\treadingMinutes: column.int(),', '\treadingMinutes: column.int(),\n\trating: column.int().notNull(),')
		const { code, stderr } = runCli(['migrations:diff', 'add-rating', '--yes', '--copy', 'Post.rating=title'], { cwd })
		expect(code).toBe(1)
		expect(stderr).toContain('Post.title cannot be copied into Post.rating')
		expect(stderr).toContain('It can be copied from readingMinutes.')
		expect(hasStackTrace(stderr)).toBe(false)
		expect(newMigrations(cwd)).toEqual([])
	})
})
