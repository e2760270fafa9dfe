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
})
