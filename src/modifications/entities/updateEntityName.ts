/**
 * updateEntityName `{ entityName, newEntityName, tableName? }` (hand-written only): renames the
 * entity key (keeping its position) and `name`, every relation `target` pointing to it, (v≥2)
 * its ACL permission keys and entity-typed variables; with `tableName` also the table.
 */
import { type Entity, isRelation, type Schema, own } from '../../schema/model.js'
import { renameEntityInAcl } from '../acl/aclRewrite.js'
import { SchemaObjectExistsError } from '../conflicts.js'
import { describeStep } from '../describeShared.js'
import { entityNameData } from '../fields/fieldSchemas.js'
import { defineModification } from '../types.js'
import { getEntity, renameKey, updateEachField, updateEntities, updateEveryEntity } from '../updaters.js'
import { FORMAT_ACL_FOLLOWS_RENAMES } from '../versions.js'
import { warning, WarningCode } from '../warnings.js'
import { renameTableSql } from './updateEntityTableName.js'

export interface UpdateEntityNameData {
	readonly entityName: string
	readonly newEntityName: string
	readonly tableName?: string
}

/**
 * The entities an entity's relations point at, remembered per entity object (entities are never
 * changed in place; a changed one is a new object). A long history renames entities hundreds of
 * times: each rename asks every entity this instead of looking at every field of the schema.
 */
const targetsByEntity = new WeakMap<Entity, ReadonlySet<string>>()
const relationTargets = (entity: Entity): ReadonlySet<string> => {
	let targets = targetsByEntity.get(entity)
	if (!targets) {
		const found = new Set<string>()
		for (const field of Object.values(entity.fields)) if (isRelation(field)) found.add(field.target)
		targetsByEntity.set(entity, (targets = found))
	}
	return targets
}

export const updateEntityNameModification = defineModification<UpdateEntityNameData>({
	id: 'updateEntityName',
	docs: {
		category: 'entities',
		summary: 'Renames an entity, and with `tableName` its table.',
		origin: 'contember',
		writtenByDiff: true,
		apply: 'Renames the entity key (keeping its position) and `name`, and points every relation `target` at the new name. At v≥2 it also renames ACL permission keys and entity-typed variables.',
		sql: 'Only with `tableName`: `ALTER TABLE "old" RENAME TO "new";` (`ALTER VIEW` / `ALTER MATERIALIZED VIEW` for views).',
		destructive: false,
		warnings: ['S010'],
		example: { entityName: 'Tag', newEntityName: 'Label', tableName: 'label' },
	},
	dataSchema: entityNameData(
		{ newEntityName: { type: 'string', minLength: 1 }, tableName: { type: 'string', minLength: 1 } },
		['newEntityName'],
	),
	apply: (schema, { entityName, newEntityName, tableName }, formatVersion) => {
		const entity = getEntity(schema, entityName)
		if (newEntityName !== entityName && own(schema.model.entities, newEntityName)) {
			throw new SchemaObjectExistsError({ kind: 'entity', entityName: newEntityName }, `Entity ${newEntityName} already exists`)
		}
		let next: Schema = formatVersion >= FORMAT_ACL_FOLLOWS_RENAMES ? renameEntityInAcl(schema, entityName, newEntityName) : schema
		next = updateEntities(entities =>
			renameKey(entities, entityName, newEntityName, { ...entity, name: newEntityName, ...(tableName !== undefined ? { tableName } : {}) }))(next)
		return updateEveryEntity(entity =>
			relationTargets(entity).has(entityName)
				? updateEachField(entity, field => (isRelation(field) && field.target === entityName ? { ...field, target: newEntityName } : field))
				: entity)(next)
	},
	sql: (builder, schema, { entityName, tableName }) => {
		if (tableName !== undefined) renameTableSql(builder, getEntity(schema, entityName), tableName)
	},
	describe: ({ entityName, newEntityName, tableName }) =>
		describeStep(`Rename entity ${entityName} to ${newEntityName}${tableName ? ` (table renamed to "${tableName}")` : ''}`, {
			warnings: [warning(WarningCode.renameBreaksClients, `API clients using ${entityName} must switch to ${newEntityName}${tableName ? '' : '; the table keeps its name'}.`)],
		}),
})
