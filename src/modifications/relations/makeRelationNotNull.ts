/**
 * makeRelationNotNull `{ entityName, fieldName, fillValue?, copyValue? }`: a joining-column
 * relation (or a one-has-one inverse side, schema only) becomes NOT NULL.
 * `fillValue` (the primary key of a target row) and `copyValue` (another field whose column
 * holds such keys) are strata extensions — Contember has no fill here (its files never carry
 * them, so its files replay unchanged): rows holding NULL are filled before SET NOT NULL.
 */
import type { ColumnDefinition, JsonValue } from '../../schema/model.js'
import { fillByUpdateSql, seedDataProperties, seedExpression } from '../columns/columnSql.js'
import { describeStep, findEntity } from '../describeShared.js'
import { isView } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { WarningCode, warning } from '../warnings.js'
import { nullabilitySql, relationNullabilityApply } from './relationNullability.js'
import { getFieldOfKind, isJoiningColumnRelation, tableEntity } from './relationSql.js'
import { relationFieldData } from './relationSchemas.js'
import { own } from '../../schema/model.js'

export interface MakeRelationNotNullData {
	readonly entityName: string
	readonly fieldName: string
	readonly fillValue?: JsonValue
	readonly copyValue?: string
}

const expected = 'a many-has-one or one-has-one owning relation'

export const makeRelationNotNullModification = defineModification<MakeRelationNotNullData>({
	id: 'makeRelationNotNull',
	docs: {
		category: 'relations',
		summary: 'Makes an owning relation NOT NULL; strata\'s extension takes `fillValue` (a target primary key) or `copyValue` (a field) for the rows holding NULL.',
		origin: 'contember',
		writtenByDiff: true,
		sql: '`ALTER … SET NOT NULL`; with a fill: `UPDATE … WHERE … IS NULL`, then `SET NOT NULL`',
		destructive: false,
		warnings: ['S006'],
		example: { entityName: 'Post', fieldName: 'author' },
	},
	dataSchema: relationFieldData({ fillValue: seedDataProperties.fillValue, copyValue: seedDataProperties.copyValue }),
	apply: (schema, data) => relationNullabilityApply(schema, data, false),
	sql: (builder, schema, data) => {
		const entity = tableEntity(schema, data.entityName)
		if (!entity || (data.fillValue === undefined && data.copyValue === undefined)) {
			nullabilitySql(builder, schema, data, false)
			return
		}
		const field = getFieldOfKind(schema, data.entityName, data.fieldName, isJoiningColumnRelation, expected)
		// the joining column has the type of the target's primary column
		const target = own(schema.model.entities, field.target)
		const targetPrimary = target && own(target.fields, target.primary)
		const keyType: Pick<ColumnDefinition, 'type' | 'columnType'> =
			targetPrimary && 'columnType' in targetPrimary ? { type: targetPrimary.type, columnType: targetPrimary.columnType } : { type: 'Uuid', columnType: 'uuid' }
		const seed = seedExpression(schema, entity, { ...keyType, nullable: false }, data)
		if (seed === undefined) return
		fillByUpdateSql(builder, entity, { columnName: field.joiningColumn.columnName, nullable: false }, seed, true)
	},
	describe: ({ entityName, fieldName, fillValue, copyValue }, { schema, createdEntities }) => {
		const entity = findEntity(schema, entityName)
		const existingTable = entity && !isView(entity) && !createdEntities.has(entityName) ? entity.tableName : undefined
		const seeded = fillValue !== undefined || copyValue !== undefined
		const fill = fillValue !== undefined ? ` (rows without one get ${JSON.stringify(fillValue)})` : copyValue !== undefined ? ` (rows without one copy ${copyValue})` : ''
		return describeStep(`Make relation ${entityName}.${fieldName} NOT NULL${fill}`, {
			warnings: [
				existingTable !== undefined && !seeded &&
					warning(WarningCode.setNotNullMayFail, `${entityName}.${fieldName} becomes NOT NULL: the step fails when a row of "${existingTable}" has no ${fieldName}`),
			],
		})
	},
})
