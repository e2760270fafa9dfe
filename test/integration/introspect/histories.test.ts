/**
 * db:introspect on the databases real histories build: every history of
 * test/fixtures/conformance/histories (but the one that must be refused) is executed on a fresh
 * database, introspected, and the introspected schema must stand for the same database as the
 * replayed one, allowing only for the naming rules:
 * - the catalogs the two schemas imply are equal (compareCatalogs finds nothing);
 * - every owning relation of the replay has a relation of the same kind on the same table and
 *   joining column (junction table for many-has-many) — except those a foreign key cannot show:
 *   relations to or from views;
 * - the enums and their values are equal.
 * The histories run in parallel, one database each, executed in-process.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compareCatalogs, expectedCatalog } from '../../../src/db/drift.js'
import { executeMigrations } from '../../../src/db/executor.js'
import { introspectDatabase } from '../../../src/db/introspectSchema.js'
import { readMigrations } from '../../../src/migrations/files.js'
import { replay } from '../../../src/migrations/replay.js'
import { schemaFromDatabase } from '../../../src/schema/fromDatabase/index.js'
import { hasJoiningColumn, isOwningRelation, type Schema } from '../../../src/schema/model.js'
import { loadHistories } from '../../helpers/conformance.js'
import { useTestDatabase } from '../../helpers/database.js'

const db = useTestDatabase('introspect_histories')

/** `Table.column → kind` for each owning relation a foreign key shows (not those of or to views) */
const owningRelations = (schema: Schema): string[] => {
	const entities = Object.values(schema.model.entities)
	const isView = (name: string) => entities.some(entity => entity.name === name && entity.view !== undefined)
	return entities.flatMap(entity => Object.values(entity.fields).flatMap(field => {
		if (!isOwningRelation(field) || entity.view || isView(field.target)) return []
		const place = hasJoiningColumn(field) ? `${entity.tableName}.${field.joiningColumn.columnName}` : `${field.joiningTable.tableName}(${field.joiningTable.joiningColumn.columnName}, ${field.joiningTable.inverseJoiningColumn.columnName})`
		return [`${place} ${field.type}`]
	})).sort()
}

const histories = loadHistories().filter(history => !history.expectedFailure)

describe('db:introspect on the databases of real histories', () => {
	it(`introspects each of ${histories.length} histories to a schema equivalent to the replayed one`, async () => {
		const results = await Promise.all(histories.map(async history => {
			const target = await db.fresh(history.name.slice(0, 16))
			const client = await target.client()
			client.on('notice', () => undefined)
			const files = await readMigrations(join(history.dir, 'migrations'))
			await executeMigrations(client, files, { ledgerSchema: 'strata', transaction: 'all' })
			const replayed = replay(files)
			const introspected = schemaFromDatabase(await introspectDatabase(client))
			await target.drop()
			return {
				name: history.name,
				catalog: compareCatalogs(expectedCatalog(introspected.schema), expectedCatalog(replayed)).map(item => `${item.kind} ${item.object}: ${item.expected} / ${item.actual}`),
				relations: { replayed: owningRelations(replayed), introspected: owningRelations(introspected.schema) },
				enums: { replayed: replayed.model.enums, introspected: introspected.schema.model.enums },
			}
		}))
		for (const result of results) {
			expect(result.catalog, result.name).toEqual([])
			expect(result.relations.introspected, result.name).toEqual(result.relations.replayed)
			expect(result.enums.introspected, result.name).toEqual(result.enums.replayed)
		}
	}, 120_000)
})
