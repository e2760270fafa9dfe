/**
 * createEntity `{ entity }`: adds an entity (a table, or a legacy view). Only the primary key
 * column is created in SQL; other fields arrive as createColumn / createRelation.
 */
import { ModificationApplyError } from '../../errors.js'
import { type Entity, isColumn, type Schema, own } from '../../schema/model.js'
import { refuseExisting } from '../conflicts.js'
import { describeStep, storageLabel } from '../describeShared.js'
import { entitySchema } from '../fields/fieldSchemas.js'
import { columnDefinitionSql, eventLogTriggersSql, isView, quoteTable } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { listOrValues, setEntity, type Updater } from '../updaters.js'
import { FORMAT_PRIMARY_COLUMN_FROM_COLUMN_NAME } from '../versions.js'
import { createViewSql } from '../views/createView.js'

export interface CreateEntityData {
	readonly entity: Entity
}

/** the entity as stored: legacy map-shaped unique/indexes become arrays, eventLog defaults to enabled */
export const normaliseEntity = (entity: Entity): Entity => ({
	...entity,
	unique: listOrValues(entity.unique as Entity['unique'] | undefined),
	indexes: listOrValues(entity.indexes as Entity['indexes'] | undefined),
	eventLog: entity.eventLog ?? { enabled: true },
})

/** adds an entity (or view); one that already exists under the name is refused */
export const addEntity = (entity: Entity): Updater<Schema> => schema => {
	refuseExisting(schema, { kind: entity.view ? 'view' : 'entity', entityName: entity.name }, `Entity ${entity.name} already exists`)
	return setEntity(normaliseEntity(entity))(schema)
}

export const createEntityModification = defineModification<CreateEntityData>({
	id: 'createEntity',
	docs: {
		category: 'entities',
		summary: 'Creates an entity and its table, with only the primary key column; the other fields follow as `createColumn` / `createRelation`.',
		origin: 'contember',
		writtenByDiff: true,
		apply: 'Adds the entity. Legacy files may hold `unique` / `indexes` as objects keyed by name (they become arrays; legacy names are kept until `removeIndexNames`) and may leave out `eventLog` (it becomes `{ "enabled": true }`) and `indexes`. A name that already exists is an error.',
		sql: '`CREATE TABLE "t" ( "id" uuid PRIMARY KEY NOT NULL [GENERATED … AS IDENTITY [(START WITH n)]] );`. A legacy entity carrying `view` gets `CREATE VIEW` instead. Since format version 6 the primary key column is named after the primary field\'s `columnName` (before: after the field name).',
		destructive: false,
		warnings: [],
		example: {
			entity: {
				name: 'Tag',
				primary: 'id',
				primaryColumn: 'id',
				tableName: 'tag',
				fields: { id: { name: 'id', columnName: 'id', nullable: false, type: 'Uuid', columnType: 'uuid' } },
				unique: [],
				indexes: [],
				eventLog: { enabled: true },
			},
		},
	},
	dataSchema: {
		type: 'object',
		required: ['entity'],
		properties: { entity: entitySchema },
		additionalProperties: false,
	},
	apply: (schema, { entity }) => addEntity(entity)(schema),
	sql: (builder, schema, { entity }, { formatVersion }) => {
		if (isView(entity)) return createViewSql(builder, entity, false)
		const primary = own(entity.fields, entity.primary)
		if (!primary || !isColumn(primary)) throw new ModificationApplyError(`Primary field ${entity.name}::${entity.primary} not found`)
		// before format 6 the PK column was named after the primary *field*
		const columnName = formatVersion >= FORMAT_PRIMARY_COLUMN_FROM_COLUMN_NAME ? primary.columnName : entity.primary
		builder.statement(`CREATE TABLE ${quoteTable(entity)} ( ${columnDefinitionSql(schema, primary, { primaryKey: true, notNull: true, columnName })} )`)
		eventLogTriggersSql(builder, entity.tableName, (entity.eventLog ?? { enabled: true }).enabled)
	},
	describe: ({ entity }) => describeStep(`Create entity ${entity.name} (${storageLabel(entity, entity.name)})`),
})

