/**
 * A damaged ledger (metadata dropped, deleted or wrong, a table missing, a NULL in a row, content
 * strata cannot replay) is diagnosed as damaged by status, execute and db:drift: never read as
 * empty (which would make execute run everything again) and never a crash (exit 70).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { recordAdversarial } from '../helpers/adversarial.js'
import { useTestDatabase } from '../helpers/database.js'
import { ensureBuilt, looksClean, runCli } from '../integration/db/cli.js'
import { blogHistory, projectWith } from '../integration/db/fixtures.js'

const db = useTestDatabase('cli_ledger_damage')
vi.setConfig({ testTimeout: 300_000 })
beforeAll(() => ensureBuilt(), 300_000)

/** the blog history executed, then `damage` applied to the ledger */
const damaged = async (label: string, damage: string) => {
	const database = await db.fresh(label)
	const root = await projectWith(blogHistory())
	const run = (...args: string[]) => runCli([...args, '--database-url', database.url], { cwd: root })
	const first = await run('migrations:execute', '--yes')
	expect(first.code, first.stderr).toBe(0)
	const client = await database.client()
	await client.query(damage)
	return { run, client }
}

const expectDiagnosed = (result: { code: number | null; stdout: string; stderr: string }, what: RegExp) => {
	expect(result.code, result.stdout + result.stderr).toBe(1)
	expect(result.stderr).toMatch(/The ledger strata\.migrations is damaged/)
	expect(result.stderr).toMatch(what)
	expect(result.stdout).not.toMatch(/0 executed/)
	expect(looksClean(result.stdout + result.stderr)).toBe(true)
}

describe('a damaged ledger', () => {
	let diagnosed = 0
	afterAll(() => {
		// only a fully passing file reports its figure
		if (diagnosed === metadataCases.length + 2) {
			recordAdversarial({ attack: 'ledger tampering', tried: `${diagnosed} kinds of damage (metadata dropped, deleted, wrong; table dropped; NULL row value; unknown modification in stored content)`, held: 'diagnosed as damaged by status, execute and drift; never read as empty; no crash' })
		}
	})
	const metadataCases: [string, string, RegExp][] = [
		['meta_dropped', 'DROP TABLE strata.ledger_meta', /ledger_meta, which records the ledger's shape version, is missing/],
		['meta_row_deleted', 'DELETE FROM strata.ledger_meta', /ledger_meta has no shape_version row/],
		['meta_wrong', `UPDATE strata.ledger_meta SET "value" = 'one' WHERE "key" = 'shape_version'`, /shape version is "one"/],
		['meta_zero', `UPDATE strata.ledger_meta SET "value" = '0' WHERE "key" = 'shape_version'`, /shape version is "0"/],
		['table_dropped', 'DROP TABLE strata.migrations', /strata\.migrations is missing/],
	]
	for (const [label, damage, what] of metadataCases) {
		it(`${label}: status and execute say the ledger is damaged (not "0 executed", not 42P07)`, async () => {
			const { run, client } = await damaged(label, damage)
			expectDiagnosed(await run('migrations:status'), what)
			const execute = await run('migrations:execute', '--yes')
			expectDiagnosed(execute, what)
			expect(execute.stderr).not.toContain('42P07')
			// nothing ran again: the tables are as the first run left them
			const tables = await client.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)
			expect(tables.rows[0].n).toBe(2)
			diagnosed++
		})
	}

	it('a NULL executed_at is named (row and column) by status, execute and drift, exit 1 instead of 70', async () => {
		const { run } = await damaged('null_executed_at', `ALTER TABLE strata.migrations ALTER COLUMN executed_at DROP NOT NULL;
			UPDATE strata.migrations SET executed_at = NULL WHERE version = '2024-01-02-100000'`)
		for (const command of [['migrations:status'], ['migrations:execute', '--yes'], ['db:drift']]) {
			const result = await run(...command)
			expectDiagnosed(result, /row 2024-01-02-100000: executed_at is null, expected a timestamp/)
		}
		diagnosed++
	})

	it('ledger content holding an unknown modification makes db:drift report it (exit 1), not crash', async () => {
		const { run } = await damaged('unknown_modification', `UPDATE strata.migrations SET migration = '{"formatVersion":6,"modifications":[{"modification":"frobnicate"}]}'::json WHERE version = '2024-01-02-100000'`)
		const drift = await run('db:drift')
		expect(drift.code, drift.stdout + drift.stderr).toBe(1)
		expect(drift.stderr).toMatch(/2024-01-02-100000-posts.*cannot replay/s)
		expect(drift.stderr).toMatch(/frobnicate/)
		expect(looksClean(drift.stdout + drift.stderr)).toBe(true)
		diagnosed++
	})
})
