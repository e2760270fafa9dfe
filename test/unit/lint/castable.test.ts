/** PostgreSQL's cast facts for strata's column types (src/lint/castable.ts), as pg_cast and I/O conversion have them. */
import { describe, expect, it } from 'vitest'
import { castability } from '../../../src/lint/castable.js'

describe('castability', () => {
	it.each([
		['integer', 'bigint'], ['bigint', 'integer'], ['integer', 'numeric(10,2)'], ['double precision', 'integer'], ['integer', 'boolean'], ['boolean', 'integer'],
		['date', 'timestamptz'], ['timestamp', 'date'], ['json', 'jsonb'], ['jsonb', 'integer'], ['jsonb', 'boolean'],
		// every type has a text form, and text is read by every type's input function (explicitly, as USING casts)
		['uuid', 'text'], ['jsonb', 'varchar(10)'], ['text', 'integer'], ['varchar(20)', 'uuid'], ['text', 'jsonb'],
		// an enum is a domain over text
		['"status"', 'text'], ['text', '"status"'], ['"status"', 'integer'],
		// arrays element by element, scalar → list by ARRAY[c]; a list casts to text only
		['integer[]', 'bigint[]'], ['integer', 'bigint[]'], ['integer[]', 'text'], ['character varying(5)', 'timestamp with time zone'],
	])('%s → %s is castable', (from, to) => expect(castability(from, to)).toBe('castable'))

	it.each([
		['jsonb', 'uuid'], ['json', 'integer'], ['uuid', 'integer'], ['integer', 'uuid'], ['boolean', 'date'], ['bigint', 'boolean'], ['double precision', 'boolean'],
		['date', 'integer'], ['time', 'timestamp'], ['integer[]', 'integer'], ['integer', 'uuid[]'], ['"status"[]', 'uuid'],
	])('%s → %s has no cast', (from, to) => expect(castability(from, to)).toBe('uncastable'))

	it('a type it does not know is never called uncastable', () => {
		expect(castability('inet', 'uuid')).toBe('unknown')
		expect(castability('integer', 'citext')).toBe('unknown')
	})
})
