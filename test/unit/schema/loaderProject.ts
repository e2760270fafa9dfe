/** A throwaway project for the schema loader tests, and the error a load must end in. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { expect } from 'vitest'
import { StrataError } from '../../../src/errors.js'

/** a temporary ESM project holding `files` (path → content) */
export const project = (files: Record<string, string>): string => {
	const root = mkdtempSync(join(tmpdir(), 'strata-loader-'))
	writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n')
	for (const [path, content] of Object.entries(files)) {
		mkdirSync(dirname(join(root, path)), { recursive: true })
		writeFileSync(join(root, path), content)
	}
	return root
}

/** the StrataError `promise` rejects with; fails the test when it resolves or rejects with anything else */
export const failure = async (promise: Promise<unknown>): Promise<StrataError> => {
	try {
		await promise
	} catch (error) {
		expect(error).toBeInstanceOf(StrataError)
		return error as StrataError
	}
	throw new Error('expected a failure')
}
