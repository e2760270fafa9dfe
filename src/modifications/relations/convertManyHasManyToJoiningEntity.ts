/**
 * convertManyHasManyToJoiningEntity `{ entityName, fieldName, joiningEntity, sourceInverseSide?,
 * targetInverseSide? }` (hand-written only): a many-has-many owning relation becomes an explicit
 * entity that reuses the junction table in place. The table gets a surrogate primary key
 * (back-filled for existing rows), the composite primary key becomes a unique key, and the two
 * joining columns become the entity's many-has-one relations. Schema: the relation and its
 * inverse side go, the entity (with the pair unique) and optional one-has-many sides come.
 */
import { ModificationApplyError } from '../../errors.js'
import { type Entity, type ManyHasManyOwningRelation, type OneHasManyRelation, type Schema, isColumn, own } from '../../schema/model.js'
import type { SqlBuilder } from '../../sql/builder.js'
import { quoteIdentifier } from '../../sql/quote.js'
import { describeStep, findEntity } from '../describeShared.js'
import { addEntity } from '../entities/createEntity.js'
import { entitySchema } from '../fields/fieldSchemas.js'
import { columnSqlType, eventLogTriggersSql, identitySql, isView, quoteColumnList } from '../sqlShared.js'
import { defineModification } from '../types.js'
import { removeFieldFromAcl } from '../acl/aclRewrite.js'
import { addField, getEntity, listOrValues, removeFieldFromEntity, updateEntity } from '../updaters.js'
import { FORMAT_ACL_FOLLOWS_RENAMES } from '../versions.js'
import { WarningCode, warning } from '../warnings.js'
import { getFieldOfKind, isManyHasManyOwning, isManyHasOne } from './relationSql.js'
import { oneHasManySchema, relationFieldData } from './relationSchemas.js'

export interface ConvertManyHasManyToJoiningEntityData {
	readonly entityName: string
	readonly fieldName: string
	readonly joiningEntity: Entity
	readonly sourceInverseSide?: OneHasManyRelation
	readonly targetInverseSide?: OneHasManyRelation
}

const expected = 'a many-has-many owning relation'

/**
 * PostgreSQL's own name for a primary key: `<table>_pkey`, the table part clipped (on a character
 * boundary) so the name fits in 63 bytes. The catalog metadata strata reads holds no primary
 * keys, so, like Contember, the name is assumed; a junction table renamed after its creation
 * keeps its old constraint name and the DROP fails loudly rather than doing something else.
 */
export const defaultPrimaryKeyName = (tableName: string): string => {
	let table = tableName
	while (Buffer.byteLength(`${table}_pkey`) > 63) table = Array.from(table).slice(0, -1).join('')
	return `${table}_pkey`
}

/** the joining entity's many-has-one fields stored in the junction's two columns, in junction order */
const pairFields = (joiningEntity: Entity, relation: ManyHasManyOwningRelation): [string, string] => {
	const fieldOf = (columnName: string): string => {
		const found = Object.values(joiningEntity.fields).find(field => isManyHasOne(field) && field.joiningColumn.columnName === columnName)
		if (!found) throw new ModificationApplyError(`Joining entity ${joiningEntity.name} has no many-has-one relation stored in column "${columnName}" of junction table "${relation.joiningTable.tableName}"`)
		return found.name
	}
	return [fieldOf(relation.joiningTable.joiningColumn.columnName), fieldOf(relation.joiningTable.inverseJoiningColumn.columnName)]
}

const primaryColumnOf = (joiningEntity: Entity) => {
	const primary = own(joiningEntity.fields, joiningEntity.primary)
	if (!primary || !isColumn(primary)) throw new ModificationApplyError(`Primary field ${joiningEntity.name}::${joiningEntity.primary} not found`)
	return primary
}

