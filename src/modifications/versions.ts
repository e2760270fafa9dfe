/**
 * Migration format versions. A file replays with the semantics of its own formatVersion; each
 * behaviour that changed is gated by a constant named after the behaviour.
 */
export const FORMAT_VERSION_INITIAL = 1
export const FORMAT_VERSION_LATEST = 6

/** removeEntity / updateEntityName / removeField / updateFieldName also rewrite the ACL */
export const FORMAT_ACL_FOLLOWS_RENAMES = 2
/** updateFieldName renames the field inside unique[].fields */
export const FORMAT_RENAME_UPDATES_UNIQUE_FIELDS = 2
/** removing an owning relation also removes its inverse side */
export const FORMAT_REMOVE_RELATION_REMOVES_INVERSE = 3
/** removeEntity first removes every relation (elsewhere, and owning self-references) targeting it */
export const FORMAT_REMOVE_ENTITY_REMOVES_REFERENCES = 3
/** updateFieldName renames the field inside indexes[].fields and columnOptions keys */
export const FORMAT_RENAME_UPDATES_INDEX_FIELDS = 5
/** createEntity names the primary key column after the primary field's columnName (before: the field name) */
export const FORMAT_PRIMARY_COLUMN_FROM_COLUMN_NAME = 6
