/**
 * migrations:diff and a type change PostgreSQL cannot cast (Post.readingMinutes integer →
 * timestamptz): refused without a conversion, naming --using; written with --using (strata's
 * `conversion`, the file marked and a warning that Contember cannot run it); asked for in a
 * terminal. The written file is executed on PostgreSQL in test/integration/diff/usingConversion.test.ts.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { editSchema, exampleProject, newMigrations } from './diffProject.js'
import { runCli } from './run.js'
import { tmuxTerminals } from './tmux.js'

const terminals = tmuxTerminals('diff-using')
afterAll(() => terminals.shutdown())

const CONVERSION = `timestamptz '2020-01-01' + make_interval(mins => "reading_minutes")`
const retyped = () => {
	const cwd = exampleProject()
	editSchema(cwd, '\treadingMinutes: column.int(),', '\treadingMinutes: column.dateTime(),')
	return cwd
}

describe('migrations:diff --using', () => {
	it('refuses the uncastable change without a conversion, naming --using; refuses a --using that meets no type change or would leave USING (…)', () => {
		const cwd = retyped()
		const refused = runCli(['migrations:diff', 'reading-at', '--yes'], { cwd })
		expect(refused.code).toBe(1)
		expect(refused.stderr).toContain('Post.readingMinutes: integer → timestamptz')
		expect(refused.stderr).toContain(`--using Post.readingMinutes='<expression>' (or answer in a terminal)`)
		const typo = runCli(['migrations:diff', 'reading-at', '--yes', '--using', 'Post.title=upper("title")'], { cwd })
		expect(typo.code).toBe(1)
		expect(typo.stderr).toContain('--using Post.title: this migration does not change the type of Post.title (it changes Post.readingMinutes)')
		const injected = runCli(['migrations:diff', 'reading-at', '--yes', '--using', 'Post.readingMinutes=now(); DROP TABLE post'], { cwd })
		expect(injected.code).toBe(1)
		expect(injected.stderr).toContain('--using Post.readingMinutes: it holds a ";" outside a literal')
		expect(newMigrations(cwd)).toEqual([])
	})

	it('writes the conversion, marks the file, warns that Contember cannot run it; describe shows the USING', () => {
		const cwd = retyped()
		const dry = runCli(['migrations:diff', 'reading-at', '--dry-run', '--json', '--using', `Post.readingMinutes=${CONVERSION}`], { cwd })
		expect(dry.code, dry.stderr).toBe(0)
		const document = JSON.parse(dry.stdout)
		expect(document.strata).toEqual({ extensions: ['conversion'] })
		expect(document.warnings).toContainEqual(expect.objectContaining({ code: 'strata-only', message: expect.stringContaining('Contember cannot run this migration as strata does') }))

		const written = runCli(['migrations:diff', 'reading-at', '--yes', '--using', `Post.readingMinutes=${CONVERSION}`], { cwd })
		expect(written.code, written.stderr).toBe(0)
		expect(written.stderr).toMatch(/-reading-at\.json uses strata's extension \(conversion: /)
		const [file] = newMigrations(cwd)
		const content = JSON.parse(readFileSync(join(cwd, 'migrations', file!.name), 'utf8'))
		expect(content.modifications).toEqual([expect.objectContaining({ modification: 'updateColumnDefinition', fieldName: 'readingMinutes', conversion: CONVERSION })])
		expect(content.strata).toEqual({ extensions: ['conversion'] })
		const described = runCli(['migrations:describe', file!.name.replace(/\.json$/, ''), '--no-color'], { cwd })
		expect(described.code, described.stderr).toBe(0)
		expect(described.stdout).toContain(`ALTER TABLE "post" ALTER "reading_minutes" SET DATA TYPE timestamptz USING (${CONVERSION});`)
		// the project replays to the declared schema: nothing left to diff
		const again = runCli(['migrations:diff', 'again', '--dry-run'], { cwd })
		expect(again.stdout).toContain('Nothing to do')
	})

	it('asks for the conversion in a terminal, and writes the answer', async () => {
		const cwd = retyped()
		const term = terminals.open(cwd, ['migrations:diff', 'reading-at'])
		try {
			await term.waitFor('PostgreSQL has no cast from integer to timestamptz for Post.readingMinutes')
			term.keys('-l', 'now() - make_interval(mins => "reading_minutes")')
			term.keys('Enter')
			const preview = await term.waitFor('Do you want to continue?')
			expect(preview).toContain('converted with USING (now() - make_interval(mins => "reading_minutes"))')
			term.keys('Enter')
			await term.waitFor('STRATA_EXIT=0')
			expect(newMigrations(cwd)[0]?.content.modifications).toEqual([
				expect.objectContaining({ modification: 'updateColumnDefinition', conversion: 'now() - make_interval(mins => "reading_minutes")' }),
			])
		} finally {
			term.close()
		}
	})
})
