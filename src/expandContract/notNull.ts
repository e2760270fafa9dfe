/**
 * A NOT NULL made backward compatible. The old application does not know the column (or still
 * writes NULL into it), so during the transition a trigger replaces a NULL by the fill value, and
 * a `CHECK (col IS NOT NULL) NOT VALID` guards new rows without scanning the table. The backfill
 * runs outside the migration's transaction in committed batches (batches.ts: no long lock; a
 * killed run repeats it and converges, it only touches rows still NULL). The contract validates the check (a scan under a light lock),
 * sets NOT NULL, which PostgreSQL proves from the valid check without a second scan, and drops the
 * check and the trigger.
 */
import { commentSql, compatibilityName, q } from './names.js'
import { batchedBackfillSql } from './batches.js'
import { compatibilityTriggerSql, dropCompatibilityTriggerSql } from './trigger.js'

export interface NotNullColumn {
	readonly table: string
	/** the table's primary key column, which the backfill's batches walk */
	readonly primaryKey: string
	readonly column: string
	/** the SQL expression written into NULLs: a literal, or another column of the row (`NEW."other"` in the trigger) */
	readonly fill: { readonly literal: string } | { readonly column: string }
}

const objects = ({ table, column }: Pick<NotNullColumn, 'table' | 'column'>) => ({
	trigger: compatibilityName('fill', table, column),
	check: q(compatibilityName('notnull', table, column)),
})

const valueIn = (fill: NotNullColumn['fill'], row: string) => ('literal' in fill ? fill.literal : `${row}${q(fill.column)}`)

/** the NOT VALID check: new rows are checked, the existing ones are not scanned */
export const notNullCheckSql = (target: Pick<NotNullColumn, 'table' | 'column'>): string => {
	const { check } = objects(target)
	const [table, column] = [q(target.table), q(target.column)]
	return [
		`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${check}`,
		`ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${column} IS NOT NULL) NOT VALID`,
		commentSql(`CONSTRAINT ${check} ON ${table}`, `${target.table}.${target.column} IS NOT NULL, validated by the contract migration`),
	].join(';\n')
}

/** the trigger filling NULLs and the NOT VALID check, in the migration's transaction */
export const fillTriggerSql = (target: NotNullColumn): string => {
	const { trigger } = objects(target)
	const column = q(target.column)
	const body = `	IF NEW.${column} IS NULL THEN NEW.${column} := ${valueIn(target.fill, 'NEW.')}; END IF;`
	return [
		...compatibilityTriggerSql(trigger, target.table, body, `fills NULL in ${target.table}.${target.column} until the contract migration sets NOT NULL`),
		notNullCheckSql(target),
	].join(';\n')
}

/** the backfill: in batches, each committed (batches.ts), run alone outside the transaction; it only touches rows still NULL */
export const backfillSql = (target: NotNullColumn): string =>
	batchedBackfillSql({ table: target.table, primaryKey: target.primaryKey, set: `${q(target.column)} = ${valueIn(target.fill, '')}`, where: `${q(target.column)} IS NULL` })

/** the contract's first step: the check validated */
export const validateCheckSql = (target: Pick<NotNullColumn, 'table' | 'column'>): string => `ALTER TABLE ${q(target.table)} VALIDATE CONSTRAINT ${objects(target).check}`

/** the check alone dropped (a renamed column's: its sync trigger is dropped with the old column) */
export const dropNotNullCheckSql = (target: Pick<NotNullColumn, 'table' | 'column'>): string =>
	`ALTER TABLE ${q(target.table)} DROP CONSTRAINT IF EXISTS ${objects(target).check}`

/** the contract's last step: check, trigger and function dropped */
export const dropFillSql = (target: NotNullColumn): string => {
	const { trigger, check } = objects(target)
	return [`ALTER TABLE ${q(target.table)} DROP CONSTRAINT IF EXISTS ${check}`, ...dropCompatibilityTriggerSql(trigger, target.table)].join(';\n')
}
