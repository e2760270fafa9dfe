/**
 * Several processes run migrations:execute at once on the same database, round after round
 * (each round adds new migrations, alternating --transaction all and each): every process exits
 * 0, every migration is applied exactly once, the ledger matches the schema. 4 × 4 in `npm test`,
 * 8 × 12 under STRATA_SOAK=1.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { recordAdversarial, scaled } from '../../helpers/adversarial.js'
import { useTestDatabase } from '../../helpers/database.js'
import { ensureBuilt, looksClean, passwordUrl, runCli } from '../db/cli.js'
import { createColumn, createEntity, migrationText, projectWith } from '../db/fixtures.js'

const db = useTestDatabase('concurrency')
const PROCESSES = scaled(4, 8)
const ROUNDS = scaled(4, 12)

beforeAll(() => ensureBuilt(), 300_000)

describe('concurrent execute', () => {
	it(`${PROCESSES} processes × ${ROUNDS} rounds: exactly once, all exit 0`, async () => {
		const target = await db.fresh('race')
		const url = await passwordUrl(target.url)
		const client = await target.client()
		const root = await projectWith([])
		for (let round = 0; round < ROUNDS; round++) {
			const hh = String(round).padStart(2, '0')
			await writeFile(path.join(root, 'migrations', `2024-03-01-${hh}0000-round-${round}-a.json`),
				migrationText([createEntity(`T${round}`, `t_${round}`), createColumn(`T${round}`, 'label')]))
			await writeFile(path.join(root, 'migrations', `2024-03-01-${hh}0001-round-${round}-b.json`),
				migrationText([createColumn(`T${round}`, 'note', { columnName: 'note' })]))
			const mode = round % 2 === 0 ? 'all' : 'each'
			const results = await Promise.all(Array.from({ length: PROCESSES }, () =>
				runCli(['migrations:execute', '--yes', '--json', '--transaction', mode, '--lock-wait', '300s', '--database-url', url], { cwd: root, timeoutMs: 400_000 })))
			for (const result of results) {
				expect(result.code, `round ${round}: ${result.stderr}`).toBe(0)
				expect(looksClean(result.stderr)).toBe(true)
			}
			const executed = results.flatMap(result => (JSON.parse(result.stdout).migrations as { name: string }[]).map(m => m.name))
			// every new migration ran in exactly one process
			expect(executed.sort()).toEqual([`2024-03-01-${hh}0000-round-${round}-a`, `2024-03-01-${hh}0001-round-${round}-b`])
			const ledger = await client.query<{ name: string }>('SELECT name FROM strata.migrations ORDER BY version')
			expect(ledger.rowCount).toBe(2 * (round + 1))
			const columns = await client.query(`SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY column_name`, [`t_${round}`])
			expect(columns.rows.map(row => row.column_name)).toEqual(['id', 'label', 'note'])
		}
		const tables = await client.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`)
		expect(tables.rows[0].n).toBe(ROUNDS)
		recordAdversarial({
			attack: 'concurrent executors',
			tried: `${PROCESSES} processes × ${ROUNDS} rounds, both transaction modes`,
			held: 'every migration applied exactly once, every process exit 0',
		})
	}, 1_200_000)
})
