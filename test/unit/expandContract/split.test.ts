/**
 * The splitter of migrations:diff --expand-contract: which step of the differ goes into expand,
 * which into contract, and which compatibility SQL comes with it. Pure.
 */
import { describe, expect, it } from 'vitest'
import { diffSchemas } from '../../../src/diff/diffSchemas.js'
import { compatibilityName, isCompatibilityComment } from '../../../src/expandContract/names.js'
import { splitExpandContract } from '../../../src/expandContract/split.js'
import { executeSqlModification } from '../../../src/modifications/sql/executeSql.js'
import { applyModifications } from '../../../src/modifications/fold.js'
import { FORMAT_VERSION_LATEST } from '../../../src/modifications/versions.js'
import { entity, schemaOf } from '../../integration/dev/project.js'

const before = schemaOf(entity('Post', { title: {}, body: { nullable: false }, votes: { type: 'Integer' } }))
const split = (after: ReturnType<typeof schemaOf>, options: Parameters<typeof diffSchemas>[2] = {}) => {
	const { modifications } = diffSchemas(before, after, options)
	return { modifications, split: splitExpandContract(before, modifications) }
}
const kinds = (list: readonly { modification: string }[] | undefined) => list?.map(it => it.modification)

describe('splitExpandContract', () => {
	it('leaves a backward compatible change alone', () => {
		expect(split(schemaOf(entity('Post', { title: {}, body: { nullable: false }, votes: { type: 'Integer' }, note: {} }))).split).toBeUndefined()
	})

	it('a field rename: new column, a sync trigger and a batched copy; contract drops trigger and old field', () => {
		const { modifications, split: result } = split(schemaOf(entity('Post', { headline: {}, body: { nullable: false }, votes: { type: 'Integer' } })), { renames: { 'Post.title': 'headline' } })
		expect(kinds(result?.expand)).toEqual(['createColumn', 'executeSql', 'executeSql'])
		expect(result?.expand[0]).toMatchObject({ field: { name: 'headline', columnName: 'headline', nullable: true } })
		expect(result?.expand[0]).not.toHaveProperty('copyValue')
		expect(result?.expand[1]?.sql).toContain('BEFORE INSERT OR UPDATE ON "post"')
		expect(result?.expand[1]?.sql).toContain(`COMMENT ON TRIGGER "strata_sync_post_title" ON "post" IS`)
		expect(result?.expand[2]).toMatchObject({ transactional: false })
		expect(result?.expand[2]?.sql).toContain('UPDATE "post" SET "headline" = "title" WHERE')
		expect(result?.expand[2]?.sql).toContain('AND ("headline" IS NULL)')
		expect(kinds(result?.contract)).toEqual(['executeSql', 'removeField'])
		expect(result?.contract[0]?.sql).toContain('DROP TRIGGER IF EXISTS "strata_sync_post_title"')
		const end = applyModifications(applyModifications(before, result!.expand, FORMAT_VERSION_LATEST), result!.contract, FORMAT_VERSION_LATEST)
		expect(end.model).toEqual(applyModifications(before, modifications, FORMAT_VERSION_LATEST).model)
	})

	it('a NOT NULL field renamed: the new column is guarded by a NOT VALID check until the contract validates it and sets NOT NULL', () => {
		const { modifications, split: result } = split(schemaOf(entity('Post', { title: {}, text: { nullable: false }, votes: { type: 'Integer' } })), { renames: { 'Post.body': 'text' } })
		expect(result?.expand[0]).toMatchObject({ field: { name: 'text', columnName: 'text', nullable: true } })
		expect(result?.expand[1]?.sql).toContain('CHECK ("text" IS NOT NULL) NOT VALID')
		expect(kinds(result?.contract)).toEqual(['executeSql', 'updateColumnDefinition', 'executeSql', 'executeSql', 'removeField'])
		expect(result?.contract[0]?.sql).toContain('VALIDATE CONSTRAINT "strata_notnull_post_text"')
		expect(result?.contract[1]).toMatchObject({ fieldName: 'text', definition: { nullable: false } })
		const end = applyModifications(applyModifications(before, result!.expand, FORMAT_VERSION_LATEST), result!.contract, FORMAT_VERSION_LATEST)
		expect(end.model).toEqual(applyModifications(before, modifications, FORMAT_VERSION_LATEST).model)
	})

	it('a backfill walks the primary key in committed batches, so it ends even where a value stays NULL', () => {
		const { split: result } = split(schemaOf(entity('Post', { title: {}, body: { nullable: false }, votes: { type: 'Integer' }, status: { nullable: false } })), { fills: { 'Post.status': { value: 'draft' } } })
		const backfill = String(result?.expand[2]?.sql)
		expect(backfill).toMatch(/^DO \$strata_backfill\$/)
		expect(backfill).toContain('ORDER BY "id" LIMIT 5000')
		expect(backfill).toContain('COMMIT;')
		expect(backfill).toContain('done_upto := batch_end;')
	})

	it('a new NOT NULL column: added nullable, trigger + NOT VALID check, backfill outside the transaction; contract validates, sets NOT NULL, drops', () => {
		const { split: result } = split(schemaOf(entity('Post', { title: {}, body: { nullable: false }, votes: { type: 'Integer' }, status: { nullable: false } })), { fills: { 'Post.status': { value: 'draft' } } })
		expect(kinds(result?.expand)).toEqual(['createColumn', 'executeSql', 'executeSql'])
		expect(result?.expand[0]).toMatchObject({ field: { name: 'status', nullable: true } })
		expect(result?.expand[0]).not.toHaveProperty('fillValue')
		expect(result?.expand[1]?.sql).toContain('CHECK ("status" IS NOT NULL) NOT VALID')
		expect(result?.expand[2]).toMatchObject({ transactional: false })
		expect(result?.expand[2]?.sql).toMatch(/UPDATE "post" SET "status" = .*draft.* WHERE/)
		expect(result?.expand[2]?.sql).toContain('AND ("status" IS NULL)')
		expect(kinds(result?.contract)).toEqual(['executeSql', 'updateColumnDefinition', 'executeSql'])
		expect(result?.contract[0]?.sql).toContain('VALIDATE CONSTRAINT "strata_notnull_post_status"')
		expect(result?.contract[1]).toMatchObject({ fieldName: 'status', definition: { nullable: false } })
	})

	it('marks its SQL steps as compatibility steps: described as such, without the DDL warning of a hand-written SQL step (S013)', () => {
		const { split: result } = split(schemaOf(entity('Post', { headline: {}, body: { nullable: false }, votes: { type: 'Integer' } })), { renames: { 'Post.title': 'headline' } })
		const steps = [...result!.expand, ...result!.contract].filter(it => it.modification === 'executeSql')
		expect(steps.length).toBeGreaterThan(0)
		for (const step of steps) {
			expect(step).toMatchObject({ compatibility: true })
			const description = executeSqlModification.describe(step as never, { schema: before, createdEntities: new Set() })
			expect(description.message).toMatch(/^Expand\/contract step/)
			expect(description.warnings).toEqual([])
		}
		// a hand-written step with the same DDL is warned about
		const handWritten = executeSqlModification.describe({ sql: String(steps[0]!.sql) }, { schema: before, createdEntities: new Set() })
		expect(handWritten.warnings.map(it => it.code)).toEqual(['S013'])
	})

	it('a nullable column made NOT NULL with a fill value', () => {
		const { split: result } = split(schemaOf(entity('Post', { title: { nullable: false }, body: { nullable: false }, votes: { type: 'Integer' } })), { fills: { 'Post.title': { value: 'x' } } })
		expect(kinds(result?.expand)).toEqual(['executeSql', 'executeSql'])
		expect(kinds(result?.contract)).toEqual(['executeSql', 'updateColumnDefinition', 'executeSql'])
		expect(result?.contract[1]).not.toHaveProperty('fillValue')
	})

	it('a table rename: the rename and a view under the old name; contract drops the view', () => {
		const { split: result } = split(schemaOf(entity('Article', { title: {}, body: { nullable: false }, votes: { type: 'Integer' } })), { renames: { Post: 'Article' } })
		expect(kinds(result?.expand)).toEqual(['updateEntityName', 'executeSql'])
		expect(result?.expand[1]?.sql).toContain('CREATE OR REPLACE VIEW "post" AS SELECT * FROM "article"')
		expect(result?.contract.map(it => it.sql)).toEqual(['DROP VIEW IF EXISTS "post"'])
	})

	it('removals go to contract; a NOT NULL column removed is made nullable in expand', () => {
		const { split: result } = split(schemaOf(entity('Post', { title: {}, votes: { type: 'Integer' } })))
		expect(result?.expand).toEqual([{ modification: 'updateColumnDefinition', entityName: 'Post', fieldName: 'body', definition: { type: 'String', columnType: 'text', nullable: true } }])
		expect(kinds(result?.contract)).toEqual(['removeField'])
	})

	it('a type change: a temporary column of the new type and a trigger; contract swaps the names', () => {
		const { modifications, split: result } = split(schemaOf(entity('Post', { title: {}, body: { nullable: false }, votes: { type: 'String' } })))
		expect(kinds(result?.expand)).toEqual(['createColumn', 'executeSql', 'executeSql'])
		expect(result?.expand[0]).toMatchObject({ field: { name: 'votesNext', columnName: 'votes_next', columnType: 'text', nullable: true } })
		expect(result?.expand[1]?.sql).toContain('(SELECT "votes"::text FROM (SELECT NEW.*) AS "post")')
		expect(result?.expand[2]).toMatchObject({ transactional: false })
		expect(result?.expand[2]?.sql).toContain('UPDATE "post" SET "votes_next" = "votes"::text WHERE')
		expect(result?.expand[2]?.sql).toContain('AND ("votes_next" IS NULL AND "votes" IS NOT NULL)')
		expect(result?.contract.slice(1)).toEqual([
			{ modification: 'removeField', entityName: 'Post', fieldName: 'votes' },
			{ modification: 'updateFieldName', entityName: 'Post', fieldName: 'votesNext', newFieldName: 'votes', columnName: 'votes' },
		])
		const end = applyModifications(applyModifications(before, result!.expand, FORMAT_VERSION_LATEST), result!.contract, FORMAT_VERSION_LATEST)
		expect(end.model).toEqual(applyModifications(before, modifications, FORMAT_VERSION_LATEST).model)
	})

	it('a type change of an identity column stays in expand, with a warning', () => {
		const withIdentity = schemaOf(entity('Post', { votes: { type: 'Integer' } }))
		const votes = withIdentity.model.entities.Post!.fields.votes as { sequence?: unknown; nullable: boolean }
		Object.assign(votes, { sequence: { precedence: 'BY DEFAULT' }, nullable: false })
		const after = structuredClone(withIdentity)
		Object.assign(after.model.entities.Post!.fields.votes!, { columnType: 'bigint' })
		const result = splitExpandContract(withIdentity, diffSchemas(withIdentity, after).modifications)
		expect(kinds(result?.expand)).toEqual(['updateColumnDefinition'])
		expect(result?.warnings[0]).toContain('Post.votes: the type change (integer → bigint) is not split')
	})

	it('additive steps keep the differ\'s order in expand, removals theirs in contract, and both halves build the declared schema', () => {
		const after = schemaOf(entity('Post', { headline: {}, votes: { type: 'Integer' }, status: { nullable: false } }), entity('Tag', { label: {} }))
		const { modifications, split: result } = split(after, { renames: { 'Post.title': 'headline' }, fills: { 'Post.status': { value: 'draft' } } })
		const middle = applyModifications(before, result!.expand, FORMAT_VERSION_LATEST)
		expect(Object.keys(middle.model.entities.Post!.fields).sort()).toEqual(['body', 'headline', 'id', 'status', 'title', 'votes'])
		const end = applyModifications(middle, result!.contract, FORMAT_VERSION_LATEST)
		expect(end.model).toEqual(applyModifications(before, modifications, FORMAT_VERSION_LATEST).model)
		expect(kinds(result!.contract)!.filter(it => it !== 'executeSql')).toEqual(['removeField', 'removeField', 'updateColumnDefinition'])
	})
})

describe('compatibility names', () => {
	it('are derived from table and column, shortened with a hash within 63 bytes', () => {
		expect(compatibilityName('sync', 'post', 'title')).toBe('strata_sync_post_title')
		const long = compatibilityName('fill', 'a'.repeat(40), 'b'.repeat(40))
		expect(Buffer.byteLength(long)).toBeLessThanOrEqual(63)
		expect(long).toBe(compatibilityName('fill', 'a'.repeat(40), 'b'.repeat(40)))
		expect(long).not.toBe(compatibilityName('fill', 'a'.repeat(40), `${'b'.repeat(39)}c`))
	})

	it('recognise the comment', () => {
		expect(isCompatibilityComment('strata compatibility: x')).toBe(true)
		expect(isCompatibilityComment('something else')).toBe(false)
		expect(isCompatibilityComment(null)).toBe(false)
	})
})
