/**
 * The single ordered list of differs (Contember's order). Each differ sees the
 * schema as the earlier ones left it: its output is applied before the next one runs, so no
 * change is emitted twice. Read top to bottom: removals, renames and in-place updates,
 * removal of what could not be updated in place, creations, constraints and indexes,
 * then the non-model parts.
 */
import type { Differ } from './types.js'
import { diffUpdateSettings } from './differs/updateSettings.js'
import { diffConvertOneToManyRelation } from './differs/convertOneToManyRelation.js'
import { diffConvertOneHasManyToManyHasManyRelation } from './differs/convertOneHasManyToManyHasManyRelation.js'
import { diffConvertOneHasManyToOneHasOneRelation } from './differs/convertOneHasManyToOneHasOneRelation.js'
import { diffRemoveUniqueConstraint } from './differs/removeUniqueConstraint.js'
import { diffRemoveIndex } from './differs/removeIndex.js'
import { diffRemoveView } from './differs/removeView.js'
import { diffRemoveEntity } from './differs/removeEntity.js'
import { diffRemoveField } from './differs/removeField.js'
import { diffCreateEnum, diffRemoveEnum, diffUpdateEnum } from './differs/enums.js'
import { diffUpdateEntityTableName } from './differs/updateEntityTableName.js'
import { diffToggleEventLog } from './differs/toggleEventLog.js'
import { diffToggleJunctionEventLog } from './differs/toggleJunctionEventLog.js'
import { diffUpdateColumnDefinition } from './differs/updateColumnDefinition.js'
import { diffUpdateColumnName } from './differs/updateColumnName.js'
import { diffUpdateRelationOnDelete } from './differs/updateRelationOnDelete.js'
import { diffMakeRelationNotNull, diffMakeRelationNullable } from './differs/relationNullability.js'
import { diffDisableOrphanRemoval, diffEnableOrphanRemoval } from './differs/orphanRemoval.js'
import { diffUpdateRelationOrderBy } from './differs/updateRelationOrderBy.js'
import { diffRemoveChangedField, diffRemoveChangedInverseField } from './differs/removeChangedField.js'
import { diffCreateEntity } from './differs/createEntity.js'
import { diffCreateColumn } from './differs/createColumn.js'
import { diffCreateRelation, diffCreateRelationToView } from './differs/createRelation.js'
import { diffCreateView } from './differs/createView.js'
import { diffUpdateView } from './differs/updateView.js'
import { diffCreateRelationInverseSide } from './differs/createRelationInverseSide.js'
import { diffCreateUniqueConstraint } from './differs/createUniqueConstraint.js'
import { diffCreateIndex } from './differs/createIndex.js'
import { diffAclSchema, diffActions, diffValidationSchema } from './differs/nonModel.js'
import { diffUpdateEntityOrderBy } from './differs/updateEntityOrderBy.js'

export const differs: readonly Differ[] = [
	// no removeIndexNames (Contember's first differ): a legacy name is not part of a unique's or an
	// index's identity (src/schema/compare.ts), so the differs compare without names and a schema
	// that differs only by names needs no migration; the replayed schema keeps the names, harmlessly
	diffUpdateSettings,
	// conversions keep the joining column and its data; they must run before removeChangedField sees a different relation type
	diffConvertOneToManyRelation,
	diffConvertOneHasManyToManyHasManyRelation,
	diffConvertOneHasManyToOneHasOneRelation,
	// constraints and indexes go before the fields they mention can be removed or retyped
	diffRemoveUniqueConstraint,
	diffRemoveIndex,
	// views before tables: a view blocks dropping or retyping what it reads (dependants first)
	diffRemoveView,
	// whole entities before their fields, so removeField never targets a dropped table
	diffRemoveEntity,
	diffRemoveField,
	// enums exist before a column is retyped to them
	diffCreateEnum,
	diffUpdateEntityTableName,
	diffToggleEventLog,
	diffToggleJunctionEventLog,
	diffUpdateColumnDefinition,
	diffUpdateColumnName,
	diffUpdateRelationOnDelete,
	diffMakeRelationNotNull,
	diffMakeRelationNullable,
	diffEnableOrphanRemoval,
	diffDisableOrphanRemoval,
	diffUpdateRelationOrderBy,
	// after columns were retyped (a list column blocks ALTER DOMAIN; the handler swaps domains)
	diffUpdateEnum,
	// whatever the in-place differs could not express is dropped here and recreated below
	diffRemoveChangedField,
	// separate pass: dropping an owning side above may already have taken its inverse along
	diffRemoveChangedInverseField,
	// tables before columns, columns before relations (a relation needs its target's primary key)
	diffCreateEntity,
	diffCreateColumn,
	diffCreateRelation,
	// views after every table they may read from is final
	diffCreateView,
	// strata: a table's relation to a view created just above (Contember never reaches this case)
	diffCreateRelationToView,
	diffUpdateView,
	// inverse sides once both entities exist (new views included)
	diffCreateRelationInverseSide,
	// constraints and indexes last: every field they name now exists
	diffCreateUniqueConstraint,
	diffCreateIndex,
	// dropping a domain needs every column that used it gone or retyped
	diffRemoveEnum,
	// ACL and validation reference entities and fields, so they follow the model
	diffAclSchema,
	diffValidationSchema,
	diffUpdateEntityOrderBy,
	diffActions,
]
