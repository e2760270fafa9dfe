/**
 * makeRelationNotNull `{ entityName, fieldName }`: a joining-column relation (or a one-has-one
 * inverse side, schema only) becomes NOT NULL. There is no fill value: existing rows holding
 * NULL make the step fail, which the description says.
 */
import { describeStep, findEntity } from '../describeShared.js'
import { defineModification } from '../types.js'
import { WarningCode, warning } from '../warnings.js'
import { isView } from '../sqlShared.js'
import { nullabilitySql, relationNullabilityApply } from './relationNullability.js'
import { relationFieldData } from './relationSchemas.js'

export interface MakeRelationNotNullData {
	readonly entityName: string
	readonly fieldName: string
}

export const makeRelationNotNullModification = defineModification<MakeRelationNotNullData>({
	id: 'makeRelationNotNull',
	dataSchema: relationFieldData(),
	apply: (schema, data) => relationNullabilityApply(schema, data, false),
	sql: (builder, schema, data) => nullabilitySql(builder, schema, data, false),
	describe: ({ entityName, fieldName }, { schema, createdEntities }) => {
		const entity = findEntity(schema, entityName)
		const existingTable = entity && !isView(entity) && !createdEntities.has(entityName) ? entity.tableName : undefined
		return describeStep(`Make relation ${entityName}.${fieldName} NOT NULL`, {
			warnings: [
				existingTable !== undefined &&
					warning(WarningCode.setNotNullMayFail, `${entityName}.${fieldName} becomes NOT NULL: the step fails when a row of "${existingTable}" has no ${fieldName}`),
			],
		})
	},
})
