/**
 * `strata migrations:amend` in a real pseudo-terminal (tmux, on its own socket): it asks for what
 * the amended migration still lacks, and it never writes a question where nobody sees it
 * (stdout redirected, or --json).
 */
import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '../helpers/database.js'
import { DevProject, entity, ok, schemaOf } from '../integration/dev/project.js'
import { tmuxTerminals } from './tmux.js'

const SLOW = 300_000
const db = useTestDatabase('amend_terminal')
const terminals = tmuxTerminals('amend')

/** runs `strata <args> --database-url <the project's>` (plus `shellTail`, e.g. a redirection) in a fresh terminal */
const terminal = (project: DevProject, args: string[], shellTail = '') =>
	terminals.open(project.root, [...args, '--database-url', project.databaseUrl], shellTail)

afterAll(() => terminals.shutdown())

/** init (Post, Tag) and add-color (Tag.color NOT NULL, written for an empty table: no fill value), both executed */
const withUnfilledColor = async (label: string) => {
	const database = await db.fresh(label)
	const project = new DevProject(database.url)
	const tagWith = (extra: Parameters<typeof entity>[1]) => schemaOf(entity('Post', { title: {} }), entity('Tag', { label: {}, ...extra }))
	project.declare(tagWith({}))
	ok(project.run('migrations:diff', 'init', '--yes'))
	ok(project.run('migrations:execute', '--yes'))
	project.declare(tagWith({ color: { nullable: false } }))
	ok(project.run('migrations:diff', 'add-color', '--yes', '--allow-failing'))
	ok(project.run('migrations:execute', '--yes'))
	project.declare(tagWith({ color: { nullable: false }, note: {} }))
	return project
}

describe('migrations:amend in a terminal', () => {
	it('asks for the fill value the amended migration lacks, then confirms', async () => {
		const project = await withUnfilledColor('asks_fill')
		const [, addColor] = project.migrationNames()
		const term = terminal(project, ['migrations:amend'])
		try {
			await term.waitFor('Tag.color is NOT NULL and has no default')
			term.keys('Enter') // "With a value"
			await term.waitFor('Value for Tag.color')
			term.keys('-l', 'grey')
			term.keys('Enter')
			await term.waitFor('Amend it?')
			term.keys('Enter')
			await term.waitFor('STRATA_EXIT=0')
		} finally {
			term.close()
		}
		expect(project.read(addColor!).modifications).toContainEqual(expect.objectContaining({ modification: 'createColumn', entityName: 'Tag', fillValue: 'grey' }))
	}, SLOW)

	it('asks whether what the migration dropped and created was a rename; yes turns it into one', async () => {
		const database = await db.fresh('asks_rename')
		const project = new DevProject(database.url)
		project.declare(schemaOf(entity('Post', { title: {}, lead: {} })))
		ok(project.run('migrations:diff', 'init', '--yes'))
		project.declare(schemaOf(entity('Post', { title: {}, summary: {} })))
		ok(project.run('migrations:diff', 'edit', '--yes'))
		ok(project.run('migrations:execute', '--yes'))
		const [, edit] = project.migrationNames()
		expect(project.read(edit!).modifications.map(it => it.modification)).toEqual(['removeField', 'createColumn'])
		project.declare(schemaOf(entity('Post', { title: {}, summary: {}, views: { type: 'Integer' } })))
		const term = terminal(project, ['migrations:amend'])
		try {
			await term.waitFor('Field Post.lead is gone and Post.summary is new. Was it renamed?')
			term.keys('Enter') // "Renamed to Post.summary"
			await term.waitFor('Amend it?')
			term.keys('Enter')
			await term.waitFor('STRATA_EXIT=0')
		} finally {
			term.close()
		}
		expect(project.read(edit!).modifications.map(it => it.modification)).toEqual(['updateFieldName', 'createColumn'])
	}, SLOW)

	// a rename candidate in the new edits: the first question amend would ask
	const renameLabel = (project: DevProject) => project.declare(schemaOf(entity('Post', { title: {} }), entity('Tag', { name: {}, color: { nullable: false } })))

	it('with stdout redirected it asks nothing: it stops at once and says to pass --yes', async () => {
		const project = await withUnfilledColor('redirected')
		renameLabel(project)
		const [, addColor] = project.migrationNames()
		const before = readFileSync(`${project.root}/migrations/${addColor}.json`, 'utf8')
		const term = terminal(project, ['migrations:amend'], '> out.txt')
		try {
			const screen = await term.waitFor('STRATA_EXIT=')
			expect(screen).toContain('STRATA_EXIT=1')
			expect(screen).toMatch(/Pass --yes/)
		} finally {
			term.close()
		}
		expect(readFileSync(`${project.root}/out.txt`, 'utf8')).not.toMatch(/renamed\?|Amend it\?/)
		expect(readFileSync(`${project.root}/migrations/${addColor}.json`, 'utf8')).toBe(before)
	}, SLOW)

	it('--json never asks, even in a terminal', async () => {
		const project = await withUnfilledColor('json')
		renameLabel(project)
		const term = terminal(project, ['migrations:amend', '--json'])
		try {
			const screen = await term.waitFor('STRATA_EXIT=')
			expect(screen).toContain('STRATA_EXIT=1')
			expect(screen).toMatch(/Pass --yes/)
			expect(screen).not.toMatch(/renamed\?/)
		} finally {
			term.close()
		}
	}, SLOW)
})
