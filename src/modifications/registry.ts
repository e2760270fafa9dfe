/**
 * The one registry: every modification id strata knows (ids.ts), mapped to its module. The record
 * is typed over the union of ids, so an id without a handler, or a handler without an id, is a
 * compile error.
 */
import type { ModificationHandler } from './types.js'
import { createEntityModification } from './entities/createEntity.js'
import { removeEntityModification } from './entities/removeEntity.js'
import { updateEntityNameModification } from './entities/updateEntityName.js'
import { updateEntityTableNameModification } from './entities/updateEntityTableName.js'
import { toggleEventLogModification } from './entities/toggleEventLog.js'
import { updateEntityOrderByModification } from './entities/updateEntityOrderBy.js'
import { createViewModification } from './views/createView.js'
import { updateViewModification } from './views/updateView.js'
import { removeFieldModification } from './fields/removeField.js'
import { updateFieldNameModification } from './fields/updateFieldName.js'
import { createEnumModification } from './enums/createEnum.js'
import { updateEnumModification } from './enums/updateEnum.js'
import { removeEnumModification } from './enums/removeEnum.js'
import { createUniqueConstraintModification } from './constraints/createUniqueConstraint.js'
import { removeUniqueConstraintModification } from './constraints/removeUniqueConstraint.js'
import { removeIndexNamesModification } from './constraints/removeIndexNames.js'
import { createIndexModification } from './indexes/createIndex.js'
import { removeIndexModification } from './indexes/removeIndex.js'
import { createColumnModification } from './columns/createColumn.js'
import { updateColumnDefinitionModification } from './columns/updateColumnDefinition.js'
import { updateColumnNameModification } from './columns/updateColumnName.js'
import { createRelationModification } from './relations/createRelation.js'
import { createRelationInverseSideModification } from './relations/createRelationInverseSide.js'
import { updateRelationOnDeleteModification } from './relations/updateRelationOnDelete.js'
import { updateRelationOrderByModification } from './relations/updateRelationOrderBy.js'
import { makeRelationNotNullModification } from './relations/makeRelationNotNull.js'
import { makeRelationNullableModification } from './relations/makeRelationNullable.js'
import { enableOrphanRemovalModification } from './relations/enableOrphanRemoval.js'
import { disableOrphanRemovalModification } from './relations/disableOrphanRemoval.js'
import { convertOneToManyRelationModification } from './relations/convertOneToManyRelation.js'
import { convertOneHasManyToOneHasOneRelationModification } from './relations/convertOneHasManyToOneHasOneRelation.js'
import { convertOneHasManyToManyHasManyRelationModification } from './relations/convertOneHasManyToManyHasManyRelation.js'
import { convertManyHasManyToJoiningEntityModification } from './relations/convertManyHasManyToJoiningEntity.js'
import { toggleJunctionEventLogModification } from './relations/toggleJunctionEventLog.js'
import { updateAclSchemaModification } from './acl/updateAclSchema.js'
import { patchAclSchemaModification } from './acl/patchAclSchema.js'
import { updateValidationSchemaModification } from './validation/updateValidationSchema.js'
import { patchValidationSchemaModification } from './validation/patchValidationSchema.js'
import { createTriggerModification } from './actions/createTrigger.js'
import { updateTriggerModification } from './actions/updateTrigger.js'
import { patchTriggerModification } from './actions/patchTrigger.js'
import { removeTriggerModification } from './actions/removeTrigger.js'
import { createTargetModification } from './actions/createTarget.js'
import { updateTargetModification } from './actions/updateTarget.js'
import { removeTargetModification } from './actions/removeTarget.js'
import { updateSettingsModification } from './settings/updateSettings.js'
import { executeSqlModification } from './sql/executeSql.js'
import { isModificationId, modificationIds, type ModificationId } from './ids.js'

export { isModificationId, modificationIds, type ModificationId }

export const modificationHandlers: Record<ModificationId, ModificationHandler> = {
	createEntity: createEntityModification,
	removeEntity: removeEntityModification,
	updateEntityName: updateEntityNameModification,
	updateEntityTableName: updateEntityTableNameModification,
	toggleEventLog: toggleEventLogModification,
	updateEntityOrderBy: updateEntityOrderByModification,
	createView: createViewModification,
	updateView: updateViewModification,
	removeField: removeFieldModification,
	updateFieldName: updateFieldNameModification,
	createEnum: createEnumModification,
	updateEnum: updateEnumModification,
	removeEnum: removeEnumModification,
	createUniqueConstraint: createUniqueConstraintModification,
	removeUniqueConstraint: removeUniqueConstraintModification,
	removeIndexNames: removeIndexNamesModification,
	createIndex: createIndexModification,
	removeIndex: removeIndexModification,
	createColumn: createColumnModification,
	updateColumnDefinition: updateColumnDefinitionModification,
	updateColumnName: updateColumnNameModification,
	createRelation: createRelationModification,
	createRelationInverseSide: createRelationInverseSideModification,
	updateRelationOnDelete: updateRelationOnDeleteModification,
	updateRelationOrderBy: updateRelationOrderByModification,
	makeRelationNotNull: makeRelationNotNullModification,
	makeRelationNullable: makeRelationNullableModification,
	enableOrphanRemoval: enableOrphanRemovalModification,
	disableOrphanRemoval: disableOrphanRemovalModification,
	convertOneToManyRelation: convertOneToManyRelationModification,
	convertOneHasManyToOneHasOneRelation: convertOneHasManyToOneHasOneRelationModification,
	convertOneHasManyToManyHasManyRelation: convertOneHasManyToManyHasManyRelationModification,
	convertManyHasManyToJoiningEntity: convertManyHasManyToJoiningEntityModification,
	toggleJunctionEventLog: toggleJunctionEventLogModification,
	updateAclSchema: updateAclSchemaModification,
	patchAclSchema: patchAclSchemaModification,
	updateValidationSchema: updateValidationSchemaModification,
	patchValidationSchema: patchValidationSchemaModification,
	createTrigger: createTriggerModification,
	updateTrigger: updateTriggerModification,
	patchTrigger: patchTriggerModification,
	removeTrigger: removeTriggerModification,
	createTarget: createTargetModification,
	updateTarget: updateTargetModification,
	removeTarget: removeTargetModification,
	updateSettings: updateSettingsModification,
	executeSql: executeSqlModification,
}


/** the handler for an id; unknown ids are rejected when files are read, so this is a programming error otherwise */
export const getModificationHandler = (id: string): ModificationHandler => {
	if (!isModificationId(id)) throw new Error(`Undefined modification handler for ${id}`)
	return modificationHandlers[id]
}
