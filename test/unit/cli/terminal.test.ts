/** canPrompt: a question needs a terminal on both stdin and stdout, and never comes with --json. */
import { describe, expect, it } from 'vitest'
import { canPrompt } from '../../../src/cli/terminal.js'

const streams = (stdin: boolean, stdout: boolean) => ({ stdin: { isTTY: stdin }, stdout: { isTTY: stdout } })

describe('canPrompt', () => {
	it('asks only when stdin and stdout are both terminals', () => {
		expect(canPrompt({ jsonMode: false }, streams(true, true))).toBe(true)
		// `strata migrations:amend > out` from a terminal: the question would land in the file
		expect(canPrompt({ jsonMode: false }, streams(true, false))).toBe(false)
		expect(canPrompt({ jsonMode: false }, streams(false, true))).toBe(false)
		expect(canPrompt({ jsonMode: false }, { stdin: {}, stdout: {} })).toBe(false)
	})

	it('never asks with --json, even in a terminal', () => {
		expect(canPrompt({ jsonMode: true }, streams(true, true))).toBe(false)
	})
})
