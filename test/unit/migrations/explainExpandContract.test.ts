/** migrations:describe's explanation of an expand/contract pair (src/api/history.ts explainExpandContract), derived from the files. */
import { describe, expect, it } from 'vitest'
import { explainExpandContract } from '../../../src/api/history.js'
import { parseMigration, type MigrationFile } from '../../../src/migrations/files.js'
import { createColumn, createEntity } from '../../integration/db/fixtures.js'

const file = (name: string, content: object): MigrationFile => parseMigration(name, JSON.stringify({ formatVersion: 6, ...content }))

const posts = file('2024-01-01-100000-posts', { modifications: [createEntity('Post', 'post'), createColumn('Post', 'title')] })
const expand = file('2024-01-02-100000-rename-title-expand', {
	modifications: [createColumn('Post', 'headline'), { modification: 'executeSql', sql: 'CREATE TRIGGER post_sync BEFORE INSERT OR UPDATE ON post\nFOR EACH ROW EXECUTE FUNCTION post_sync()' }],
	strata: { expandContract: { phase: 'expand', pair: 'rename-title' }, extensions: ['executeSql'] },
})
const contract = file('2024-01-03-100000-rename-title-contract', {
	modifications: [{ modification: 'removeField', entityName: 'Post', fieldName: 'title' }],
	strata: { expandContract: { phase: 'contract', pair: 'rename-title' } },
})

describe('explainExpandContract', () => {
	it('a migration outside a pair has no explanation', () => {
		expect(explainExpandContract([posts, expand, contract], posts)).toBeUndefined()
	})

	it('both halves explain the same pair: the sequence, the old names kept, the new ones added', () => {
		const fromExpand = explainExpandContract([posts, expand, contract], expand)!
		expect(fromExpand).toMatchObject({ phase: 'expand', pair: 'rename-title', partner: contract.name, expand: expand.name, contract: contract.name })
		expect(fromExpand.sequence.map(it => it.step)).toEqual(['expand', 'deploy', 'contract'])
		expect(fromExpand.sequence[2]!.text).toContain('migrations:execute --contract')
		expect(fromExpand.oldApplicationSees).toEqual([
			`old names kept until the contract: post.title (removed by ${contract.name})`,
			'kept in step by the expand\'s SQL step (not part of the declared model): CREATE TRIGGER post_sync BEFORE INSERT OR UPDATE ON post',
		])
		expect(fromExpand.newApplicationSees).toEqual(['added by the expand: post.headline', 'must no longer use: post.title (removed by the contract)'])
		const fromContract = explainExpandContract([posts, expand, contract], contract)!
		expect(fromContract).toMatchObject({ phase: 'contract', partner: expand.name })
		expect(fromContract.oldApplicationSees).toEqual(fromExpand.oldApplicationSees)
	})

	it('an expand whose contract is not written yet: no partner, the sequence still says what comes', () => {
		const alone = explainExpandContract([posts, expand], expand)!
		expect(alone.partner).toBeUndefined()
		expect(alone.sequence[2]!.text).toContain('the contract of rename-title')
		expect(alone.newApplicationSees).toEqual(['added by the expand: post.headline'])
	})
})
