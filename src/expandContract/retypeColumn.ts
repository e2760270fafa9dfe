/**
 * A type change made backward compatible. Expand adds a temporary column of the new type, named
 * `<column>_next` (field `<field>Next`), converts the existing rows into it (outside the
 * transaction; a killed run repeats it) and installs a trigger keeping the two in step: a write of
 * the old column is converted into the new one (with the `conversion` of the type change, else a
 * cast), and a write of the new column is cast back into the old one. Contract drops the trigger
 * and the old column, and the temporary column takes the old name.
 *
 * The conversion is an expression of the row (`md5("votes"::text)::uuid`): in the trigger it is
 * evaluated over `(SELECT NEW.*) AS <table>`, so it reads the new row's columns by their names.
 */
import { compatibilityName, q } from './names.js'
import { batchedBackfillSql } from './batches.js'
import { compatibilityTriggerSql, dropCompatibilityTriggerSql } from './trigger.js'

export interface RetypedColumn {
	readonly table: string
	/** the table's primary key column, which the conversion's batches walk */
	readonly primaryKey: string
	readonly column: string
	/** the temporary column of the new type */
	readonly next: string
	/** the SQL types, as columnSqlType writes them */
	readonly oldType: string
	readonly newType: string
	/** the expression converting the old value (of the row); default: a cast */
	readonly conversion?: string
}

/** the temporary field and column of a type change */
export const temporaryNames = (field: string, column: string): { field: string; column: string } => ({ field: `${field}Next`, column: `${column}_next` })

const nameOf = ({ table, column }: RetypedColumn) => compatibilityName('retype', table, column)

const converted = (target: RetypedColumn) => target.conversion !== undefined ? `(${target.conversion})` : `${q(target.column)}::${target.newType}`

export const retypeTriggerSql = (target: RetypedColumn): string => {
	const [table, column, next] = [q(target.table), q(target.column), q(target.next)]
	const fromRow = (row: 'NEW' | 'OLD') => `(SELECT ${converted(target)} FROM (SELECT ${row}.*) AS ${table})`
	const body = `	IF TG_OP = 'INSERT' THEN
		IF NEW.${next} IS NULL THEN NEW.${next} := ${fromRow('NEW')};
		ELSIF NEW.${column} IS NULL THEN NEW.${column} := NEW.${next}::${target.oldType};
		END IF;
	ELSIF NEW.${column} IS DISTINCT FROM OLD.${column} THEN NEW.${next} := ${fromRow('NEW')};
	-- a write of the new column, not the conversion of the old value (the backfill's): cast back
	ELSIF NEW.${next} IS DISTINCT FROM OLD.${next} AND NEW.${next} IS DISTINCT FROM ${fromRow('OLD')} THEN
		NEW.${column} := NEW.${next}::${target.oldType};
	END IF;`
	const why = `keeps ${target.table}.${target.column} (${target.oldType}) and ${target.table}.${target.next} (${target.newType}) in step until the contract migration`
	return compatibilityTriggerSql(nameOf(target), target.table, body, why).join(';\n')
}

/** the conversion of the existing rows: in committed batches (batches.ts), run alone outside the transaction; it only touches rows not converted yet */
export const convertRowsSql = (target: RetypedColumn): string =>
	batchedBackfillSql({ table: target.table, primaryKey: target.primaryKey, set: `${q(target.next)} = ${converted(target)}`, where: `${q(target.next)} IS NULL AND ${q(target.column)} IS NOT NULL` })

export const dropRetypeTriggerSql = (target: RetypedColumn): string => dropCompatibilityTriggerSql(nameOf(target), target.table).join(';\n')
