/**
 * makeRelationNotNull with a fill value (a strata extension): rows holding NULL get the given
 * target key (or a copied one) before SET NOT NULL, on a real PostgreSQL.
 */
import { describe, expect, it } from 'vitest'
import { diffSchemas } from '../../../src/diff/diffSchemas.js'
import { foldModifications } from '../../../src/modifications/fold.js'
import type { Modification } from '../../../src/modifications/types.js'
import { FORMAT_VERSION_LATEST } from '../../../src/modifications/versions.js'
import { emptySchema, type Schema } from '../../../src/schema/model.js'
import { useTestDatabase } from '../../helpers/database.js'

const db = useTestDatabase('relation_fill')

const schema = (nullable: boolean): Schema => ({
	...emptySchema,
	model: {
		enums: {},
		entities: {
			Author: {
				name: 'Author', primary: 'id', primaryColumn: 'id', tableName: 'author', unique: [], indexes: [], eventLog: { enabled: true },
				fields: { id: { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false } },
			},
			Post: {
				name: 'Post', primary: 'id', primaryColumn: 'id', tableName: 'post', unique: [], indexes: [], eventLog: { enabled: true },
				fields: {
					id: { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false },
					author: { name: 'author', type: 'ManyHasOne', target: 'Author', nullable, joiningColumn: { columnName: 'author_id', onDelete: 'restrict' } },
					editor: { name: 'editor', type: 'ManyHasOne', target: 'Author', nullable: true, joiningColumn: { columnName: 'editor_id', onDelete: 'restrict' } },
				},
			},
		},
	},
})

const sqlOf = (from: Schema, modifications: readonly Modification[]) =>
	foldModifications(from, modifications, { formatVersion: FORMAT_VERSION_LATEST }).steps.map(step => step.sql.toString()).join('\n')

const setUp = async (name: string) => {
	const target = await db.fresh(name)
	const client = await target.client()
	await client.query(sqlOf(emptySchema, diffSchemas(emptySchema, schema(true)).modifications))
	await client.query(`INSERT INTO author (id) VALUES ('00000000-0000-4000-8000-000000000001'), ('00000000-0000-4000-8000-000000000002')`)
	await client.query(`INSERT INTO post (id, author_id, editor_id) VALUES
		('00000000-0000-4000-8000-00000000000a', NULL, '00000000-0000-4000-8000-000000000002'),
		('00000000-0000-4000-8000-00000000000b', '00000000-0000-4000-8000-000000000002', NULL)`)
	return client
}

describe('makeRelationNotNull with a fill value', () => {
	it('fills NULL rows with the given key, keeps the others, then sets NOT NULL', async () => {
		const client = await setUp('fill')
		const fill: Modification = { modification: 'makeRelationNotNull', entityName: 'Post', fieldName: 'author', fillValue: '00000000-0000-4000-8000-000000000001' }
		await client.query(sqlOf(schema(true), [fill]))
		const rows = await client.query(`SELECT id, author_id FROM post ORDER BY id`)
		expect(rows.rows.map(row => row.author_id)).toEqual(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'])
		const column = await client.query(`SELECT is_nullable FROM information_schema.columns WHERE table_name = 'post' AND column_name = 'author_id'`)
		expect(column.rows[0].is_nullable).toBe('NO')
	})

	it('copies the key from another relation', async () => {
		const client = await setUp('copy')
		await client.query(sqlOf(schema(true), [{ modification: 'makeRelationNotNull', entityName: 'Post', fieldName: 'author', copyValue: 'editor' }]))
		const rows = await client.query(`SELECT author_id FROM post ORDER BY id`)
		expect(rows.rows.map(row => row.author_id)).toEqual(['00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000002'])
	})

	it('without a fill value fails on NULL rows, as described by its warning', async () => {
		const client = await setUp('plain')
		const plain: Modification = { modification: 'makeRelationNotNull', entityName: 'Post', fieldName: 'author' }
		const [step] = foldModifications(schema(true), [plain], { formatVersion: FORMAT_VERSION_LATEST }).steps
		expect(step!.description.warnings.map(it => it.code)).toHaveLength(1)
		await expect(client.query(step!.sql.toString())).rejects.toThrow(/null values/)
	})

	it('the differ attaches a --fill answer to the relation', () => {
		const { modifications } = diffSchemas(schema(true), schema(false), { fills: { 'Post.author': { value: '00000000-0000-4000-8000-000000000001' } } })
		expect(modifications).toEqual([
			{ modification: 'makeRelationNotNull', entityName: 'Post', fieldName: 'author', fillValue: '00000000-0000-4000-8000-000000000001' },
		])
	})
})
