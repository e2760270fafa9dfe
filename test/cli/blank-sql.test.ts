/**
 * `migrations:blank <name> --sql`: a file holding one hand-written SQL step to edit, marked as
 * strata's; a warning when the project looks Contember-made; describe and lint of the edited step.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempProject } from './run.js'

const written = (cwd: string) => {
	const name = readdirSync(join(cwd, 'migrations')).find(it => it.endsWith('-backfill.json'))!
	return { name: name.replace(/\.json$/, ''), path: join(cwd, 'migrations', name) }
}

describe('migrations:blank --sql', () => {
	it('writes one SQL step to edit; describe shows the edited step with its statement count, lint flags DDL in it', () => {
		const cwd = tempProject({ 'migrations/.keep': '' })
		const { code, stdout, stderr } = runCli(['migrations:blank', 'backfill', '--sql'], { cwd })
		expect(code, stderr).toBe(0)
		expect(stderr).not.toContain('Contember')
		const file = written(cwd)
		expect(stdout.trim()).toBe(file.path)
		const content = JSON.parse(readFileSync(file.path, 'utf8'))
		expect(content).toEqual({ formatVersion: 6, modifications: [{ modification: 'executeSql', sql: expect.stringContaining('SELECT 1') }], strata: { extensions: ['executeSql'] } })

		content.modifications[0].sql = "UPDATE post SET title = 'x' WHERE title IS NULL;\nALTER TABLE post ADD note text"
		writeFileSync(file.path, JSON.stringify(content, null, '\t'))
		const described = runCli(['migrations:describe', file.name, '--no-color'], { cwd })
		expect(described.code, described.stderr).toBe(0)
		expect(described.stdout).toContain('#0 Run hand-written SQL (2 statements; not checked by strata) [executeSql]')
		expect(described.stdout).toContain('warning S013: the SQL step changes structure (ALTER TABLE post ADD note text)')
		expect(described.stdout).toContain('-- locks: post ROW EXCLUSIVE (writes rows)')
		const lint = runCli(['migrations:lint', '--json'], { cwd })
		expect(JSON.parse(lint.stdout).findings.map((it: { code: string }) => it.code)).toContain('L010')
	})

	it('warns that Contember cannot read the file when the project depends on @contember', () => {
		const cwd = tempProject({ 'migrations/.keep': '', 'package.json': { dependencies: { '@contember/cli': '2.0.8' } } })
		const { code, stderr } = runCli(['migrations:blank', 'backfill', '--sql'], { cwd })
		expect(code).toBe(0)
		expect(stderr).toMatch(/-backfill\.json uses strata's extension \(executeSql: a hand-written SQL step.*This project looks Contember-made/s)
		const json = runCli(['migrations:blank', 'again', '--sql', '--json'], { cwd })
		expect(JSON.parse(json.stdout).warnings).toEqual([expect.objectContaining({ code: 'strata-only' })])
	})
})
