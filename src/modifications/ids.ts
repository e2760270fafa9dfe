/**
 * The modification ids strata knows, in Contember's order. Apart from registry.ts (which maps each
 * to its handler and type-checks that every id has one) so that reading a migration file does not
 * load every modification's SQL and updater code.
 */
export const modificationIds = [
	'createEntity',
	'removeEntity',
	'updateEntityName',
	'updateEntityTableName',
	'toggleEventLog',
	'updateEntityOrderBy',
	'createView',
	'updateView',
	'removeField',
	'updateFieldName',
	'createEnum',
	'updateEnum',
	'removeEnum',
	'createUniqueConstraint',
	'removeUniqueConstraint',
	'removeIndexNames',
	'createIndex',
	'removeIndex',
	'createColumn',
	'updateColumnDefinition',
	'updateColumnName',
	'createRelation',
	'createRelationInverseSide',
	'updateRelationOnDelete',
	'updateRelationOrderBy',
	'makeRelationNotNull',
	'makeRelationNullable',
	'enableOrphanRemoval',
	'disableOrphanRemoval',
	'convertOneToManyRelation',
	'convertOneHasManyToOneHasOneRelation',
	'convertOneHasManyToManyHasManyRelation',
	'convertManyHasManyToJoiningEntity',
	'toggleJunctionEventLog',
	'updateAclSchema',
	'patchAclSchema',
	'updateValidationSchema',
	'patchValidationSchema',
	'createTrigger',
	'updateTrigger',
	'patchTrigger',
	'removeTrigger',
	'createTarget',
	'updateTarget',
	'removeTarget',
	'updateSettings',
	// strata's own (a strata-only feature: src/migrations/strataOnly.ts)
	'executeSql',
] as const
export type ModificationId = (typeof modificationIds)[number]

const known: ReadonlySet<string> = new Set(modificationIds)

export const isModificationId = (id: string): id is ModificationId => known.has(id)