export const convertManyHasManyToJoiningEntityModification = defineModification<ConvertManyHasManyToJoiningEntityData>({
	id: 'convertManyHasManyToJoiningEntity',
	docs: {
		category: 'relations',
		summary: 'Turns a many-has-many relation into an entity of its own that joins the two, reusing the junction table in place.',
		origin: 'contember',
		writtenByDiff: false,
		sql: 'reuses the junction table: adds an id, rebuilds the primary key',
		destructive: false,
		warnings: ['S004', 'S005'],
		example: {
			entityName: 'Post',
			fieldName: 'categories',
			joiningEntity: {
				name: 'PostCategory',
				primary: 'id',
				primaryColumn: 'id',
				tableName: 'post_categories',
				eventLog: { enabled: true },
				unique: [],
				indexes: [],
				fields: {
					id: { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false },
					post: {
						name: 'post',
						type: 'ManyHasOne',
						target: 'Post',
						inversedBy: 'postCategories',
						nullable: false,
						joiningColumn: { columnName: 'post_id', onDelete: 'cascade' },
					},
					category: {
						name: 'category',
						type: 'ManyHasOne',
						target: 'Category',
						inversedBy: 'postCategories',
						nullable: false,
						joiningColumn: { columnName: 'category_id', onDelete: 'cascade' },
					},
				},
			},
			sourceInverseSide: { name: 'postCategories', type: 'OneHasMany', target: 'PostCategory', ownedBy: 'post' },
			targetInverseSide: { name: 'postCategories', type: 'OneHasMany', target: 'PostCategory', ownedBy: 'category' },
		},
	},
	dataSchema: relationFieldData(
		{ joiningEntity: entitySchema, sourceInverseSide: oneHasManySchema, targetInverseSide: oneHasManySchema },
		['joiningEntity'],
	),

	apply: (schema: Schema, { entityName, fieldName, joiningEntity, sourceInverseSide, targetInverseSide }, formatVersion) => {
		const relation = getFieldOfKind(schema, entityName, fieldName, isManyHasManyOwning, expected)
		if (joiningEntity.tableName !== relation.joiningTable.tableName) {
			throw new ModificationApplyError(
				`Joining entity ${joiningEntity.name} must use the junction table "${relation.joiningTable.tableName}" of ${entityName}::${fieldName}, not "${joiningEntity.tableName}"`,
			)
		}
		const pair = pairFields(joiningEntity, relation)
		const unique = listOrValues(joiningEntity.unique as Entity['unique'] | undefined)
		const hasPair = unique.some(it => it.fields.length === 2 && it.fields[0] === pair[0] && it.fields[1] === pair[1])
		const inverseName = relation.inversedBy
		const inverseExists = inverseName !== undefined && own(own(schema.model.entities, relation.target)?.fields, inverseName) !== undefined
		// (v≥2) a removed side loses its permissions, unless a new one-has-many side takes its name
		const added = [{ on: entityName, side: sourceInverseSide }, { on: relation.target, side: targetInverseSide }]
		const keepsName = (on: string, name: string) => added.some(it => it.on === on && it.side?.name === name)
		let next = schema
		if (formatVersion >= FORMAT_ACL_FOLLOWS_RENAMES) {
			if (!keepsName(entityName, fieldName)) next = removeFieldFromAcl(next, entityName, fieldName)
			if (inverseExists && !keepsName(relation.target, inverseName!)) next = removeFieldFromAcl(next, relation.target, inverseName!)
		}
		next = updateEntity(entityName, removeFieldFromEntity(fieldName))(next)
		if (inverseExists) next = updateEntity(relation.target, removeFieldFromEntity(inverseName!))(next)
		next = addEntity({ ...joiningEntity, unique: hasPair ? unique : [...unique, { fields: pair }] })(next)
		if (sourceInverseSide) next = addField(entityName, sourceInverseSide)(next)
		if (targetInverseSide) next = addField(relation.target, targetInverseSide)(next)
		return next
	},

	sql: (builder: SqlBuilder, schema, { entityName, fieldName, joiningEntity }, { databaseMetadata }) => {
		if (isView(getEntity(schema, entityName))) return
		const { joiningTable } = getFieldOfKind(schema, entityName, fieldName, isManyHasManyOwning, expected)
		const table = quoteIdentifier(joiningTable.tableName)
		const primary = primaryColumnOf(joiningEntity)
		const id = quoteIdentifier(primary.columnName)
		const type = columnSqlType(schema, primary)
		// Contember drops the event-log triggers keyed on the two columns here and re-creates them on the id
		if (joiningTable.eventLog.enabled) eventLogTriggersSql(builder, joiningTable.tableName, false)
		if (primary.sequence) {
			// an identity column numbers the existing rows itself
			builder.statement(`ALTER TABLE ${table} ADD COLUMN ${id} ${type} ${identitySql(primary.sequence)}`)
		} else if (primary.type === 'Uuid') {
			builder.statement(`ALTER TABLE ${table} ADD COLUMN ${id} ${type}`)
			// Contember back-fills with a uuid_generate_v4() it installs in its engine's `system` schema.
			// strata has no such schema; gen_random_uuid() is built into PostgreSQL 13 and later.
			builder.statement(`UPDATE ${table} SET ${id} = gen_random_uuid()`)
			builder.statement(`ALTER TABLE ${table} ALTER COLUMN ${id} SET NOT NULL`)
		} else {
			throw new ModificationApplyError(`Cannot back-fill primary key ${joiningEntity.name}::${primary.name} of type ${primary.type}: use a Uuid or a sequence`)
		}
		const primaryKeyName = defaultPrimaryKeyName(joiningTable.tableName)
		if (!databaseMetadata.live) {
			builder.comment(`The primary key of ${table} is assumed to have PostgreSQL's default name ${quoteIdentifier(primaryKeyName)}`)
		}
		builder.statement(`ALTER TABLE ${table} DROP CONSTRAINT ${quoteIdentifier(primaryKeyName)}`)
		builder.statement(`ALTER TABLE ${table} ADD PRIMARY KEY (${id})`)
		builder.statement(`ALTER TABLE ${table} ADD UNIQUE (${quoteColumnList([joiningTable.joiningColumn.columnName, joiningTable.inverseJoiningColumn.columnName])})`)
		eventLogTriggersSql(builder, joiningTable.tableName, joiningEntity.eventLog?.enabled !== false)
	},

	describe: ({ entityName, fieldName, joiningEntity }, { schema, createdEntities }) => {
		const entity = findEntity(schema, entityName)
		const field = own(entity?.fields, fieldName)
		const junction = field && 'joiningTable' in field ? field.joiningTable.tableName : joiningEntity.tableName
		const existing = entity !== undefined && !isView(entity) && !createdEntities.has(entityName)
		return describeStep(`Convert many-has-many relation ${entityName}.${fieldName} to joining entity ${joiningEntity.name} (table "${junction}" kept, rows kept)`, {
			warnings: [
				existing && warning(WarningCode.tableRewrite, `every row of "${junction}" gets an id and its primary key is rebuilt while the table is locked`),
				existing && warning(WarningCode.conversionMayFail, `the primary key of "${junction}" is dropped by its default name "${defaultPrimaryKeyName(junction)}"; it fails if the junction table was renamed after it was created`),
			],
		})
	},
})
