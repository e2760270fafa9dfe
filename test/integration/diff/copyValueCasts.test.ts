/**
 * The copyValue rule (canCopy, src/diff/fills.ts) against PostgreSQL: for every ordered pair of
 * column types, the SQL strata emits for `createColumn` with `copyValue` runs on a table with one
 * row holding a typical value of the source type. Exactly the pairs canCopy offers must succeed:
 * an offered pair that fails would be a migration that breaks on the first row, and a refused pair
 * that succeeds would be a candidate withheld for nothing.
 */
import { describe, expect, it } from 'vitest'
import { diffSchemas } from '../../../src/diff/diffSchemas.js'
import { canCopy, copyTypeOf } from '../../../src/diff/fills.js'
import { foldModifications } from '../../../src/modifications/fold.js'
import type { Modification } from '../../../src/modifications/types.js'
import { FORMAT_VERSION_LATEST } from '../../../src/modifications/versions.js'
import { type Column, type ColumnType, columnTypes, emptySchema, type Schema } from '../../../src/schema/model.js'
import { useTestDatabase } from '../../helpers/database.js'

const db = useTestDatabase('copy_value_casts')

interface Kind {
	readonly label: string
	readonly type: ColumnType
	readonly columnType: string
	/** a typical value of the type, as SQL */
	readonly sample: string
}

// the SQL types strata's DSL gives each type (src/schema/define/columns.ts); Enum twice: the same enum and another one
const kinds: readonly Kind[] = [
	{ label: 'Uuid', type: 'Uuid', columnType: 'uuid', sample: `'00000000-0000-4000-8000-000000000001'` },
	{ label: 'String', type: 'String', columnType: 'text', sample: `'hello'` },
	{ label: 'Integer', type: 'Integer', columnType: 'integer', sample: '42' },
	{ label: 'Double', type: 'Double', columnType: 'double precision', sample: '2.5' },
	{ label: 'Numeric', type: 'Numeric', columnType: 'numeric', sample: '12.5' },
	{ label: 'Bool', type: 'Bool', columnType: 'boolean', sample: 'true' },
	{ label: 'DateTime', type: 'DateTime', columnType: 'timestamptz', sample: `'2024-05-06T07:08:09Z'` },
	{ label: 'Date', type: 'Date', columnType: 'date', sample: `'2024-05-06'` },
	{ label: 'Time', type: 'Time', columnType: 'time', sample: `'07:08:09'` },
	{ label: 'Json', type: 'Json', columnType: 'jsonb', sample: `'{"a": 1}'` },
	{ label: 'Enum', type: 'Enum', columnType: 'PostStatus', sample: `'draft'` },
	{ label: 'OtherEnum', type: 'Enum', columnType: 'OtherStatus', sample: `'archived'` },
]

const sourceName = (kind: Kind) => `src${kind.label}`
const columnOf = (name: string, kind: Kind, nullable = true): Column => ({ name, columnName: name.toLowerCase(), type: kind.type, columnType: kind.columnType, nullable })

const schema: Schema = {
	...emptySchema,
	model: {
		// enums are text domains with a CHECK: between two enums the copy succeeds only for the values they share
		enums: { PostStatus: ['draft', 'published'], OtherStatus: ['archived'] },
		entities: {
			Item: {
				name: 'Item', primary: 'id', primaryColumn: 'id', tableName: 'item', unique: [], indexes: [], eventLog: { enabled: true },
				fields: Object.fromEntries([
					['id', columnOf('id', kinds[0]!, false)],
					...kinds.map(kind => [sourceName(kind), columnOf(sourceName(kind), kind)]),
				]),
			},
		},
	},
}

const sqlOf = (from: Schema, modifications: readonly Modification[]) =>
	foldModifications(from, modifications, { formatVersion: FORMAT_VERSION_LATEST }).steps.map(step => step.sql.toString()).join('\n')

describe('copyValue casts on PostgreSQL', () => {
	it('the kinds cover every column type', () => {
		expect(new Set(kinds.map(it => it.type))).toEqual(new Set(columnTypes))
	})

	it('exactly the pairs canCopy offers succeed', async () => {
		const client = await db.client()
		await client.query(sqlOf(emptySchema, diffSchemas(emptySchema, schema).modifications))
		const sources = kinds.map(kind => `"${sourceName(kind).toLowerCase()}"`).join(', ')
		await client.query(`INSERT INTO item (id, ${sources}) VALUES (gen_random_uuid(), ${kinds.map(it => it.sample).join(', ')})`)

		const mismatches: string[] = []
		let offered = 0
		for (const source of kinds) {
			for (const target of kinds) {
				const field = columnOf('copied', target, false)
				const sql = sqlOf(schema, [{ modification: 'createColumn', entityName: 'Item', field, copyValue: sourceName(source) }])
				const rule = canCopy(copyTypeOf(schema, schema.model.entities.Item!.fields[sourceName(source)]!)!, copyTypeOf(schema, field)!)
				if (rule) offered++
				await client.query('BEGIN')
				let error: string | undefined
				try {
					await client.query(sql)
					const copied = await client.query('SELECT copied IS NOT NULL AS filled FROM item')
					if (!copied.rows.every(row => row.filled)) error = 'left NULL'
				} catch (caught) {
					error = (caught as Error).message
				}
				await client.query('ROLLBACK')
				if (rule !== (error === undefined)) mismatches.push(`${source.label} → ${target.label}: rule ${rule ? 'offers' : 'refuses'}, PostgreSQL ${error === undefined ? 'succeeds' : `fails (${error})`}`)
			}
		}
		expect(mismatches).toEqual([])
		// the rule is not "nothing" or "everything": same types, numbers, dates and text targets
		expect(offered).toBeGreaterThan(kinds.length)
		expect(offered).toBeLessThan(kinds.length * kinds.length)
	})
})
