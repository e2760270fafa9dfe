import { describe, expect, it } from 'vitest'
import { validateSchema } from '../../../src/schema/validate.js'
import { emptySchema, type Schema } from '../../../src/schema/model.js'

const long = 'x'.repeat(64)
const schemaWith = (tableName: string, columnName: string, enumName = 'Status'): Schema => ({
	...emptySchema,
	model: {
		enums: { [enumName]: ['a'] },
		entities: {
			Post: {
				name: 'Post', primary: 'id', primaryColumn: 'id', tableName, unique: [], indexes: [], eventLog: { enabled: true },
				fields: {
					id: { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false },
					title: { name: 'title', columnName, type: 'String', columnType: 'text', nullable: true },
				},
			},
		},
	},
})

describe('PostgreSQL identifier length', () => {
	it('accepts names of exactly 63 bytes', () => {
		expect(validateSchema(schemaWith('t'.repeat(63), 'c'.repeat(63), 'E'.repeat(63)))).toEqual([])
	})

	it('reports table, column and enum names PostgreSQL would truncate', () => {
		const codes = validateSchema(schemaWith(long, long, `E${long}`)).map(it => [it.code, it.path])
		expect(codes).toEqual(expect.arrayContaining([
			['MODEL_NAME_TOO_LONG', 'model.entities.Post.tableName'],
			['MODEL_NAME_TOO_LONG', 'model.entities.Post.fields.title'],
			['MODEL_NAME_TOO_LONG', `model.enums.E${long}`],
		]))
	})

	it('counts bytes, not characters', () => {
		const problems = validateSchema(schemaWith('ž'.repeat(32), 'title'))
		expect(problems.map(it => it.code)).toContain('MODEL_NAME_TOO_LONG')
	})
})
