/** Fleet targets: targetsFrom lines, resolution (env, derived ledgers, shared ledgers), selection. */
import { describe, expect, it } from 'vitest'
import { redact } from '../../../src/db/redact.js'
import { configTargets, envReference, parseTargetLines, resolveTargets, selectTargets } from '../../../src/fleet/targets.js'

describe('parseTargetLines', () => {
	it('reads name, url or env, schema and ledger schema; skips comments and blank lines', () => {
		const specs = parseTargetLines([
			'# tenants',
			'',
			'acme  postgresql://app:hunter22@db.example:5432/app  tenant_acme   # the first',
			'globex env:GLOBEX_URL tenant_globex globex_ledger',
			'initech $SHARED_URL',
		].join('\n'), 'tenants.txt')
		expect(specs).toEqual([
			{ name: 'acme', origin: 'tenants.txt line 3', originKind: 'line', databaseUrl: 'postgresql://app:hunter22@db.example:5432/app', schema: 'tenant_acme' },
			{ name: 'globex', origin: 'tenants.txt line 4', originKind: 'line', databaseUrlEnv: 'GLOBEX_URL', schema: 'tenant_globex', ledgerSchema: 'globex_ledger' },
			{ name: 'initech', origin: 'tenants.txt line 5', originKind: 'line', databaseUrlEnv: 'SHARED_URL' },
		])
		// the URL's password is known to the redaction as soon as the line is read
		expect(redact('failed: hunter22')).toBe('failed: ***')
	})

	it('names the line of a malformed entry, never echoing a URL', () => {
		expect(() => parseTargetLines('acme', 'list')).toThrow(/list line 1: expected "name url-or-env/)
		expect(() => parseTargetLines('acme mysql-ish', 'list')).toThrow(/neither a URL/)
		expect(() => parseTargetLines('acme env:X bad-schema', 'list')).toThrow(/schema "bad-schema"/)
		let message = ''
		try {
			parseTargetLines('postgresql://u:sekrit-pw@h/db acme', 'list')
		} catch (error) {
			message = (error as Error).message
		}
		expect(message).toMatch(/starts with a database URL/)
		expect(message).not.toContain('sekrit-pw')
	})

	it('env references: env:VAR, $VAR and ${VAR}', () => {
		expect(envReference('env:A_1')).toBe('A_1')
		expect(envReference('$B')).toBe('B')
		expect(envReference('${C}')).toBe('C')
		expect(envReference('postgres://x')).toBeUndefined()
	})
})

describe('resolveTargets', () => {
	const config = configTargets({
		prod: { databaseUrlEnv: 'PROD_DB' },
		acme: { databaseUrl: 'postgresql://app@h/db', schema: 'tenant_acme' },
		globex: { databaseUrl: 'postgresql://app@h/db', schema: 'tenant_globex', ledgerSchema: 'globex_l' },
	}, 'strata.config.json /targets')

	it('reads env connections, derives one ledger per tenant schema, keeps the project ledger for public', () => {
		const resolved = resolveTargets(config, { PROD_DB: 'postgresql://app:pw-from-env@prod/db' }, { ledgerSchema: 'meta' })
		expect(resolved.map(({ name, schemaName, ledgerSchema, declaresSchema }) => ({ name, schemaName, ledgerSchema, declaresSchema }))).toEqual([
			{ name: 'prod', schemaName: 'public', ledgerSchema: 'meta', declaresSchema: false },
			{ name: 'acme', schemaName: 'tenant_acme', ledgerSchema: 'tenant_acme_strata', declaresSchema: true },
			{ name: 'globex', schemaName: 'tenant_globex', ledgerSchema: 'globex_l', declaresSchema: true },
		])
		expect(redact('pw-from-env')).toBe('***')
	})

	it('a missing environment variable names the config file and path', () => {
		expect(() => resolveTargets(config, {})).toThrow('strata.config.json /targets/prod/databaseUrlEnv: environment variable PROD_DB is not set.')
	})

	it('two targets sharing a ledger or a schema of one database are refused', () => {
		const shared = configTargets({ a: { databaseUrl: 'postgresql://h/db', schema: 's1', ledgerSchema: 'l' }, b: { databaseUrl: 'postgresql://other@h:5432/db', schema: 's2', ledgerSchema: 'l' } }, 'c /targets')
		expect(() => resolveTargets(shared, {})).toThrow(/share the ledger l/)
		const tables = configTargets({ a: { databaseUrl: 'postgresql://h/db', schema: 's1', ledgerSchema: 'l1' }, b: { databaseUrl: 'postgresql://h/db', schema: 's1', ledgerSchema: 'l2' } }, 'c /targets')
		expect(() => resolveTargets(tables, {})).toThrow(/same schema s1/)
		expect(() => resolveTargets([...config, ...parseTargetLines('acme $X', 'list')], { X: 'postgresql://h/other' })).toThrow(/acme is declared twice/)
	})
})

describe('selectTargets', () => {
	const names = ['development', 'staging', 'production', 'tenant_1', 'tenant_2']
	it('--target names, --targets all and globs, in declaration order', () => {
		expect(selectTargets(names, { target: ['production', 'staging'] }, 'c')).toEqual(['staging', 'production'])
		expect(selectTargets(names, { targets: 'all' }, 'c')).toEqual(names)
		expect(selectTargets(names, { targets: 'tenant_*' }, 'c')).toEqual(['tenant_1', 'tenant_2'])
		expect(selectTargets(names, { targets: 'tenant_?', target: ['staging'] }, 'c')).toEqual(['staging', 'tenant_1', 'tenant_2'])
	})
	it('an unknown name or an empty glob is an error with a suggestion', () => {
		expect(() => selectTargets(names, { target: ['stagin'] }, 'strata.config.json')).toThrow(/Unknown target "stagin"; strata.config.json declares .*"staging"/)
		expect(() => selectTargets(names, { targets: 'eu-*' }, 'c')).toThrow(/--targets eu-\* matches no target/)
	})
})
