/** Configuration from the `strata` key of package.json (docs/configuration.md), end to end. */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempProject } from './run.js'

describe('package.json#strata', () => {
	it('its settings apply (migrationsDir)', () => {
		const cwd = tempProject({ 'package.json': { name: 'app', strata: { migrationsDir: 'db/migrations' } }, 'db/migrations/.gitkeep': '' })
		const result = runCli(['migrations:blank', 'first'], { cwd })
		expect(result.code, result.stderr).toBe(0)
		expect(readdirSync(join(cwd, 'db/migrations')).some(name => name.endsWith('-first.json'))).toBe(true)
		expect(existsSync(join(cwd, 'migrations'))).toBe(false)
	})

	it('an invalid setting names package.json and /strata/<setting>; --json gives the problems', () => {
		const cwd = tempProject({ 'package.json': { name: 'app', strata: { ledgerSchema: 'not-valid' } }, 'migrations/.gitkeep': '' })
		const result = runCli(['migrations:status', '--json'], { cwd })
		expect(result.code).toBe(1)
		expect(result.stderr).toContain(`${join(cwd, 'package.json')} › /strata/ledgerSchema: must match pattern`)
		expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID', problems: [{ path: '/strata/ledgerSchema' }] } })
	})

	it('with strata.config.json too, it is an error naming both', () => {
		const cwd = tempProject({ 'package.json': { strata: {} }, 'strata.config.json': {}, 'migrations/.gitkeep': '' })
		const result = runCli(['migrations:blank', 'x'], { cwd })
		expect(result.code).toBe(1)
		expect(result.stderr).toMatch(/Both .*strata\.config\.json and the "strata" key of .*package\.json configure strata/)
	})
})
