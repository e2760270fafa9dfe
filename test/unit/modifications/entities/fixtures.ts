/** Small schema builders for group A unit tests. */
import { emptySchema, type Entity, type Field, type Schema } from '../../../../src/schema/model.js'
import { SqlBuilder } from '../../../../src/sql/builder.js'
import { type CatalogSnapshot, createDatabaseMetadata, offlineMetadata } from '../../../../src/sql/metadata.js'
import { getModificationHandler } from '../../../../src/modifications/registry.js'
import { FORMAT_VERSION_LATEST } from '../../../../src/modifications/versions.js'

export const id = (columnName = 'id'): Field => ({ name: 'id', columnName, type: 'Uuid', columnType: 'uuid', nullable: false })
export const text = (name: string, columnName = name): Field => ({ name, columnName, type: 'String', columnType: 'text', nullable: true })

export const entity = (name: string, fields: Field[], extra: Partial<Entity> = {}): Entity => ({
	name,
	primary: 'id',
	primaryColumn: 'id',
	tableName: name.toLowerCase(),
	fields: Object.fromEntries([id(), ...fields].map(f => [f.name, f])),
	unique: [],
	indexes: [],
	eventLog: { enabled: true },
	...extra,
})

export const schemaOf = (entities: Entity[], extra: Partial<Schema> = {}): Schema => ({
	...emptySchema,
	model: { enums: {}, entities: Object.fromEntries(entities.map(e => [e.name, e])) },
	...extra,
})

export const apply = (schema: Schema, id: string, data: object, formatVersion = FORMAT_VERSION_LATEST): Schema =>
	getModificationHandler(id).apply(schema, data, formatVersion)

export const sqlOf = (
	schema: Schema,
	id: string,
	data: object,
	options: { formatVersion?: number; metadata?: CatalogSnapshot } = {},
): SqlBuilder => {
	const builder = new SqlBuilder()
	getModificationHandler(id).sql(builder, schema, data, {
		formatVersion: options.formatVersion ?? FORMAT_VERSION_LATEST,
		databaseMetadata: options.metadata ? createDatabaseMetadata(options.metadata) : offlineMetadata,
	})
	return builder
}

export const describeOf = (schema: Schema, id: string, data: object, created: string[] = []) =>
	getModificationHandler(id).describe(data, { schema, createdEntities: new Set(created) })

export const emptyMetadata = { foreignKeys: [], indexes: [], uniqueConstraints: [] }
