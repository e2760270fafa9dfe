/**
 * A column rename made backward compatible: between expand and contract both columns exist and a
 * trigger keeps them in step in both directions, so an application writing only the old name and
 * one writing only the new name see each other's writes.
 *
 * On INSERT the trigger fills whichever of the two is NULL from the other; on UPDATE it copies the
 * one that changed onto the other (the new name wins when both changed).
 */
import { commentSql, compatibilityName, q } from './names.js'

export interface RenamedColumn {
	readonly table: string
	readonly from: string
	readonly to: string
}

const objects = ({ table, from }: RenamedColumn) => {
	const name = compatibilityName('sync', table, from)
	return { fn: q(name), trigger: q(name) }
}

/** the trigger (and its function) keeping the two columns in step */
export const syncTriggerSql = (rename: RenamedColumn): string => {
	const { fn, trigger } = objects(rename)
	const [table, from, to] = [q(rename.table), q(rename.from), q(rename.to)]
	const why = `keeps ${rename.table}.${rename.from} and ${rename.table}.${rename.to} in step until the contract migration`
	return [
		`CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $strata$
BEGIN
	IF TG_OP = 'INSERT' THEN
		IF NEW.${to} IS NULL THEN NEW.${to} := NEW.${from};
		ELSIF NEW.${from} IS NULL THEN NEW.${from} := NEW.${to};
		END IF;
	ELSIF NEW.${to} IS DISTINCT FROM OLD.${to} THEN NEW.${from} := NEW.${to};
	ELSIF NEW.${from} IS DISTINCT FROM OLD.${from} THEN NEW.${to} := NEW.${from};
	END IF;
	RETURN NEW;
END
$strata$`,
		`DROP TRIGGER IF EXISTS ${trigger} ON ${table}`,
		`CREATE TRIGGER ${trigger} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
		commentSql(`FUNCTION ${fn}()`, why),
		commentSql(`TRIGGER ${trigger} ON ${table}`, why),
	].join(';\n')
}

/** drops the trigger and its function */
export const dropSyncTriggerSql = (rename: RenamedColumn): string => {
	const { fn, trigger } = objects(rename)
	return `DROP TRIGGER IF EXISTS ${trigger} ON ${q(rename.table)};\nDROP FUNCTION IF EXISTS ${fn}()`
}
