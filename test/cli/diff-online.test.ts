/** `migrations:diff --online` (and `online: true` in strata.config.json) writes the `strata.online` marker; without it the file is exactly what it was. */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { editSchema, exampleProject, newMigrations } from './diffProject.js'
import { runCli } from './run.js'

const addField = (dir: string) => editSchema(dir, '\tbio: column.string(),', '\tbio: column.string(),\n\tnickname: column.string(),')
const written = (dir: string) => readFileSync(join(dir, 'migrations', newMigrations(dir)[0]!.name), 'utf8')

describe('migrations:diff --online', () => {
	it('writes "strata": { "online": true } beside the modifications', () => {
		const cwd = exampleProject()
		addField(cwd)
		const { code, stderr } = runCli(['migrations:diff', 'nickname', '--yes', '--online'], { cwd })
		expect(code, stderr).toBe(0)
		const text = written(cwd)
		expect(JSON.parse(text).strata).toEqual({ online: true })
		expect(text.trimEnd().endsWith('"strata": {\n\t\t"online": true\n\t}\n}')).toBe(true)
	})

	it('takes the default from online in strata.config.json; without the marker (--no-online) there is no strata key', () => {
		const cwd = exampleProject()
		addField(cwd)
		writeFileSync(join(cwd, 'strata.config.json'), JSON.stringify({ online: true }))
		const dry = runCli(['migrations:diff', 'nickname', '--dry-run', '--json'], { cwd })
		expect(dry.code, dry.stderr).toBe(0)
		expect(JSON.parse(dry.stdout).strata).toEqual({ online: true })
		const plain = runCli(['migrations:diff', 'nickname', '--dry-run', '--json', '--no-online'], { cwd })
		expect(plain.code, plain.stderr).toBe(0)
		expect(JSON.parse(plain.stdout).strata).toBeUndefined()
	})

	it('describe shows the online steps: which statements share a transaction and which run alone outside one', () => {
		const cwd = exampleProject()
		editSchema(cwd, '\tbio: column.string(),', '\tbio: column.string().unique(),')
		const diff = runCli(['migrations:diff', 'unique-bio', '--yes', '--online'], { cwd })
		expect(diff.code, diff.stderr).toBe(0)
		const name = newMigrations(cwd)[0]!.name.replace(/\.json$/, '')
		const { code, stdout, stderr } = runCli(['migrations:describe', name, '--no-color'], { cwd })
		expect(code, stderr).toBe(0)
		expect(stdout).toContain('Online: 2 steps (1 outside a transaction), each committed and recorded on its own')
		expect(stdout).toMatch(/-- online step 1\/2: alone, outside a transaction\n\s+-- locks: author SHARE UPDATE EXCLUSIVE \(scan; cannot run in a transaction block\)\n\s+CREATE UNIQUE INDEX CONCURRENTLY "author_bio_[0-9a-f]{8}_key" ON "author" \("bio"\);/)
		expect(stdout).toMatch(/-- online step 2\/2: in a transaction\n\s+-- locks: author ACCESS EXCLUSIVE \(catalog only\)\n\s+ALTER TABLE "author" ADD CONSTRAINT "author_bio_[0-9a-f]{8}_key" UNIQUE USING INDEX/)
		const json = runCli(['migrations:describe', name, '--json'], { cwd })
		const statements = JSON.parse(json.stdout).flatMap((step: { statements: unknown[] }) => step.statements)
		expect(statements.map((it: { onlineStep: unknown }) => it.onlineStep)).toEqual([
			{ step: 0, total: 2, transactional: false, first: true },
			{ step: 1, total: 2, transactional: true, first: true },
		])
	})
})
