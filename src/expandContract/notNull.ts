/**
 * A NOT NULL made backward compatible. The old application does not know the column (or still
 * writes NULL into it), so during the transition a trigger replaces a NULL by the fill value, and
 * a `CHECK (col IS NOT NULL) NOT VALID` guards new rows without scanning the table. The backfill
 * runs outside the migration's transaction (no long lock; a killed run repeats it and converges,
 * it only touches rows still NULL). The contract validates the check (a scan under a light lock),
 * sets NOT NULL, which PostgreSQL proves from the valid check without a second scan, and drops the
 * check and the trigger.
 */
import { commentSql, compatibilityName, q } from './names.js'
import { compatibilityTriggerSql, dropCompatibilityTriggerSql } from './trigger.js'

export interface NotNullColumn {
	readonly table: string
	readonly column: string
	/** the SQL expression written into NULLs: a literal, or another column of the row (`NEW."other"` in the trigger) */
	readonly fill: { readonly literal: string } | { readonly column: string }
}

const objects = ({ table, column }: NotNullColumn) => ({
	trigger: compatibilityName('fill', table, column),
	check: q(compatibilityName('notnull', table, column)),
})

const valueIn = (fill: NotNullColumn['fill'], row: string) => ('literal' in fill ? fill.literal : `${row}${q(fill.column)}`)

/** the trigger filling NULLs and the NOT VALID check, in the migration's transaction */
export const fillTriggerSql = (target: NotNullColumn): string => {
	const { trigger, check } = objects(target)
	const [table, column] = [q(target.table), q(target.column)]
	const body = `	IF NEW.${column} IS NULL THEN NEW.${column} := ${valueIn(target.fill, 'NEW.')}; END IF;`
	return [
		...compatibilityTriggerSql(trigger, target.table, body, `fills NULL in ${target.table}.${target.column} until the contract migration sets NOT NULL`),
		`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${check}`,
		`ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${column} IS NOT NULL) NOT VALID`,
		commentSql(`CONSTRAINT ${check} ON ${table}`, `${target.table}.${target.column} IS NOT NULL, validated by the contract migration`),
	].join(';\n')
}

/** the backfill: idempotent, run alone outside the transaction */
export const backfillSql = (target: NotNullColumn): string =>
	`UPDATE ${q(target.table)} SET ${q(target.column)} = ${valueIn(target.fill, '')} WHERE ${q(target.column)} IS NULL`

/** the contract's first step: the check validated */
export const validateCheckSql = (target: NotNullColumn): string => `ALTER TABLE ${q(target.table)} VALIDATE CONSTRAINT ${objects(target).check}`

/** the contract's last step: check, trigger and function dropped */
export const dropFillSql = (target: NotNullColumn): string => {
	const { trigger, check } = objects(target)
	return [`ALTER TABLE ${q(target.table)} DROP CONSTRAINT IF EXISTS ${check}`, ...dropCompatibilityTriggerSql(trigger, target.table)].join(';\n')
}
