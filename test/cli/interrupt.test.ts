/**
 * SIGINT / SIGTERM during a running migrations:execute on real PostgreSQL, mid-statement in a
 * 100k-row fill UPDATE: exit 130 with one message naming what was committed and what was rolled
 * back, the migration lock free the moment the process is gone, the database at a migration
 * boundary, and a re-run that completes.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { ledgerLockKey } from '../../src/db/lock.js'
import { recordAdversarial } from '../helpers/adversarial.js'
import { useTestDatabase } from '../helpers/database.js'
import { ensureBuilt, looksClean, passwordUrl, runCli, startCli } from '../integration/db/cli.js'
import { createEntity, projectWith } from '../integration/db/fixtures.js'
import { fillRunning, prepareSlowDatabase, slowHistory, waitFor } from '../integration/reliability/slow.js'

const db = useTestDatabase('interrupt')

/** the slow history with a quick migration between the table and the fill: with --transaction each it commits before the fill starts */
const history = () => {
	const [big, fill, other] = slowHistory()
	return [big!, { name: '2024-05-01-150000-quick', modifications: [createEntity('Quick', 'quick')] }, fill!, other!]
}
const names = history().map(it => it.name)

const ledger = async (client: import('pg').Client) =>
	(await client.query<{ name: string }>('SELECT name FROM strata.migrations ORDER BY version')).rows.map(row => row.name)
const tableExists = async (client: import('pg').Client, table: string) =>
	(await client.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [`public.${table}`])).rows[0].present as boolean
const hasLabel = async (client: import('pg').Client) =>
	(await client.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'big' AND column_name = 'label'`)).rowCount === 1

beforeAll(() => ensureBuilt(), 300_000)

const cases = [
	{ mode: 'all', signal: 'SIGINT' },
	{ mode: 'each', signal: 'SIGINT' },
	{ mode: 'each', signal: 'SIGTERM' },
] as const

describe('an interrupt during migrations:execute', () => {
	const held: string[] = []
	for (const { mode, signal } of cases) {
		it(`${signal} mid-fill with --transaction ${mode}: exit 130, committed/rolled back named, lock free, at a boundary, re-run completes`, async () => {
			const root = await projectWith(history())
			const target = await db.fresh(`${mode}_${signal.toLowerCase()}`)
			const client = await target.client()
			await prepareSlowDatabase(client)
			const url = await passwordUrl(target.url)
			const { child, done } = startCli(['migrations:execute', '--yes', '--transaction', mode, '--database-url', url], { cwd: root })
			await waitFor(async () => (await fillRunning(client)) || child.exitCode !== null, 60_000, 'the fill UPDATE')
			expect(child.exitCode, 'the CLI finished before the fill could be interrupted').toBeNull()
			child.kill(signal)
			const result = await done

			expect(result.code, result.stderr).toBe(130)
			expect(looksClean(result.stderr)).toBe(true)
			// the lock is free right after exit: the session was ended before the process exited
			const lock = await client.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [String(ledgerLockKey('strata'))])
			expect(lock.rows[0].ok, 'the migration lock is still held').toBe(true)
			await client.query('SELECT pg_advisory_unlock($1::bigint)', [String(ledgerLockKey('strata'))])

			const recorded = await ledger(client)
			const committed = mode === 'each' ? names.slice(0, 2) : names.slice(0, 1)
			expect(recorded).toEqual(committed)
			// at a boundary: what the ledger lists is exactly what the schema has
			expect(await tableExists(client, 'quick')).toBe(recorded.includes(names[1]!))
			expect(await hasLabel(client)).toBe(false)
			expect(await tableExists(client, 'other')).toBe(false)

			expect(result.stderr).toContain('Interrupted')
			if (mode === 'each') expect(result.stderr).toContain(`applied (committed one by one, --transaction each): ${names[1]}.`)
			else expect(result.stderr).toContain('nothing was applied.')
			const rolledBack = mode === 'each' ? [names[2]] : [names[1], names[2]]
			expect(result.stderr).toContain(`Rolled back: ${rolledBack.join(', ')}`)
			expect(result.stderr).toContain(`Not started: ${names[3]}.`)
			expect(result.stderr).not.toMatch(/CONNECTION_LOST|connection to PostgreSQL failed/)

			const rerun = await runCli(['migrations:execute', '--yes', '--database-url', url], { cwd: root })
			expect(rerun.code, rerun.stderr).toBe(0)
			expect(await ledger(client)).toEqual(names)
			await client.end()
			await target.drop()
			held.push(`${signal}/${mode}`)
		}, 300_000)
	}

	it('--json: the interrupt is one JSON document with code INTERRUPTED', async () => {
		const root = await projectWith(history())
		const target = await db.fresh('json')
		const client = await target.client()
		await prepareSlowDatabase(client)
		const { child, done } = startCli(['migrations:execute', '--yes', '--json', '--database-url', target.url], { cwd: root })
		await waitFor(async () => (await fillRunning(client)) || child.exitCode !== null, 60_000, 'the fill UPDATE')
		child.kill('SIGINT')
		const result = await done
		expect(result.code, result.stderr).toBe(130)
		const document = JSON.parse(result.stdout) as { ok: boolean; error: { code: string; message: string } }
		expect(document).toMatchObject({ ok: false, error: { code: 'INTERRUPTED', exitCode: 130 } })
		expect(document.error.message).toContain('Rolled back')
		await client.end()
		await target.drop()
		held.push('SIGINT/json')
		recordAdversarial({
			attack: 'interrupts',
			tried: `${held.length} interrupts: SIGINT/SIGTERM mid-statement in a 100k-row fill UPDATE (${held.join(', ')})`,
			held: 'exit 130, one message naming committed / rolled back / not started, lock freed at exit, migration boundary, re-run completes',
		})
	}, 300_000)
})
