/**
 * A column rename made backward compatible: between expand and contract both columns exist and a
 * trigger keeps them in step in both directions, so an application writing only the old name and
 * one writing only the new name see each other's writes.
 *
 * On INSERT the trigger fills whichever of the two is NULL from the other; on UPDATE it copies the
 * one that changed onto the other (the new name wins when both changed).
 */
import { compatibilityName, q } from './names.js'
import { compatibilityTriggerSql, dropCompatibilityTriggerSql } from './trigger.js'

export interface RenamedColumn {
	readonly table: string
	readonly from: string
	readonly to: string
}

const nameOf = ({ table, from }: RenamedColumn) => compatibilityName('sync', table, from)

/** the trigger (and its function) keeping the two columns in step */
export const syncTriggerSql = (rename: RenamedColumn): string => {
	const [from, to] = [q(rename.from), q(rename.to)]
	const body = `	IF TG_OP = 'INSERT' THEN
		IF NEW.${to} IS NULL THEN NEW.${to} := NEW.${from};
		ELSIF NEW.${from} IS NULL THEN NEW.${from} := NEW.${to};
		END IF;
	ELSIF NEW.${to} IS DISTINCT FROM OLD.${to} THEN NEW.${from} := NEW.${to};
	ELSIF NEW.${from} IS DISTINCT FROM OLD.${from} THEN NEW.${to} := NEW.${from};
	END IF;`
	const why = `keeps ${rename.table}.${rename.from} and ${rename.table}.${rename.to} in step until the contract migration`
	return compatibilityTriggerSql(nameOf(rename), rename.table, body, why).join(';\n')
}

/** drops the trigger and its function */
export const dropSyncTriggerSql = (rename: RenamedColumn): string => dropCompatibilityTriggerSql(nameOf(rename), rename.table).join(';\n')
