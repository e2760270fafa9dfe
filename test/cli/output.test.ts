/** The error → message + exit code mapping and the output streams, without spawning. */
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { InternalError, StrataError, ValidationError, ExitCode } from '../../src/errors.js'
import { colorEnabled, createOutput, reportError, UsageError } from '../../src/cli/output.js'
import { registerSecret } from '../../src/db/redact.js'

const capture = () => {
	const chunks = { stdout: '', stderr: '' }
	const stream = (key: keyof typeof chunks) => new Writable({ write: (chunk, _encoding, done) => ((chunks[key] += String(chunk)), done()) })
	return { chunks, output: createOutput({ color: false }, { stdout: stream('stdout'), stderr: stream('stderr') }) }
}

describe('reportError', () => {
	it('uses the exit code of a StrataError', () => {
		const { chunks, output } = capture()
		expect(reportError(new StrataError('LOCKED', 'The lock is held by pid 42.', ExitCode.checkFailed), output, {})).toBe(3)
		expect(chunks.stderr).toBe('error: The lock is held by pid 42.\n')
		expect(chunks.stdout).toBe('')
	})

	it('lists every problem of a ValidationError', () => {
		const { chunks, output } = capture()
		const error = new ValidationError('2 problems:', [
			{ file: 'a.json', modificationIndex: 1, path: '/modifications/1/x', message: 'expected string' },
			{ file: 'b.json', path: '', message: 'duplicate version' },
		])
		expect(reportError(error, output, {})).toBe(1)
		expect(chunks.stderr).toBe('error: 2 problems:\n  ✗ a.json › modification #1 › /modifications/1/x: expected string\n  ✗ b.json: duplicate version\n')
	})

	it('treats anything else as a bug: exit 70, a report request, no stack', () => {
		const { chunks, output } = capture()
		expect(reportError(new TypeError("Cannot read properties of undefined (reading 'fields')"), output, {})).toBe(70)
		expect(chunks.stderr).toMatch(/^error: internal error: Cannot read properties of undefined \(reading 'fields'\)\n/)
		expect(chunks.stderr).toContain('please report it')
		expect(chunks.stderr).not.toMatch(/\n\s+at /)
	})

	it('prints stacks and causes with STRATA_DEBUG=1 only', () => {
		const error = new StrataError('X', 'outer', 1, { cause: new Error('inner') })
		const quiet = capture()
		reportError(error, quiet.output, {})
		expect(quiet.chunks.stderr).toBe('error: outer\n')
		const loud = capture()
		reportError(error, loud.output, { STRATA_DEBUG: '1' })
		expect(loud.chunks.stderr).toMatch(/\n\s+at /)
		expect(loud.chunks.stderr).toContain('caused by: Error: inner')
	})

	it('keeps InternalError at 70 and points usage errors at --help', () => {
		const internal = capture()
		expect(reportError(new InternalError('round trip failed'), internal.output, {})).toBe(70)
		expect(internal.chunks.stderr).toContain('please report it')
		const usage = capture()
		expect(reportError(new UsageError('Unknown argument: x'), usage.output, {})).toBe(1)
		expect(usage.chunks.stderr).toContain('strata --help')
	})
})

describe('output', () => {
	it('writes results to stdout and everything else to stderr', () => {
		const { chunks, output } = capture()
		output.info('result')
		output.json({ a: 1 })
		output.note('progress')
		output.warn('careful')
		expect(chunks.stdout).toBe('result\n{\n  "a": 1\n}\n')
		expect(chunks.stderr).toBe('progress\nwarning: careful\n')
	})

	it('turns colour off with --no-color or a non-empty NO_COLOR', () => {
		expect(colorEnabled({}, {})).toBe(true)
		expect(colorEnabled({ color: false }, {})).toBe(false)
		expect(colorEnabled({}, { NO_COLOR: '1' })).toBe(false)
		expect(colorEnabled({}, { NO_COLOR: '' })).toBe(true)
	})
})

describe('no secret reaches the streams', () => {
	it('every channel — info, note, warn, error, json — and STRATA_DEBUG stacks and causes are redacted', () => {
		registerSecret('OutputSecret42')
		const { chunks, output } = capture()
		output.info('result postgres//app:OutputSecret42@db/app')
		output.note("connecting to host=db password='kv pw' dbname=x")
		output.warn('retrying postgresql://app:pa@ss word@db/app')
		output.json({ url: 'postgresql://app:OutputSecret42@db/app', raw: 'OutputSecret42' })
		const error = new StrataError('X', 'failed for OutputSecret42', 1, { cause: new Error('pg said: database "xOutputSecret42" does not exist') })
		reportError(error, output, { STRATA_DEBUG: '1' })
		reportError(new TypeError('internal OutputSecret42'), output, { STRATA_DEBUG: '1' })
		const printed = chunks.stdout + chunks.stderr
		expect(printed).not.toMatch(/OutputSecret42|kv pw|pa@ss|ss word/)
		expect(printed).toContain('postgres//app:***@db/app')
		expect(printed).toMatch(/\n\s+at /) // the stack was printed, redacted
	})
})
