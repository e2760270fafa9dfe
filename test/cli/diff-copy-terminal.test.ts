/**
 * The copy question of migrations:diff in a real terminal (tmux): for an integer column it offers
 * only the fields PostgreSQL can cast into an integer (not the uuid id, the texts, the json, the
 * enum, the timestamp or the uuid relation), and the preview shows the chosen source.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { editSchema, exampleProject, newMigrations } from './diffProject.js'
import { tmuxTerminals } from './tmux.js'

const terminals = tmuxTerminals('diff-copy')

afterAll(() => terminals.shutdown())

describe('migrations:diff copy question in a terminal', () => {
	it('offers only castable fields, and the preview names the one chosen', async () => {
		const cwd = exampleProject()
		editSchema(cwd, '\treadingMinutes: column.int(),', '\treadingMinutes: column.int(),\n\trating: column.int().notNull(),')
		const term = terminals.open(cwd, ['migrations:diff', 'add-rating'])
		try {
			await term.waitFor('How should they be filled?')
			term.keys('Down', 'Enter') // "Copy from another field of the same row"
			const screen = await term.waitFor('Copy Post.rating from')
			const choices = screen.slice(screen.indexOf('Copy Post.rating from'))
			expect(choices).toContain('readingMinutes')
			// Post's other fields: uuid, text, json, enum, timestamp and a uuid relation — none casts into integer
			for (const field of ['id', 'title', 'slug', 'lead', 'content', 'status', 'publishedAt', 'author']) expect(choices).not.toMatch(new RegExp(`\\b${field}\\b`))
			term.keys('Enter')
			const preview = await term.waitFor('Do you want to continue?')
			expect(preview).toContain('existing rows are filled from Post.readingMinutes')
			term.keys('Enter')
			await term.waitFor('STRATA_EXIT=0')
			expect(newMigrations(cwd)[0]?.content.modifications).toEqual([
				expect.objectContaining({ modification: 'createColumn', entityName: 'Post', copyValue: 'readingMinutes' }),
			])
		} finally {
			term.close()
		}
	})
})
