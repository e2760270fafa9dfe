/**
 * Only a lost connection is reported as one (src/db/failure.ts isConnectionLoss); an error
 * PostgreSQL sent, or a JavaScript exception, is not.
 */
import { describe, expect, it } from 'vitest'
import { isConnectionLoss } from '../../../src/db/failure.js'

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code })

describe('isConnectionLoss', () => {
	it.each([
		['ECONNRESET', withCode('ECONNRESET', 'read ECONNRESET')],
		['EPIPE', withCode('EPIPE', 'write EPIPE')],
		['admin shutdown 57P01', Object.assign(withCode('57P01', 'terminating connection due to administrator command'), { severity: 'FATAL' })],
		['crash shutdown 57P02', withCode('57P02')],
		['cannot connect now 57P03', withCode('57P03')],
		['connection exception 08006', withCode('08006')],
		['pg: Connection terminated unexpectedly', new Error('Connection terminated unexpectedly')],
		['pg: not queryable', new Error('Client was closed and is not queryable')],
	])('%s is a lost connection', (_label, error) => {
		expect(isConnectionLoss(error)).toBe(true)
	})

	it.each([
		['a JavaScript exception from SQL generation', new Error('Cannot write Infinity as an SQL literal')],
		['a TypeError', new TypeError("Cannot read properties of undefined (reading 'fields')")],
		['a RangeError (stack overflow)', new RangeError('Maximum call stack size exceeded')],
		['a syntax error PostgreSQL sent', Object.assign(withCode('42601', 'syntax error at or near ";"'), { severity: 'ERROR' })],
		['a thrown string', 'boom'],
		['undefined', undefined],
	])('%s is not', (_label, error) => {
		expect(isConnectionLoss(error)).toBe(false)
	})
})
