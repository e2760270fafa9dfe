import { describe, expect, it } from 'vitest'
import { looksLikeConnectionString, passwordsIn, redact, registerConnectionSecrets, registerSecret } from '../../../src/db/redact.js'

const PASSWORD = 'pa@ss w0rd/%x:XYZ'

describe('redact by shape (secrets never registered)', () => {
	it.each([
		['a URL with its :// mistyped', 'postgres//user:hunter22@host/db', 'hunter22'],
		['a URL with :/ only', 'postgresql:/user:hunter22@host/db', 'hunter22'],
		['a password holding @', 'postgresql://app:pa@ssw0rdXYZ@host/db', 'ssw0rdXYZ'],
		['spaces in the password and the host', 'postgresql://app:pass word@no host/db', 'pass word'],
		['any scheme', 'mysql://app:hunter22@host/db', 'hunter22'],
		['a password query parameter', 'postgresql://host/db?user=u&password=hunter22&sslmode=require', 'hunter22'],
		['key/value, bare', 'host=db user=app password=hunter22 dbname=app', 'hunter22'],
		['key/value, single-quoted with a space', "host=db password='hunter 22' dbname=app", 'hunter 22'],
		['key/value, quoted with an escaped quote', "host=db password='it\\'s secret' dbname=app", 's secret'],
		['key/value, double-quoted', 'password="hunter 22"', 'hunter 22'],
		['PGPASSWORD-style settings', 'PGPASSWORD=hunter22', 'hunter22'],
	])('%s', (_, text, secret) => {
		const redacted = redact(`failed: ${text} (again)`)
		expect(redacted).not.toContain(secret)
		expect(redacted).toContain('***')
	})

	it('keeps ordinary text and password-less URLs', () => {
		for (const text of ['postgresql://postgres@127.0.0.1:5432/postgres', 'PostgreSQL: role "x" does not exist', 'password authentication failed for user "app"']) {
			expect(redact(text)).toBe(text)
		}
	})

	it('redacting twice changes nothing more', () => {
		const once = redact("(host=db password='a b'); then postgres//u:pw@h/db.")
		expect(redact(once)).toBe(once)
		expect(once).toBe('(host=db password=***); then postgres//u:***@h/db.')
	})
})

describe('registered secrets', () => {
	it('are redacted in every printed shape: raw, percent-encoded (either case), URL-serialized, JSON-escaped', () => {
		registerConnectionSecrets(`postgresql://app:${encodeURIComponent(PASSWORD)}@db/app`)
		const url = new URL('postgresql://app@db/app')
		url.password = PASSWORD
		const shapes = [PASSWORD, encodeURIComponent(PASSWORD), encodeURIComponent(PASSWORD).replace(/%[0-9A-F]{2}/g, hex => hex.toLowerCase()), url.password, JSON.stringify(PASSWORD).slice(1, -1)]
		for (const shape of shapes) expect(redact(`pg said: ${shape}.`)).toBe('pg said: ***.')
		expect(redact(JSON.stringify({ message: `database "${PASSWORD}" does not exist` }))).not.toContain('w0rd')
	})

	it('a password is found in a malformed URL, key/value string or schemeless URL', () => {
		expect(passwordsIn('postgres//user:s3cret@host/db')).toContain('s3cret')
		expect(passwordsIn('postgresql://app:pa@ss@host/db')).toContain('pa@ss')
		expect(passwordsIn("host=h password='x y\\'z'")).toContain("x y'z")
		expect(passwordsIn('app:s3cret@host/db')).toContain('s3cret')
		expect(passwordsIn('postgresql://app@host/db')).toEqual([])
	})

	it('short secrets are not substituted in ordinary words (minimum length), but their URL shape still is', () => {
		registerSecret('the')
		expect(redact('the table')).toBe('the table')
		expect(redact('postgres//u:the@h/db')).toBe('postgres//u:***@h/db')
	})

	it('a bare .env/config value, once registered, is redacted as a substring anywhere', () => {
		registerSecret('Zebra-Horse-42')
		expect(redact('Error: connect failed Zebra-Horse-42\n    at x (file.js:1:1)')).not.toContain('Zebra-Horse-42')
	})
})

it('recognises a connection string typed where a name goes', () => {
	for (const text of ['postgresql://app:pw@host/app', 'postgres//u:p@h/d', 'host=h password=x', 'app:pw@host/db']) expect(looksLikeConnectionString(text)).toBe(true)
	for (const text of ['add-categories', 'blog', '2024-05-01-120000', 'Post.title:headline']) expect(looksLikeConnectionString(text)).toBe(false)
})
