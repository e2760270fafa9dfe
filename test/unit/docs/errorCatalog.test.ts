/**
 * The error catalogue (src/errorCatalog.ts, rendered as docs/errors.md) against the code: every
 * code src/ throws is catalogued with the exit code it ends with, and every catalogued code is
 * still thrown. The codes are read from the source text: `new StrataError('X', …)`, the fixed
 * `super('X', …)` of its subclasses, and the last argument of `new ValidationError(…)`.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { errorCatalog } from '../../../src/errorCatalog.js'
import { ExitCode } from '../../../src/errors.js'
import { ConflictCode } from '../../../src/modifications/conflicts.js'

const root = new URL('../../../', import.meta.url).pathname

const sourceFiles = (dir: string): string[] =>
	readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
		entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [])

/** the text of the argument list opening at `start` (just after the `(`), split into its top-level arguments */
const callArguments = (text: string, start: number): string[] => {
	const args: string[] = []
	let depth = 0
	let current = ''
	let quote: string | undefined
	for (let index = start; index < text.length; index++) {
		const char = text[index]!
		if (quote) {
			current += char
			if (char === '\\') current += text[++index] ?? ''
			else if (char === quote) quote = undefined
			continue
		}
		if (char === '\'' || char === '"' || char === '`') quote = char
		else if ('([{'.includes(char)) depth++
		else if (')]}'.includes(char)) {
			if (depth === 0) return [...args, current.trim()].filter(Boolean)
			depth--
		} else if (char === ',' && depth === 0) {
			args.push(current.trim())
			current = ''
			continue
		}
		current += char
	}
	return args
}

interface Raise { readonly code: string; readonly exitCode: ExitCode | undefined; readonly where: string }

const literalCode = (argument: string | undefined): string | undefined => /^'([A-Z][A-Z0-9_]+)'$/.exec(argument ?? '')?.[1]
	?? /\?\?\s*'([A-Z][A-Z0-9_]+)'$/.exec(argument ?? '')?.[1]
const exitCodeOf = (argument: string | undefined): ExitCode | undefined =>
	argument === undefined || argument === 'undefined' ? ExitCode.userError : ExitCode[/^ExitCode\.(\w+)$/.exec(argument)?.[1] as keyof typeof ExitCode]

const raises = (): Raise[] => sourceFiles(join(root, 'src')).flatMap(file => {
	const text = readFileSync(file, 'utf8')
	const where = relative(root, file)
	const found: Raise[] = []
	for (const match of text.matchAll(/new StrataError\(|\bsuper\(/g)) {
		const args = callArguments(text, match.index + match[0].length)
		const code = literalCode(args[0])
		if (code) found.push({ code, exitCode: exitCodeOf(args[2]), where })
	}
	for (const match of text.matchAll(/new ValidationError\(/g)) {
		const args = callArguments(text, match.index + match[0].length)
		found.push({ code: literalCode(args[2]) ?? 'INVALID_INPUT', exitCode: ExitCode.userError, where })
	}
	return found
})

describe('the error catalogue', () => {
	const thrown = raises()
	// MigrationReplayError takes its code from the conflict it reports
	const thrownCodes = new Set([...thrown.map(it => it.code), ...Object.values(ConflictCode)])

	it('finds the codes in the source (the scan works)', () => {
		expect(thrownCodes).toContain('MIGRATION_FAILED')
		expect(thrownCodes).toContain('INVALID_LABEL')
		expect(thrownCodes).toContain('PROJECT_INVALID')
		expect(thrown.length).toBeGreaterThan(80)
	})

	it('lists every code src/ throws', () => {
		const missing = thrown.filter(it => !(it.code in errorCatalog)).map(it => `${it.code} (${it.where})`)
		expect(missing, 'add these codes to src/errorCatalog.ts, then run npm run docs:generate').toEqual([])
	})

	it('lists no code src/ no longer throws', () => {
		const unused = Object.keys(errorCatalog).filter(code => !thrownCodes.has(code))
		expect(unused, 'remove these codes from src/errorCatalog.ts, then run npm run docs:generate').toEqual([])
	})

	it('gives each code the exit codes it is thrown with', () => {
		const wrong = thrown
			.filter(it => it.exitCode !== undefined && it.code in errorCatalog)
			.filter(it => !(errorCatalog[it.code as keyof typeof errorCatalog].exitCodes as readonly number[]).includes(it.exitCode!))
			.map(it => `${it.code}: exit ${it.exitCode} (${it.where})`)
		expect(wrong).toEqual([])
	})
})
