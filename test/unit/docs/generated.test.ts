/**
 * The generated reference docs (scripts/generate-docs.ts) are what is on disk, and what they are
 * generated from is complete: every modification's example is data its schema accepts, every
 * command has its exit codes, and main.ts registers the global options and examples reference.ts
 * defines (it copies none).
 */
import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { commands } from '../../../src/cli/commands/index.js'
import { commandExitCodes, globalOptions } from '../../../src/cli/commands/reference.js'
import { modificationHandlers, modificationIds } from '../../../src/modifications/registry.js'
import { generatedDocs } from '../../../scripts/docs/all.js'

const root = new URL('../../../', import.meta.url)

describe('generated docs', () => {
	const docs = generatedDocs()

	it.each(Object.keys(docs))('%s is up to date', path => {
		const onDisk = readFileSync(new URL(path, root), 'utf8')
		if (onDisk !== docs[path]) expect.fail(`${path} is stale: run npm run docs:generate`)
	})

	it.each(modificationIds)('the docs example of %s is data its schema accepts', id => {
		const { dataSchema, docs: { example } } = modificationHandlers[id]
		const validate = new Ajv({ allErrors: true, strict: false }).compile(dataSchema)
		expect(validate(example), JSON.stringify(validate.errors)).toBe(true)
	})

	it('gives every command its exit codes', () => {
		const names = commands.map(module => String(module.command).split(' ')[0]!)
		expect(names.filter(name => !(name in commandExitCodes))).toEqual([])
	})

	it('main.ts takes its global options and top-level examples from reference.ts, copying none', () => {
		const main = readFileSync(new URL('src/cli/main.ts', root), 'utf8')
		expect(main).toMatch(/\.options\(globalOptions\)/)
		expect(main).toMatch(/\.example\(topLevelExamples/)
		expect(main).not.toMatch(/\.option\('/)
		expect(main).not.toMatch(/\.example\('/)
		expect(Object.values(globalOptions).every(option => option.global)).toBe(true)
	})
})
