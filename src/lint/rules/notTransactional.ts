/** L009: a statement PostgreSQL refuses inside a transaction block. */
import { LintCode } from '../codes.js'
import type { LintRule } from '../rule.js'

export const notTransactionalRule: LintRule = {
	code: LintCode.notTransactional,
	severity: 'notice',
	title: 'statement that cannot run in a transaction',
	explanation: 'CREATE / DROP INDEX CONCURRENTLY (and any statement the classification does not know) cannot run inside a transaction block (SQLSTATE 25001), while a migration runs in one transaction: it fails there, or, run apart, is not rolled back with the rest.',
	alternative: 'Run the statement apart from the migration (before it, by hand or in its own migration) and make it safe to repeat (IF NOT EXISTS).',
	// an online migration runs its CONCURRENTLY statements alone, outside any transaction, as they must; so does a SQL step marked transactional: false
	check: step => step.modification.modification === 'executeSql' ? [] : step.statements.filter(it => !it.transactional && !(step.online && it.kind.endsWith('Concurrently'))).map(statement => ({
		message: statement.kind === 'unknown' ? 'a statement of no known shape: assumed not to run in a transaction block' : `${statement.kind} cannot run in a transaction block`,
		statement: statement.sql,
		...(statement.locks[0] ? { table: statement.locks[0].table } : {}),
	})),
}
