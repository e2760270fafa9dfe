/**
 * The live objects the model has no place for at all, each reported by name: CHECK and
 * EXCLUDE constraints (enum domains' checks are the enums themselves), triggers, functions
 * and procedures, and sequences no column owns. A serial column's sequence is reported with
 * the column's default. None of them is compared by db:drift: the database keeps them, a
 * database built from the migrations does not have them.
 */
import type { Draft } from './draft.js'

const FUNCTION_KINDS: Record<string, string> = { f: 'function', p: 'procedure', a: 'aggregate', w: 'window function' }

export const reportOtherObjects = (draft: Draft): void => {
	const { db, unrepresentable } = draft
	for (const constraint of db.constraints) {
		unrepresentable.push({
			kind: constraint.kind, name: constraint.name, table: constraint.table,
			reason: `${constraint.definition}: the model has no ${constraint.kind === 'check' ? 'CHECK' : 'EXCLUDE'} constraints (Contember validates in its API instead)`,
		})
	}
	for (const trigger of db.triggers) {
		unrepresentable.push({ kind: 'trigger', name: trigger.name, table: trigger.table, reason: `${trigger.definition}: the model has no triggers` })
	}
	for (const fn of db.functions) {
		unrepresentable.push({ kind: 'function', name: fn.signature, reason: `a ${FUNCTION_KINDS[fn.kind] ?? 'routine'}: the model has no functions` })
	}
	for (const sequence of db.sequences) {
		if (sequence.ownedBy) continue
		unrepresentable.push({ kind: 'sequence', name: sequence.name, reason: 'a sequence no column owns: the model has sequences only as identity columns' })
	}
}
