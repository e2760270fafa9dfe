/**
 * No false alarms: every real history of test/fixtures/conformance/histories is executed on a fresh
 * database (one transaction per migration; pilsner up to the migration it must refuse), and db:drift must then find no
 * difference between the catalog and the replayed ledger content — whatever views, junction
 * tables, list enums, identity columns and old format versions the history holds.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { detectDrift } from '../../../src/db/drift.js'
import { executeMigrations } from '../../../src/db/executor.js'
import { readLedger } from '../../../src/db/ledger.js'
import { readMigrations } from '../../../src/migrations/files.js'
import { loadHistories } from '../../helpers/conformance.js'
import { useTestDatabase } from '../../helpers/database.js'

const db = useTestDatabase('drift_histories')

describe.each(loadHistories())('$name', history => {
	it('shows no drift after its migrations ran', async () => {
		const target = await db.fresh(history.name.slice(0, 16))
		const client = await target.client()
		const files = await readMigrations(join(history.dir, 'migrations'))
		// a history that must refuse a migration runs up to the one before it
		const failing = history.expectedFailure ? files.findIndex(file => file.name === history.expectedFailure!.migration) : -1
		const until = failing > 0 ? files[failing - 1]!.version : undefined
		await executeMigrations(client, files, { ledgerSchema: 'strata', transaction: 'each', ...(until ? { until } : {}) })
		const executed = await readLedger(client, 'strata')
		expect(executed.length).toBe(failing > 0 ? failing : files.length)
		const result = await detectDrift(client)
		expect(result.items.map(({ kind, object, expected, actual }) => ({ kind, object, expected, actual }))).toEqual([])
	}, 180_000)
})
