/**
 * A table rename made backward compatible: the table takes its new name in the expand migration,
 * and a view under the old name (`SELECT *` of the new table, which PostgreSQL makes updatable
 * on its own) serves the old application until the contract drops it.
 */
import { commentSql, q } from './names.js'

export const oldNameViewSql = (from: string, to: string): string =>
	[`CREATE OR REPLACE VIEW ${q(from)} AS SELECT * FROM ${q(to)}`,
		commentSql(`VIEW ${q(from)}`, `the old name of table ${to}, until the contract migration`)].join(';\n')

export const dropOldNameViewSql = (from: string): string => `DROP VIEW IF EXISTS ${q(from)}`
