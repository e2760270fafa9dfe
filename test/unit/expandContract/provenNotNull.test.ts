/**
 * A contract's SET NOT NULL after its validated compatibility check: describe and lint know it
 * cannot fail and reads no row; a NOT NULL the contract sets without such a check is still warned about.
 */
import { describe, expect, it } from 'vitest'
import { diffSchemas } from '../../../src/diff/diffSchemas.js'
import { splitExpandContract } from '../../../src/expandContract/split.js'
import { lintMigrations } from '../../../src/lint/lintMigrations.js'
import { describeMigration } from '../../../src/migrations/describe.js'
import { applyModifications } from '../../../src/modifications/fold.js'
import { FORMAT_VERSION_LATEST } from '../../../src/modifications/versions.js'
import { entity, schemaOf } from '../../integration/dev/project.js'

const before = schemaOf(entity('Post', { title: {}, body: { nullable: false } }))

const contractOf = (after: ReturnType<typeof schemaOf>, options: Parameters<typeof diffSchemas>[2]) => {
	const split = splitExpandContract(before, diffSchemas(before, after, options).modifications)!
	const middle = applyModifications(before, split.expand, FORMAT_VERSION_LATEST)
	const file = { name: '2024-01-02-100000-x-contract', version: '2024-01-02-100000', formatVersion: FORMAT_VERSION_LATEST, modifications: split.contract, strata: { expandContract: { phase: 'contract' as const, pair: 'x' } } }
	return { middle, file, described: describeMigration(middle, file) }
}

describe('a contract SET NOT NULL proved by its validated check', () => {
	it('a NOT NULL field renamed: no S006 on the step, no L003, and the SET NOT NULL reads no row', () => {
		const { middle, file, described } = contractOf(schemaOf(entity('Post', { title: {}, text: { nullable: false } })), { renames: { 'Post.body': 'text' } })
		const setNotNull = described.find(step => step.modification === 'updateColumnDefinition')!
		expect(setNotNull.warnings.map(it => it.code)).toEqual([])
		expect(setNotNull.statements.find(it => /SET NOT NULL/.test(it.sql))).toMatchObject({ effect: 'catalog' })
		expect(lintMigrations([file], middle).findings.map(it => it.code)).not.toContain('L003')
	})

	it('a new NOT NULL column with a fill value: the same', () => {
		const { middle, file, described } = contractOf(schemaOf(entity('Post', { title: {}, body: { nullable: false }, status: { nullable: false } })), { fills: { 'Post.status': { value: 'draft' } } })
		expect(described.find(step => step.modification === 'updateColumnDefinition')!.warnings).toEqual([])
		expect(lintMigrations([file], middle).findings.map(it => it.code)).not.toContain('L003')
	})

	it('a NOT NULL without a fill value waits for the contract, with no check before it: still warned about', () => {
		const { middle, file, described } = contractOf(schemaOf(entity('Post', { title: { nullable: false }, body: { nullable: false } })), {})
		expect(described.find(step => step.modification === 'updateColumnDefinition')!.warnings.map(it => it.code)).toContain('S006')
		expect(lintMigrations([file], middle).findings.map(it => it.code)).toContain('L003')
	})
})
