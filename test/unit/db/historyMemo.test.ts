import { describe, expect, it } from 'vitest'
import { createHistoryMemo, executedSchema, validatePending } from '../../../src/db/executor.js'
import { computeStatus, migrationContent, type ExecutableMigration } from '../../../src/db/status.js'
import type { LedgerRow } from '../../../src/db/ledger.js'
import { migrationChecksum } from '../../../src/migrations/files.js'

const migration = (version: string, label: string, modifications: ExecutableMigration['modifications']): ExecutableMigration => {
	const content = { formatVersion: 6, modifications }
	return { name: `${version}-${label}`, version, formatVersion: 6, modifications, checksum: migrationChecksum(content) }
}

const files = [
	migration('2024-01-01-100000', 'post', [{ modification: 'createEntity', entity: { name: 'Post', primary: 'id', primaryColumn: 'id', tableName: 'post', fields: { id: { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false } }, unique: [], indexes: [], eventLog: { enabled: true } } }]),
	migration('2024-01-02-100000', 'title', [{ modification: 'createColumn', entityName: 'Post', field: { name: 'title', columnName: 'title', type: 'String', columnType: 'text', nullable: true } }]),
]

const executed = (file: ExecutableMigration): LedgerRow => ({
	version: file.version, name: file.name, checksum: file.checksum, checksumAlgorithm: 'sha256', formatVersion: file.formatVersion,
	migration: JSON.stringify(migrationContent(file)), executedAt: new Date(0), durationMs: 0, executedBy: 'test',
})

describe('history memo (one replay per history, shared by a fleet\'s targets)', () => {
	it('returns the replay and the validation computed for the first target to every target at the same migration', () => {
		const memo = createHistoryMemo()
		const tenantA = computeStatus(files, [executed(files[0]!)])
		const tenantB = computeStatus(files, [executed(files[0]!)])
		const schemaA = executedSchema(tenantA, memo)
		expect(executedSchema(tenantB, memo)).toBe(schemaA)
		const validated = validatePending(tenantA, tenantA.toExecute, memo)
		expect(validatePending(tenantB, tenantB.toExecute, memo)).toBe(validated)
		expect(Object.keys(validated.schema.model.entities.Post!.fields)).toEqual(['id', 'title'])
	})

	it('keeps targets at different migrations apart', () => {
		const memo = createHistoryMemo()
		const fresh = computeStatus(files, [])
		const behind = computeStatus(files, [executed(files[0]!)])
		expect(Object.keys(executedSchema(fresh, memo).model.entities)).toEqual([])
		expect(Object.keys(executedSchema(behind, memo).model.entities)).toEqual(['Post'])
		expect(validatePending(fresh, fresh.toExecute, memo)).not.toBe(validatePending(behind, behind.toExecute, memo))
		expect(memo.executed.size).toBe(2)
	})

	it('never remembers a refusal: an invalid pending migration is refused for every target', () => {
		const memo = createHistoryMemo()
		const broken = [...files, migration('2024-01-03-100000', 'broken', [{ modification: 'createColumn', entityName: 'Nope', field: { name: 'x', columnName: 'x', type: 'String', columnType: 'text', nullable: true } }])]
		const status = computeStatus(broken, [executed(files[0]!), executed(files[1]!)])
		expect(() => validatePending(status, status.toExecute, memo)).toThrow()
		expect(() => validatePending(status, status.toExecute, memo)).toThrow()
		expect(memo.validated.size).toBe(0)
	})
})
