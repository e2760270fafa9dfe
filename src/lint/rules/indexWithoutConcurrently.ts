/** L007: an index built on an existing table without CONCURRENTLY (CREATE INDEX, ADD UNIQUE, ADD PRIMARY KEY). */
import { LintCode } from '../codes.js'
import { onExistingTables, type LintRule } from '../rule.js'

const buildsIndex = new Set(['createIndex', 'addUnique', 'addPrimaryKey'])

export const indexWithoutConcurrentlyRule: LintRule = {
	code: LintCode.indexWithoutConcurrently,
	severity: 'warning',
	title: 'index built without CONCURRENTLY on an existing table',
	explanation: 'CREATE INDEX holds SHARE (writes wait) and ADD UNIQUE / ADD PRIMARY KEY hold ACCESS EXCLUSIVE (reads wait too) for the whole build. strata writes neither CONCURRENTLY nor USING INDEX; a table created in the same migration is exempt.',
	alternative: 'Build the index beforehand with CREATE INDEX CONCURRENTLY outside a transaction (for a unique key: CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … UNIQUE USING INDEX), or suppress with the reason when the table is small.',
	check: step => onExistingTables(step.statements, it => buildsIndex.has(it.kind)).map(({ statement, table }) => ({
		message: `builds an index on "${table}" under ${statement.locks[0]!.lock} without CONCURRENTLY: ${statement.locks[0]!.lock === 'SHARE' ? 'writes wait' : 'reads and writes wait'} for the build`,
		statement: statement.sql,
		table,
	})),
}
