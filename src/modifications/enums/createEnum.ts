/** createEnum `{ enumName, values }`: `CREATE DOMAIN "name" AS text CONSTRAINT "name_check" CHECK (VALUE IN(...))`. */
import { refuseExisting } from '../conflicts.js'
import { describeStep } from '../describeShared.js'
import { defineModification } from '../types.js'
import { updateEnums } from '../updaters.js'
import { createDomainSql, enumWithValuesDataSchema } from './enumShared.js'

export interface CreateEnumData {
	readonly enumName: string
	readonly values: readonly string[]
}

export const createEnumModification = defineModification<CreateEnumData>({
	id: 'createEnum',
	docs: {
		category: 'enums',
		summary: 'Creates an enum: a PostgreSQL domain over text with a check of its values.',
		origin: 'contember',
		writtenByDiff: true,
		sql: '`CREATE DOMAIN "E" AS text CONSTRAINT "e_check" CHECK (VALUE IN(\'a\',\'b\'));` (the constraint name is the enum name lower-cased, plus `_check`).',
		destructive: false,
		warnings: [],
		example: { enumName: 'PostStatus', values: ['draft', 'published'] },
	},
	dataSchema: enumWithValuesDataSchema,
	apply: (schema, { enumName, values }) => {
		refuseExisting(schema, { kind: 'enum', enumName }, `Enum ${enumName} already exists`)
		return updateEnums(enums => ({ ...enums, [enumName]: [...values] }))(schema)
	},
	sql: (builder, _schema, { enumName, values }) => createDomainSql(builder, enumName, values),
	describe: ({ enumName, values }) => describeStep(`Create enum ${enumName} (${values.join(', ')})`),
})
