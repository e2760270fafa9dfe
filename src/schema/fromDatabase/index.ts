/**
 * A declared schema from a live database that strata did not create (db:introspect): pure,
 * from the plain data src/db/introspectSchema.ts reads. Each step adds its part to one draft:
 * enums, junction tables, entities, has-one relations, columns, inverse sides, many-has-many
 * relations, unique keys and indexes, views, the objects the model has no place for; then
 * strata's validation removes (and reports) whatever it would still refuse.
 */
import { buildMapping, buildSchema } from './build.js'
import type { Draft } from './draft.js'
import { mapColumns, mapTables } from './entities.js'
import { mapEnums } from './enums.js'
import type { LiveDatabase } from './input.js'
import { addInverseSides } from './inverses.js'
import { addJunctions, detectJunctions } from './junctions.js'
import { mapKeys } from './keys.js'
import { NameSpace } from './names.js'
import { reportOtherObjects } from './objects.js'
import { pruneInvalid } from './prune.js'
import { addHasOneRelations, planHasOne } from './relations.js'
import type { FromDatabaseResult } from './result.js'
import { mapViews } from './views.js'

export type { LiveDatabase } from './input.js'
export type { EntityMapping, FieldMapping, FromDatabaseResult, Unrepresentable, UnrepresentableKind } from './result.js'

export const schemaFromDatabase = (db: LiveDatabase): FromDatabaseResult => {
	const draft: Draft = {
		db, entities: new Map(), entityNames: new NameSpace(), enums: {}, enumOfType: new Map(), unrepresentable: [], consumed: new Set(), junctions: new Set(),
	}
	mapEnums(draft)
	const junctions = detectJunctions(draft)
	mapTables(draft)
	const plan = planHasOne(draft)
	mapColumns(draft, (table, column) => plan.get(table)?.has(column) === true)
	addHasOneRelations(draft, plan)
	addInverseSides(draft)
	addJunctions(draft, junctions)
	mapViews(draft)
	mapKeys(draft)
	reportOtherObjects(draft)
	pruneInvalid(draft)
	return { schema: buildSchema(draft), mapping: buildMapping(draft), unrepresentable: draft.unrepresentable }
}
