/** The targets and targetsFrom settings of strata.config.json: checked by the generated validator, problems named by file and path. */
import { describe, expect, it } from 'vitest'
import { validateConfig } from '../../../src/cli/context.js'
import type { ValidationError } from '../../../src/errors.js'

const source = { path: '/p/strata.config.json', pointer: '' } as const
const problems = (json: unknown) => {
	try {
		validateConfig(json, source)
	} catch (error) {
		return (error as ValidationError).problems
	}
	return []
}

describe('targets in the config', () => {
	it('accepts targets, targetsFrom and both per project', () => {
		expect(problems({
			targets: { eu: { databaseUrlEnv: 'EU_DB' }, 'tenant-1': { databaseUrl: 'postgresql://h/db', schema: 'tenant_1', ledgerSchema: 't1_ledger' } },
			targetsFrom: { command: './list-tenants' },
			projects: { app: { targets: { us: { databaseUrlEnv: 'US_DB' } }, targetsFrom: { file: 'tenants.txt' } } },
		})).toEqual([])
	})

	it('an unknown key of a target lists the target settings; a bad name, schema or targetsFrom is named by path', () => {
		expect(problems({ targets: { eu: { databaseUrlEnv: 'EU_DB', databaseURL: 'x' } } })).toEqual([
			{ file: source.path, path: '/targets/eu/databaseURL', message: expect.stringMatching(/^unknown setting; allowed: databaseUrl, databaseUrlEnv, schema, ledgerSchema\..*"databaseUrl"/) },
		])
		expect(problems({ targets: { eu: { schema: 'no spaces allowed' } } }).map(problem => problem.path)).toEqual(['/targets/eu/schema'])
		expect(problems({ targets: { 'eu west': {} } }).map(problem => problem.path)).toContain('/targets')
		expect(problems({ targetsFrom: { command: 'a', file: 'b' } }).map(problem => problem.path)).toEqual(['/targetsFrom'])
		expect(problems({ targetsFrom: { url: 'x' } })[0]).toMatchObject({ path: '/targetsFrom/url', message: expect.stringContaining('allowed: command, file') })
	})
})
