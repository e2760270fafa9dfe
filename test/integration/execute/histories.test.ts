/**
 * Every real Contember history of the conformance set, executed by the executor against a fresh
 * database (names of constraints and indexes resolved from the live catalog): all recorded, and a
 * second run has nothing to do. pilsner, which Contember itself cannot replay, is refused at its
 * known migration with nothing applied (one transaction), and runs up to the migration before it.
 */
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { executeMigrations } from '../../../src/db/executor.js'
import { readLedger } from '../../../src/db/ledger.js'
import { readMigrations } from '../../../src/migrations/files.js'
import { conformanceDir, loadHistories } from '../../helpers/conformance.js'
import { useTestDatabase } from '../../helpers/database.js'

const HISTORIES = path.join(conformanceDir, 'histories')
const db = useTestDatabase('histories')

const histories = readdirSync(HISTORIES, { withFileTypes: true }).filter(entry => entry.isDirectory()).map(entry => entry.name)
const expectedFailures = new Map(loadHistories().filter(it => it.expectedFailure).map(it => [it.name, it.expectedFailure!]))

describe('executing real histories', () => {
	it('finds the conformance histories', () => {
		expect(histories.length).toBeGreaterThan(0)
	})

	for (const history of histories) {
		it(history, async () => {
			const files = await readMigrations(path.join(HISTORIES, history, 'migrations'))
			const target = await db.fresh(history.slice(0, 20))
			const client = await target.client()
			client.on('notice', () => undefined)
			const failure = expectedFailures.get(history)
			if (failure) {
				await expect(executeMigrations(client, files, { ledgerSchema: 'strata' })).rejects.toThrow(/not found/)
				expect(await readLedger(client, 'strata').catch(() => [])).toEqual([])
				const before = files.findIndex(file => file.name === failure.migration)
				const partial = await executeMigrations(client, files, { ledgerSchema: 'strata', until: files[before - 1]!.version })
				expect(partial.executed).toHaveLength(before)
				await target.drop()
				return
			}
			const result = await executeMigrations(client, files, { ledgerSchema: 'strata' })
			expect(result.executed).toHaveLength(files.length)
			expect((await readLedger(client, 'strata')).map(row => row.checksum)).toEqual(files.map(file => file.checksum))
			expect((await executeMigrations(client, files, { ledgerSchema: 'strata' })).executed).toEqual([])
			await target.drop()
		}, 300_000)
	}
})
