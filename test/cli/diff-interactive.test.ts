/**
 * `strata migrations:diff` driven as a person would: in a real pseudo-terminal (tmux), answering
 * the rename question, the fill-value question and the confirmation with key presses, then
 * checking the file written. tmux runs on its own socket; each test kills its own session.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { editSchema, exampleProject, newMigrations } from './diffProject.js'
import { tmuxTerminals } from './tmux.js'

const terminals = tmuxTerminals('diff')
const terminal = terminals.open

afterAll(() => terminals.shutdown())

describe('migrations:diff in a terminal', () => {
	it('asks whether a field was renamed; answering yes writes updateFieldName', async () => {
		const cwd = exampleProject()
		editSchema(cwd, '\tbio: column.string(),', '\tbiography: column.string(),')
		const term = terminal(cwd, ['migrations:diff', 'rename-x'])
		try {
			await term.waitFor('Field Author.bio is gone and Author.biography is new. Was it renamed?')
			term.keys('Enter') // the first choice: "Renamed to Author.biography"
			await term.waitFor('Do you want to continue?')
			expect(term.screen()).toContain('Rename field Author.bio to biography')
			term.keys('Enter') // "Yes"
			await term.waitFor('STRATA_EXIT=0')
			const [written] = newMigrations(cwd)
			expect(term.screen()).toContain(`${written?.name} created`)
			expect(written?.content.modifications).toEqual([
				{ modification: 'updateFieldName', entityName: 'Author', fieldName: 'bio', newFieldName: 'biography', columnName: 'biography' },
			])
		} finally {
			term.close()
		}
	})

	it('asks for a fill value typed for the column, then confirms', async () => {
		const cwd = exampleProject()
		editSchema(cwd, '\treadingMinutes: column.int(),', '\treadingMinutes: column.int(),\n\trating: column.int().notNull(),')
		const term = terminal(cwd, ['migrations:diff', 'add-rating'])
		try {
			await term.waitFor('How should they be filled?')
			term.keys('Enter') // "With a value"
			await term.waitFor('Value for Post.rating (Integer)')
			term.keys('-l', 'many')
			term.keys('Enter')
			await term.waitFor('must be an integer')
			for (let i = 0; i < 4; i++) term.keys('BSpace')
			term.keys('-l', '4')
			term.keys('Enter')
			await term.waitFor('Do you want to continue?')
			term.keys('Enter')
			await term.waitFor('STRATA_EXIT=0')
			expect(newMigrations(cwd)[0]?.content.modifications).toEqual([
				expect.objectContaining({ modification: 'createColumn', entityName: 'Post', fillValue: 4 }),
			])
		} finally {
			term.close()
		}
	})

	it('Abort at the confirmation writes nothing', async () => {
		const cwd = exampleProject()
		editSchema(cwd, '\tlead: column.string(),', '\tlead: column.string(),\n\tsubtitle: column.string(),')
		const term = terminal(cwd, ['migrations:diff', 'add-subtitle'])
		try {
			await term.waitFor('Do you want to continue?')
			term.keys('Down', 'Down', 'Enter') // Yes / Yes and execute / Abort
			await term.waitFor('STRATA_EXIT=0')
			expect(term.screen()).toContain('Aborted; nothing was written.')
			expect(newMigrations(cwd)).toEqual([])
		} finally {
			term.close()
		}
	})

	it('Ctrl-C at a question leaves nothing behind', async () => {
		const cwd = exampleProject()
		editSchema(cwd, '\tbio: column.string(),', '\tbiography: column.string(),')
		const term = terminal(cwd, ['migrations:diff', 'rename-x'])
		try {
			await term.waitFor('Was it renamed?')
			term.keys('C-c')
			await term.waitFor('STRATA_EXIT=130')
			expect(term.screen()).toContain('Interrupted (Ctrl-C): nothing was written.')
			expect(newMigrations(cwd)).toEqual([])
		} finally {
			term.close()
		}
	})
})
